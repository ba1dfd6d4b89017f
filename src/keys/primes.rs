//! RSA key pairs, e = 65537, with the properties FIPS 186-5 (A.1.3, B.3) asks of them.
//!
//! The `rsa` crate's own generator does not check |p - q|, so primes are found here (an
//! incremental search from a random odd start, like the `rsa` crate's, with `primes/`'s sieve
//! and tests, whose arithmetic is written for wasm: BENCHMARKS.md) and the key is then built
//! with `RsaPrivateKey::from_p_q`, which keeps the crate's key type and its checks:
//! - each prime has exactly nlen/2 bits with the top two set, so n has exactly nlen bits;
//! - primality: Miller-Rabin with random bases, as many rounds as crypto-primes computes for an
//!   error below 2^-144 at that size (FIPS 186-5 Table B.1 asks for 2^-112 for 2048-bit keys,
//!   2^-128 for 3072 and 2^-144 for 4096; the extra rounds only cost time on the one prime found,
//!   since composites fail the first, base-2 test), plus a strong Lucas test;
//! - gcd(p - 1, e) = 1 (p mod e != 1, e being prime);
//! - |p - q| > 2^(nlen/2 - 100) and d > 2^(nlen/2), else the pair is drawn again.

use crate::error::{Error, Result};
use tempus_certgen_primes::montgomery::Modulus;
use tempus_certgen_primes::sieve::Sieve;
use crypto_bigint::{BoxedUint, NonZero, RandomMod, Resize};
use crypto_primes::hazmat::minimum_mr_iterations;
use rand_core::CryptoRng;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::PrivateKey as RsaPrivateKey;
use zeroize::{Zeroize, Zeroizing};

pub const PUBLIC_EXPONENT: u64 = 65537;
/// Miller-Rabin error probability bound, as a power of two.
pub const MR_ERROR_BITS: u32 = 144;

/// One prime of `bits` bits (top two bits set) suitable as an RSA factor with e = 65537.
pub fn generate_prime<R: CryptoRng + ?Sized>(rng: &mut R, bits: u32) -> Result<BoxedUint> {
    let mut search = PrimeSearch::new(bits)?;
    loop {
        if let Some(prime) = search.step(rng, usize::MAX)? {
            return Ok(prime);
        }
    }
}

/// A prime search that can stop and go on: [`PrimeSearch::step`] runs a bounded number of
/// candidate tests, so a worker can check between steps whether another worker has already won
/// the race (browser.js races every worker for the two primes of a key).
pub struct PrimeSearch {
    bits: u32,
    /// Enough random-base rounds for an error probability below 2^-144 at this size.
    rounds: usize,
    sieve: Option<Sieve>,
}

impl PrimeSearch {
    pub fn new(bits: u32) -> Result<Self> {
        if bits < 512 || !bits.is_multiple_of(8) {
            return Err(Error::Internal(format!("prime size {bits} is not supported")));
        }
        Ok(PrimeSearch { bits, rounds: minimum_mr_iterations(bits, MR_ERROR_BITS).unwrap_or(64), sieve: None })
    }

    /// Test up to `max_tests` candidates; `Some(prime)` as soon as one passes everything.
    pub fn step<R: CryptoRng + ?Sized>(&mut self, rng: &mut R, max_tests: usize) -> Result<Option<BoxedUint>> {
        for _ in 0..max_tests {
            let sieve = match &mut self.sieve {
                Some(sieve) => sieve,
                None => {
                    // Odd, top two bits set: p * q then has exactly 2 * bits bits.
                    let mut start = Zeroizing::new(vec![0u8; self.bits as usize / 8]);
                    rng.fill_bytes(&mut start);
                    start[0] |= 0xc0;
                    *start.last_mut().expect("bits >= 512") |= 1;
                    self.sieve.insert(Sieve::new(&start))
                }
            };
            // The sieve leaves out multiples of small primes and 1 mod e; most of what it lets
            // through is still composite, and the fast base-2 test (primes/) throws those out.
            // The one that passes then gets the FIPS 186-5 tests.
            let Some(candidate) = sieve.next_candidate() else {
                self.sieve = None; // window done: a new random start
                continue;
            };
            let Some(mut modulus) = Modulus::new(&candidate) else { continue };
            if !modulus.is_strong_probable_prime_base_2() {
                continue;
            }
            let candidate = BoxedUint::from_be_slice(&candidate, self.bits).map_err(|e| Error::internal("prime candidate", e))?;
            if passes_fips_tests(rng, &mut modulus, &candidate, self.rounds)? {
                self.sieve = None;
                return Ok(Some(candidate));
            }
        }
        Ok(None)
    }
}

