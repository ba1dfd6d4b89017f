//! tempus-certgen: X.509 credentials for devices of Tempus (and ThingsBoard) that log in to the
//! MQTT broker over two-way TLS, generated locally: natively, or in the browser as WebAssembly.
//!
//! ```no_run
//! let mut params = tempus_certgen::Params::client();
//! params.cn = "device-42".into();
//! let bundle = tempus_certgen::generate(&params, 1_795_000_000).unwrap();
//! for file in &bundle.files {
//!     println!("{} ({} bytes)", file.name, file.bytes.len());
//! }
//! println!("credentials id: {}", bundle.credentials_id);
//! ```
//!
//! Layers, lowest first; each module imports only those below it (README "How it is built"):
//! `error`, `oid` -> `role`, `rng` -> `formats` -> `tempus` -> `keys` -> `x509` -> `issue` |
//! `inspect` -> `recipe` -> `api` -> `wasm`. The core is free of browser types; `wasm` (wasm32
//! only) is the thin JS binding.

pub mod error;
pub mod oid;
pub mod rng;
pub mod role;
pub mod formats;
pub mod tempus;
pub mod keys;
pub mod x509;
pub mod issue;
pub mod inspect;
pub mod recipe;
pub mod api;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

/// The prime search's sieve and probable-prime tests (a crate of its own: opt-level 3).
pub use tempus_certgen_primes::{montgomery, sieve};

pub use api::*;
pub use error::{Error, Field, Result};
pub use inspect::{inspect, inspect_request, ChainLink, Inspection, RequestInspection, Warning};
pub use keys::pair::{KeyPair, KeyType};
pub use recipe::files::{Bundle, File};
pub use recipe::params::Params;
pub use recipe::request::{AssembleSource, RequestBundle, SignOptions};
pub use role::Role;
pub use tempus::credentials_id;

// Talc in wasm instead of std's dlmalloc: 2.9 KB gzip smaller in each module and as fast in A/B
// runs (BENCHMARKS.md "Issue 19's bounds reached"). Freed memory is wiped by the code that held
// secrets (zeroize) before it reaches any allocator.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
