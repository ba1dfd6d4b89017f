#!/usr/bin/env bash
# Installs what `npm start` / `npm run build` (and with --test, `npm test`) need and is missing,
# from the package registries only. Idempotent: a second run checks and skips.
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1
say() { printf '[setup] %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

command -v cargo >/dev/null || { echo "[setup] cargo not found: install Rust with rustup first" >&2; exit 1; }
command -v node >/dev/null || { echo "[setup] node not found: install Node.js 20 first" >&2; exit 1; }

# 1. Rust's wasm target.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. The wasm-bindgen CLI at exactly the version in Cargo.lock (its own lock file pins crates
#    this registry lacks, so no --locked).
wb_version=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  say "installing wasm-bindgen-cli $wb_version (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

# 3. npm dependencies, when package-lock.json changed since the last install.
npm_current() {
  node -e '
    const fs = require("fs");
    const want = JSON.parse(fs.readFileSync("package-lock.json")).packages;
    const have = JSON.parse(fs.readFileSync("node_modules/.package-lock.json")).packages;
    const ok = Object.entries(want).every(([k, v]) => k === "" || (have[k] && have[k].version === v.version));
    process.exit(ok ? 0 : 1);' 2>/dev/null
}
if ! npm_current; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

# 4. For the tests: the real peers, from Debian.
if [ "$want_test" = 1 ]; then
  missing=()
  command -v openssl >/dev/null || missing+=(openssl)
  { command -v keytool >/dev/null && command -v java >/dev/null; } || missing+=(openjdk-17-jdk-headless)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
  command -v mosquitto_pub >/dev/null || missing+=(mosquitto-clients)
  command -v python3 >/dev/null || missing+=(python3) # the pty and zip checks of the node tests
  python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv) # paho-mqtt for device-code's script, in a venv
  command -v gcc >/dev/null || missing+=(gcc)                                  # device-code's header, compiled
  [ -f /usr/include/mbedtls/x509_crt.h ] || missing+=(libmbedtls-dev)        # ... and read by mbedTLS
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      say "installing Debian packages: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "[setup] missing Debian packages: ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
fi
# 5. For the tests: cargo-fuzz, when a nightly toolchain is there to run it (scripts/fuzz.sh).
if [ "$want_test" = 1 ] && rustup toolchain list 2>/dev/null | grep -q '^nightly' && ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz (a few minutes, once)"
  cargo install cargo-fuzz || say "cargo-fuzz could not be installed; the fuzz stage will be skipped"
fi
say "ready"
