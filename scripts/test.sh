#!/usr/bin/env bash
# `npm test`: native Rust tests with the real peers, the wasm module in Node and Chromium, then
# the CLI, the JS API and the page. Stops at the first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
stage() { printf '\n==== %s\n' "$*"; }

stage "native cargo test (unit tests + openssl/keytool interop)"
cargo test --quiet

stage "build (wasm module, npm package, page)"
bash scripts/build.sh

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$(command -v wasm-bindgen-test-runner)"
stage "wasm-bindgen tests in Node"
cargo test --quiet --target wasm32-unknown-unknown --test wasm_node

stage "wasm-bindgen tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --quiet --target wasm32-unknown-unknown --test wasm_browser

stage "node tests: CLI, JS API, page (headless Chromium)"
node --test --test-concurrency=1 tests/*.test.mjs
