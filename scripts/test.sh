#!/usr/bin/env bash
# `npm test`: native Rust tests with the real peers, the wasm module in Node and Chromium, then
# the CLI, the JS API and the page. Stops at the first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
stage() { printf '\n==== %s\n' "$*"; }

stage "native cargo test (unit tests, property tests, openssl/keytool interop)"
cargo test --quiet --workspace

stage "fuzzing every reader of untrusted input (${FUZZ_SECONDS:-20} s each)"
bash scripts/fuzz.sh

stage "build (wasm module, npm package, page)"
bash scripts/build.sh

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$(command -v wasm-bindgen-test-runner)"
# The runner gives a browser run 20 s by default; key generation in a debug build on a busy
# machine can take longer.
export WASM_BINDGEN_TEST_TIMEOUT=180
stage "wasm-bindgen tests in Node"
cargo test --target wasm32-unknown-unknown --test wasm_node

stage "wasm-bindgen tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test wasm_browser

stage "node tests: CLI, JS API, provisioning, TLS peers, bundlers, page (headless Chromium), 30-bundle soak"
node --test --test-concurrency=1 tests/*.test.mjs

stage "two-way TLS with RSA 3072 and 4096 keys (npm run test:slow)"
KEY_SIZES=3072,4096 node --test tests/tls.test.mjs
