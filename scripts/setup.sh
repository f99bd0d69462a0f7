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

# 2. Rust crates from Debian and the native addon. Cargo needs a C linker; a machine that has
#    cargo without one gets Debian's gcc.
if ! command -v cc >/dev/null 2>&1; then
  if [ "$(id -u)" != "0" ]; then
    step "no C compiler (cc) for linking the native addon; install gcc (apt-get install gcc libc6-dev)"
    exit 1
  fi
  step "installing gcc (the Rust linker needs cc)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gcc libc6-dev >&2
fi
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
