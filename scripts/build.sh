#!/usr/bin/env bash
# Builds the wasm module (pkg/), then the page (dist/). Steps whose inputs did not change are
# skipped (cargo itself is incremental).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '[build] %s\n' "$*"; }

say "cargo build --release --target wasm32-unknown-unknown"
cargo build --quiet --release --target wasm32-unknown-unknown --lib
raw=target/wasm32-unknown-unknown/release/tempus_certgen.wasm

if [ ! -f pkg/tempus_certgen_bg.wasm ] || [ "$raw" -nt pkg/tempus_certgen_bg.wasm ] || [ scripts/build.sh -nt pkg/tempus_certgen_bg.wasm ]; then
  say "wasm-bindgen --target web"
  rm -rf pkg.tmp && wasm-bindgen --target web --out-dir pkg.tmp "$raw"
  # binaryen from npm: Debian's wasm-opt 108 produces modules that fail to instantiate.
  say "wasm-opt -Oz"
  node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
    --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    pkg.tmp/tempus_certgen_bg.wasm -o pkg.tmp/tempus_certgen_bg.wasm
  rm -rf pkg && mv pkg.tmp pkg
fi
say "pkg/tempus_certgen_bg.wasm: $(wc -c < pkg/tempus_certgen_bg.wasm) bytes, $(gzip -9c pkg/tempus_certgen_bg.wasm | wc -c) gzipped"
# The recipe's defaults, from the core (one source) into the JS API.
node scripts/role-defaults.mjs

say "webpack (www/ -> dist/)"
rm -rf dist/tempus-certgen-embed # content-hashed chunks: no stale ones left beside the script
node_modules/.bin/webpack --mode production --no-stats
say "built: $(cd dist && ls | tr '\n' ' ')"
# The same sources give the same bytes wherever they are built: a copy of the page can be checked
# against this (README "Checking the page you were given").
say "SHA-256 of dist/tempus-certgen.html: $(sha256sum dist/tempus-certgen.html | cut -d' ' -f1)"