/// FIPS 186-5 B.3.1: `rounds` Miller-Rabin rounds with bases drawn uniformly from [2, n - 2],
/// then a strong Lucas test (Selfridge parameters), both with primes/'s arithmetic (property-
/// tested against crypto-primes' own tests).
pub fn passes_fips_tests<R: CryptoRng + ?Sized>(rng: &mut R, modulus: &mut Modulus, n: &BoxedUint, rounds: usize) -> Result<bool> {
    let range = NonZero::new(n.wrapping_sub(BoxedUint::from(3u32).resize(n.bits_precision())))
        .into_option()
        .ok_or_else(|| Error::Internal("prime candidate too small".into()))?;
    for _ in 0..rounds {
        let mut base = BoxedUint::random_mod_vartime(rng, &range).wrapping_add(BoxedUint::from(2u32).resize(n.bits_precision()));
        let passed = modulus.is_strong_probable_prime(&base.to_be_bytes());
        base.zeroize();
        if !passed {
            return Ok(false);
        }
    }
    // No Selfridge parameter in 30 tries: n is a perfect square (composite), or a prime with odds
    // of 2^-30. Either way the candidate is dropped: refusing a prime costs one more candidate,
    // and a perfect-square test (crypto-primes' Lucas test, with its integer square root) would
    // be 6 KB gzip more in each wasm module for a case a key never meets.
    Ok(modulus.is_strong_lucas_probable_prime() == Some(true))
}

/// A key from two primes, if the pair meets FIPS 186-5's conditions; `None` asks for new ones.
pub fn key_from_primes(p: BoxedUint, q: BoxedUint, key_bits: u32) -> Result<Option<RsaPrivateKey>> {
    let half = key_bits / 2;
    let diff = if p > q { p.wrapping_sub(&q) } else { q.wrapping_sub(&p) };
    if diff.bit_width_vartime() <= half - 100 {
        return Ok(None);
    }
    let mut key = RsaPrivateKey::from_p_q(p, q, BoxedUint::from(PUBLIC_EXPONENT))
        .map_err(|e| Error::internal("building the RSA key", e))?;
    if key.n().bit_width_vartime() != key_bits || key.d().bit_width_vartime() <= half {
        return Ok(None);
    }
    key.validate().map_err(|e| Error::internal("checking the RSA key", e))?;
    key.precompute().map_err(|e| Error::internal("precomputing the RSA key", e))?;
    Ok(Some(key))
}

/// A new RSA key pair of `bits` bits (2048, 3072 or 4096).
pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R, bits: u32) -> Result<RsaPrivateKey> {
    loop {
        let p = generate_prime(rng, bits / 2)?;
        let q = generate_prime(rng, bits / 2)?;
        if let Some(key) = key_from_primes(p, q, bits)? {
            return Ok(key);
        }
    }
}

/// `n mod m` for a small m.
#[cfg(test)]
fn small_mod(n: &BoxedUint, m: u64) -> u64 {
    small_mod_be(&n.to_be_bytes(), m)
}

/// `n mod m` for a small m, n big-endian.
pub fn small_mod_be(n: &[u8], m: u64) -> u64 {
    n.iter().fold(0u64, |r, &b| (r * 256 + b as u64) % m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha8Rng;
    use rand_core::SeedableRng;

    #[test]
    fn seeded_key_is_valid_and_repeatable() {
        let key = generate(&mut ChaCha8Rng::from_seed([7; 32]), 2048).unwrap();
        assert_eq!(key.n().bit_width_vartime(), 2048);
        assert_eq!(key.e(), &BoxedUint::from(65537u64));
        let [p, q] = [&key.primes()[0], &key.primes()[1]];
        assert_eq!((p.bit_width_vartime(), q.bit_width_vartime()), (1024, 1024));
        assert_ne!(small_mod(p, 65537), 1);
        let again = generate(&mut ChaCha8Rng::from_seed([7; 32]), 2048).unwrap();
        assert_eq!(key.n(), again.n());
    }

    #[test]
    fn close_primes_are_refused() {
        let mut rng = ChaCha8Rng::from_seed([1; 32]);
        let p = generate_prime(&mut rng, 1024).unwrap();
        // Same prime twice: |p - q| = 0.
        assert!(key_from_primes(p.clone(), p, 2048).unwrap().is_none());
    }

    #[test]
    fn a_perfect_square_is_refused_and_a_prime_passes() {
        // No Selfridge parameter exists for a square: the Lucas step has none, the candidate goes.
        // 1093 is a Wieferich prime: 1093^2 passes the base-2 test that comes before.
        let mut rng = ChaCha8Rng::from_seed([3; 32]);
        for (n, prime) in [(1093u64 * 1093, false), (1_000_003, true), (1_000_001, false)] {
            let bytes = n.to_be_bytes();
            let mut modulus = Modulus::new(&bytes).unwrap();
            assert_eq!(passes_fips_tests(&mut rng, &mut modulus, &BoxedUint::from(n), 0).unwrap(), prime, "{n}");
        }
    }

    #[test]
    fn small_mod_matches() {
        assert_eq!(small_mod(&BoxedUint::from(65538u64 * 3 + 5), 65537), (65538 * 3 + 5) % 65537);
    }
}
