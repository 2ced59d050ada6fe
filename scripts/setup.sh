#!/usr/bin/env bash
# Installs what a fresh machine lacks to build and test tim-sns, and skips what is there:
# the wasm32 target, the wasm-bindgen CLI at the version Cargo.lock pins, npm dev dependencies,
# Debian's redis-server (the tim-sns/redis tests start their own), Debian's chromium (browser
# tests) and a Python venv with the official UserSig library (interop tests). Pass --no-browser /
# --no-python to skip those two.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=1 want_python=1
for arg in "$@"; do
  case "$arg" in
    --no-browser) want_browser=0 ;;
    --no-python) want_python=0 ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done
say() { printf 'setup: %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must equal the wasm-bindgen crate version in Cargo.lock.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  say "installing wasm-bindgen-cli $wb_version (about 2 minutes)"
  # Not --locked: the CLI's own lock file pins a crate version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

# Install only when package-lock.json changed since the last install. `npm ci` installs exactly
# what the committed lock names and never rewrites it (the lock is complete: it lists every
# platform's optional packages, such as rollup's, so a fresh `npm install` leaves it identical too).
if ! cmp -s package-lock.json node_modules/.setup-lock 2>/dev/null; then
  say "installing npm dev dependencies (npm ci)"
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.setup-lock
fi

# Only the binary is used: each test starts its own server on a free loopback port.
if ! command -v redis-server >/dev/null; then
  say "installing Debian redis-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q redis-server
fi

if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  say "installing Debian chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q chromium
fi

if [ "$want_python" = 1 ] && [ ! -x target/pyenv/bin/python ] ||
   { [ "$want_python" = 1 ] && ! target/pyenv/bin/python -c 'import TLSSigAPIv2' 2>/dev/null; }; then
  say "creating the Python venv with the official tls-sig-api-v2==1.1"
  python3 -m venv target/pyenv
  target/pyenv/bin/pip install -q --disable-pip-version-check tls-sig-api-v2==1.1
fi
say "ready"
