#!/usr/bin/env bash
# Installs everything cpgc needs and builds it: npm packages, the Debian packages of the Rust
# crates, the native addon, and the TypeScript CLI. Idempotent; each step is skipped when its
# output is newer than its inputs, so a second run takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '[setup] %s\n' "$*" >&2; }

# 1. npm packages, at the locked versions. `npm install --no-save` rather than `npm ci`: the
# registry here serves only this platform's optional packages (e.g. no darwin builds of DuckDB),
# so the lockfile cannot list them and `npm ci` would refuse it as out of sync.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
  || [ package.json -nt node_modules/.package-lock.json ]; then
  step "installing npm packages"
  npm install --no-save --no-audit --no-fund --loglevel=error
fi

# 2. Rust crates from Debian and the native addon.
bash scripts/setup-native.sh

# 3. The TypeScript CLI (dist/), rebuilt when a source file changed since the last build.
stamp=dist/.build-stamp
if [ ! -f "$stamp" ] || [ -n "$(find compiler runtime-native -name '*.ts' -not -path '*/node_modules/*' -newer "$stamp" -print -quit)" ] \
  || [ tsconfig.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  step "compiling TypeScript (tsc)"
  rm -rf dist
  node_modules/.bin/tsc -p tsconfig.json
  touch "$stamp"
fi
