//! The hot path of tempus-certgen's RSA prime search, sized for wasm: a sieve over many small
//! primes ([`sieve`]) and a base-2 strong probable-prime test ([`montgomery`]) that throws out
//! the composites which survive it. The one candidate that passes both is then tested by
//! tempus-certgen with crypto-primes' FIPS 186-5 tests.
//!
//! A crate of its own so that the release profile optimises it for speed (opt-level 3) while
//! the rest of the wasm module is optimised for size: profiles are set per crate.

pub mod montgomery;
pub mod sieve;
