#!/usr/bin/env bash
# Fuzzes the certificate parser (inspect + server-certificate input) with cargo-fuzz/libFuzzer
# for FUZZ_SECONDS (default 60). Needs a nightly toolchain and cargo-fuzz; skipped without them.
#   FUZZ_SECONDS=3600 bash scripts/fuzz.sh     # a longer run
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${FUZZ_SECONDS:-60}"
if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "[fuzz] skipped: no nightly toolchain (rustup toolchain install nightly)"; exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "[fuzz] skipped: cargo-fuzz is not installed (cargo install cargo-fuzz)"; exit 0
fi
echo "[fuzz] certificate parser for ${seconds}s"
cargo +nightly fuzz run certificate corpus/certificate -- -max_total_time="$seconds" -rss_limit_mb=2048 2>&1 | tail -n 15
