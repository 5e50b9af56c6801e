#!/usr/bin/env bash
# Sets up what is missing, then runs every test: the Rust unit and integration tests, and the
# Playwright end-to-end suite against the built app in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests

echo "==> cargo test"
cargo test --locked --workspace --exclude frontend

echo "==> cargo leptos build (the app for the end-to-end tests: the release build, pages split into chunks)"
cargo leptos build --release --split --precompress --cargo-locked

echo "==> page weights (the browser code each page's first load fetches, against its budget)"
node end2end/page-weights.mjs

echo "==> playwright"
(cd end2end && npx playwright test)
