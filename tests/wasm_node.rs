//! wasm-bindgen tests in Node (the CLI's runtime).
#![cfg(target_arch = "wasm32")]
include!("wasm/api.rs");
