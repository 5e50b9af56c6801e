#!/usr/bin/env bash
# Sets up what is missing, builds Hookline in release mode and runs it on http://127.0.0.1:3000
# (LEPTOS_SITE_ADDR to change), with its SQLite database under ./data. HOOKLINE_* variables configure it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# --split: each page's code is a chunk of its own, loaded when the page is opened (app/src/lazy_routes.rs);
# --precompress: gzip and brotli copies of the browser files, which the server sends to browsers that take them.
exec cargo leptos serve --release --split --precompress --cargo-locked
