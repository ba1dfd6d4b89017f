#!/usr/bin/env bash
# Builds the wasm modules (pkg/, pkg/lean/), then the page (dist/). Steps whose inputs did not change are
# skipped (cargo itself is incremental).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '[build] %s\n' "$*"; }

# Two modules from one crate (Cargo.toml [features]): pkg/ the full one, pkg/lean/ the page's
# first generation (no reading of files a person supplies, no device CA, RSA only). The lean one
# builds in target/lean/: in the same target dir each switch of features would rebuild the crate.
say "cargo build --release --target wasm32-unknown-unknown (full, then lean: --no-default-features)"
cargo build --quiet --release --target wasm32-unknown-unknown --lib
cargo build --quiet --release --target wasm32-unknown-unknown --lib --no-default-features --target-dir target/lean
declare -A raw=([full]=target/wasm32-unknown-unknown/release/tempus_certgen.wasm [lean]=target/lean/wasm32-unknown-unknown/release/tempus_certgen.wasm)

stale() { [ ! -f "$1" ] || [ "$2" -nt "$1" ] || [ scripts/build.sh -nt "$1" ]; }
if stale pkg/tempus_certgen_bg.wasm "${raw[full]}" || stale pkg/lean/tempus_certgen_bg.wasm "${raw[lean]}"; then
  rm -rf pkg.tmp
  for kind in full lean; do
    out=pkg.tmp; [ "$kind" = lean ] && out=pkg.tmp/lean
    say "wasm-bindgen --target web ($kind)"
    wasm-bindgen --target web --out-dir "$out" --out-name tempus_certgen "${raw[$kind]}"
    # binaryen from npm: Debian's wasm-opt 108 produces modules that fail to instantiate.
    # -Oz twice: the second pass still finds about 1 KB gzip in each module. A Rust module's memory
    # starts zeroed and its first KB is never used (the stack sits below the data): said, wasm-opt
    # folds constant addresses into loads and stores (0.7 KB gzip more).
    say "wasm-opt -Oz -Oz ($kind)"
    node_modules/.bin/wasm-opt -Oz -Oz --zero-filled-memory --low-memory-unused --strip-debug --strip-producers \
      --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$out/tempus_certgen_bg.wasm" -o "$out/tempus_certgen_bg.wasm"
  done
  rm -rf pkg && mv pkg.tmp pkg
fi
for w in pkg/tempus_certgen_bg.wasm pkg/lean/tempus_certgen_bg.wasm; do
  say "$w: $(wc -c < "$w") bytes, $(gzip -9c "$w" | wc -c) gzipped"
done
# The recipe's defaults, from the core (one source) into the JS API.
node scripts/role-defaults.mjs

say "webpack (www/ -> dist/)"
rm -rf dist/tempus-certgen-embed # content-hashed chunks: no stale ones left beside the script
node_modules/.bin/webpack --mode production --no-stats
say "built: $(cd dist && ls | tr '\n' ' ')"
# The same sources give the same bytes wherever they are built: a copy of the page can be checked
# against this (README "Checking the page you were given").
say "SHA-256 of dist/tempus-certgen.html: $(sha256sum dist/tempus-certgen.html | cut -d' ' -f1)"
