#!/usr/bin/env bash
# Installs what building, running and testing Hookline needs, on Debian 12 with Rust 1.95 and Node 20.
# Idempotent: each tool is skipped when it is already there at the right version.
#   scripts/setup.sh            build tools (wasm target, cargo-leptos, wasm-bindgen, wasm-opt, mold)
#   scripts/setup.sh --tests    the same, plus Chromium and the Playwright packages
#   scripts/setup.sh --audit    the same, plus cargo-deny (scripts/audit.sh); flags combine
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=false
with_audit=false
for flag in "$@"; do
  case "$flag" in
    --tests) with_tests=true ;;
    --audit) with_audit=true ;;
    *) echo "unknown flag: $flag" >&2; exit 2 ;;
  esac
done

CARGO_LEPTOS_VERSION=0.3.10
CARGO_DENY_VERSION=0.20.2
BINARYEN_VERSION=132
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_packages=()
command -v mold >/dev/null || apt_packages+=(mold)
$with_tests && { [ -x /usr/bin/chromium ] || apt_packages+=(chromium); }
if [ ${#apt_packages[@]} -gt 0 ]; then
  say "apt: installing ${apt_packages[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${apt_packages[@]}"
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION"; then
  say "cargo: installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes on 2 cores)"
  # no_downloads: fail clearly when a tool is missing instead of trying to fetch it from GitHub.
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  say "cargo: installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (the version in Cargo.lock)"
  # Not --locked: its lockfile wants a webpki-roots version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# wasm-opt for release builds. Debian's binaryen (108) produces a WASM that fails in the browser.
if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  say "npm: installing binaryen $BINARYEN_VERSION (wasm-opt)"
  as_root npm install -g --silent "binaryen@$BINARYEN_VERSION"
fi

if $with_audit && ! cargo deny --version 2>/dev/null | grep -q " $CARGO_DENY_VERSION"; then
  say "cargo: installing cargo-deny $CARGO_DENY_VERSION (about 7 minutes on 2 cores)"
  cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked
fi

if $with_tests; then
  lock_hash=$(sha256sum end2end/package-lock.json | cut -d' ' -f1)
  if [ "$(cat end2end/node_modules/.lock-hash 2>/dev/null)" != "$lock_hash" ]; then
    say "npm: installing the end-to-end test packages"
    # Never `npx playwright install`: browsers cannot be downloaded here; tests use Debian's Chromium.
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
    echo "$lock_hash" > end2end/node_modules/.lock-hash
  fi
fi
say "setup complete"
