//! The thin wasm-bindgen layer: reads JS options, calls the core, returns plain JS objects.
//! Every error becomes a JS `Error` with the core's message, a stable `code` and the option's
//! name as `field`. "Now" comes from `Date.now()` because `SystemTime::now()` panics here.
//!
//! One crate, two modules: `generate` is in both (the lean module the page loads first: built
//! with `--no-default-features`), `read` only in the full one (feature "full", the default).

#[cfg(feature = "full")]
mod defaults;
mod generate;
mod options;
mod output;
#[cfg(feature = "full")]
mod read;

#[cfg(feature = "full")]
pub use defaults::*;
pub use generate::*;
#[cfg(feature = "full")]
pub use read::*;
