#!/usr/bin/env bash
# Install whatever poolsim's build and tests need and is missing; check versions so a
# warm machine is ready in seconds. Usage: scripts/setup.sh web|test
#   web  — wasm target, trunk, wasm-bindgen-cli (the Cargo.lock version), npm packages (wasm-opt)
#   test — web + Debian Chromium and chromedriver (Playwright drives them; no browser downloads)
set -euo pipefail
cd "$(dirname "$0")/.."

want=${1:-web}
TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must match the wasm-bindgen crate exactly: read it from Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
have_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q -- "$2"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! have_version wasm-bindgen " $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  # Not --locked: its lock file names a webpki-roots release the registry lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! have_version trunk " $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 6 minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

# npm packages: wasm-opt (binaryen, the only release that parses wasm-bindgen's output),
# Playwright's test runner (driving Debian's Chromium) and a static file server.
stamp=node_modules/.package-lock.sha
lock_sha=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sha" ]; then
  say "installing npm packages (npm ci)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sha" > "$stamp"
fi

if [ "$want" = test ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Debian chromium and chromium-driver (about 20 seconds)"
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi
say "ready ($want)"
