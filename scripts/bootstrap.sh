#!/usr/bin/env bash
# Puts the toolchain this repo pins (Node.js 24 and pnpm, installed into ./.tools when the machine's
# are older or missing; see scripts/toolchain.mjs) first on PATH. Source it:
# `source scripts/bootstrap.sh`. It leaves the calling shell's options (set -e, ...) as they were.
# `npm start` and `npm test` do this by themselves.
if __runnerly_path="$(node "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/toolchain.mjs" path)"; then
  export PATH="$__runnerly_path"
  unset __runnerly_path
else
  unset __runnerly_path
  return 1 2>/dev/null || exit 1
fi
