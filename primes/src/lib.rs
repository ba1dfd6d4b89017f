//! The hot path of tempus-certgen's RSA prime search, sized for wasm: a sieve over every prime
//! below 2^17 ([`sieve`]), and Montgomery arithmetic with the probable-prime tests on it
//! ([`montgomery`]): a base-2 Miller-Rabin test that throws out the composites which survive
//! the sieve, then Miller-Rabin with random bases and a strong Lucas test for the one that
//! passes (tempus-certgen's `key` module drives them).
//!
//! A crate of its own so that the release profile optimises it for speed (opt-level 3) while
//! the rest of the wasm module is optimised for size: profiles are set per crate.

pub mod montgomery;
pub mod sieve;
