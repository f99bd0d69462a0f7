#!/usr/bin/env bash
# Prepares the native runtime (runtime-native/): installs the Rust crates it needs from Debian's
# librust-*-dev packages (cargo reads them through .cargo/config.toml) and builds the Node addon
# runtime-native/cpgc-native.node with `napi build --release` when its sources changed.
# Idempotent; a no-op (well under a second) when everything is in place.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

REGISTRY=/usr/share/cargo/registry
ADDON="runtime-native/cpgc-native.node"

# Debian package → glob of the crate directory it installs under $REGISTRY.
# Keep in sync with runtime-native/Cargo.toml (transitive crates come as apt dependencies).
CRATE_PACKAGES=(
  "librust-serde-dev:serde-1.*"
  "librust-serde-derive-dev:serde_derive-1.*"
  "librust-rmp-serde-dev:rmp-serde-1.*"
  "librust-libloading-dev:libloading-0.7.*"
  "librust-serde-json-dev:serde_json-1.*"
  "librust-sha2-dev:sha2-0.10.*"
)

log() { echo "setup-native: $*" >&2; }

# --- 1. Debian crate packages -------------------------------------------------------------------
missing=()
for entry in "${CRATE_PACKAGES[@]}"; do
  package="${entry%%:*}"
  pattern="${entry#*:}"
  if ! compgen -G "$REGISTRY/$pattern" >/dev/null; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  if [[ "$(id -u)" != "0" ]]; then
    log "missing Debian crate packages: ${missing[*]}"
    log "install them as root: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
    exit 1
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  for entry in "${CRATE_PACKAGES[@]}"; do
    if ! compgen -G "$REGISTRY/${entry#*:}" >/dev/null; then
      log "${entry%%:*} is installed but $REGISTRY/${entry#*:} is still missing"
      exit 1
    fi
  done
fi

# --- 2. Build the addon when stale --------------------------------------------------------------
SOURCES=(Cargo.toml .cargo/config.toml runtime-native/Cargo.toml runtime-native/src)
[[ -f Cargo.lock ]] && SOURCES+=(Cargo.lock)

stale=""
if [[ ! -f "$ADDON" ]]; then
  stale="not built yet"
elif [[ -n "$(find "${SOURCES[@]}" -newer "$ADDON" -print -quit 2>/dev/null)" ]]; then
  stale="sources changed"
fi

if [[ -z "$stale" ]]; then
  log "addon up to date ($ADDON)"
  exit 0
fi

if ! command -v cargo >/dev/null 2>&1; then
  if [[ -x "$HOME/.cargo/bin/cargo" ]]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    log "cargo is not installed (need a Rust toolchain on PATH)"
    exit 1
  fi
fi

NAPI="$ROOT/node_modules/.bin/napi"
if [[ ! -x "$NAPI" ]]; then
  log "node_modules/.bin/napi is missing; run npm install first (or npm test, which sets everything up)"
  exit 1
fi

log "building $ADDON ($stale)"
# The binary name lives in a throwaway napi config so that package.json needs no "napi" field.
napi_config="$(mktemp "${TMPDIR:-/tmp}/cpgc-napi.XXXXXX.json")"
trap 'rm -f "$napi_config"' EXIT
printf '{"binaryName":"cpgc-native"}\n' >"$napi_config"

"$NAPI" build --release --manifest-path runtime-native/Cargo.toml --config-path "$napi_config" >&2

if [[ ! -f "$ADDON" ]]; then
  log "napi build finished but $ADDON is missing"
  exit 1
fi
touch "$ADDON"
log "built $ADDON"
