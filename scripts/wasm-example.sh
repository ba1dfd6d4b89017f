#!/usr/bin/env bash
# Runs an example (examples/NAME.rs) as wasm (wasm32-wasip1, with the real build's flags:
# 32-bit limbs, SIMD) under Node's WASI, TurboFan only (no baseline tier skewing the first
# timings): the same deterministic profiles as natively, in the engine Chromium uses.
#   scripts/wasm-example.sh primality 20     scripts/wasm-example.sh assembly 10
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1
name=$1; shift
RUSTFLAGS="--cfg cpubits=\"32\" -C target-feature=+simd128 ${EXTRA_RUSTFLAGS:-}" cargo build --quiet --release --target wasm32-wasip1 --example "$name"
node --no-liftoff --no-wasm-lazy-compilation --no-warnings --input-type=module -e '
import { WASI } from "node:wasi";
import { readFileSync } from "node:fs";
const wasi = new WASI({ version: "preview1", args: process.argv.slice(1) });
const module = await WebAssembly.compile(readFileSync(`target/wasm32-wasip1/release/examples/${process.argv[1]}.wasm`));
wasi.start(await WebAssembly.instantiate(module, wasi.getImportObject()));
' -- "$name" "$@"
