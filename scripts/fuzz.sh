#!/usr/bin/env bash
# Fuzzes every reader of untrusted input with cargo-fuzz/libFuzzer, FUZZ_SECONDS each (default
# 20): the certificate parser (inspect, the server certificate), certificate requests, key files,
# PKCS#12 and the PEM armour. Each starts from real files made by openssl and keytool
# (fuzz/corpus/<target>/); what it finds new goes to a scratch folder, not into the checkout.
# Needs a nightly toolchain and cargo-fuzz; skipped without them. A crash fails the run.
#   FUZZ_SECONDS=3600 FUZZ_TARGETS=pkcs12 bash scripts/fuzz.sh     # a long run of one target
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${FUZZ_SECONDS:-20}"
targets="${FUZZ_TARGETS:-certificate request keyfile pkcs12 pem}"
if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "[fuzz] skipped: no nightly toolchain (rustup toolchain install nightly)"; exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "[fuzz] skipped: cargo-fuzz is not installed (cargo install cargo-fuzz)"; exit 0
fi
cargo +nightly fuzz build >/dev/null 2>&1 || cargo +nightly fuzz build
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for target in $targets; do
  echo "[fuzz] $target for ${seconds}s"
  mkdir -p "$scratch/$target"
  log="$scratch/$target.log"
  if ! cargo +nightly fuzz run "$target" "$scratch/$target" "corpus/$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=60 >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "[fuzz] $target FAILED (the crashing input is in fuzz/artifacts/$target/)"; exit 1
  fi
  grep -E '^Done [0-9]+ runs' "$log" | sed "s/^/[fuzz] $target: /" || tail -n 3 "$log"
done
