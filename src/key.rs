//! RSA key pairs, e = 65537, with the properties FIPS 186-5 (A.1.3, B.3) asks of them.
//!
//! The `rsa` crate's own generator does not check |p - q|, so primes are found here with
//! crypto-primes (the same sieve the `rsa` crate uses) and the key is then built with
//! `RsaPrivateKey::from_p_q`, which keeps the crate's key type and its checks:
//! - each prime has exactly nlen/2 bits with the top two set, so n has exactly nlen bits;
//! - primality: Miller-Rabin with random bases, as many rounds as crypto-primes computes for an
//!   error below 2^-144 at that size (FIPS 186-5 Table B.1 asks for 2^-112 for 2048-bit keys,
//!   2^-128 for 3072 and 2^-144 for 4096; the extra rounds only cost time on the one prime found,
//!   since composites fail the first round), plus a strong Lucas test;
//! - gcd(p - 1, e) = 1 (p mod e != 1, e being prime);
//! - |p - q| > 2^(nlen/2 - 100) and d > 2^(nlen/2), else the pair is drawn again.
//!
//! The rsa 0.10 family (crypto-bigint, crypto-primes) is used rather than 0.9: measured here it
//! generates keys 2.5-3x faster in wasm (see ../shared/docs/toolchain-notes.md).

use crate::error::{Error, Result};
use crypto_bigint::BoxedUint;
use zeroize::Zeroizing;
use crypto_primes::fips::{is_prime, FipsOptions};
use crypto_primes::hazmat::SmallFactorsSieve;
use crypto_primes::Flavor;
use core::num::NonZeroU32;
use rand_core::CryptoRng;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::PrivateKey as RsaPrivateKey;

pub const PUBLIC_EXPONENT: u64 = 65537;
/// Miller-Rabin error probability bound, as a power of two.
pub const MR_ERROR_BITS: u32 = 144;

/// One prime of `bits` bits (top two bits set) suitable as an RSA factor with e = 65537.
pub fn generate_prime<R: CryptoRng + ?Sized>(rng: &mut R, bits: u32) -> Result<BoxedUint> {
    let bit_length = NonZeroU32::new(bits)
        .filter(|b| b.get() >= 512)
        .ok_or_else(|| Error::Internal(format!("prime size {bits} is too small")))?;
    // An error probability below 2^-144 for this size, with a Lucas test on top.
    let options = FipsOptions::with_error_bound(bits, MR_ERROR_BITS)
        .unwrap_or(FipsOptions::with_mr_iterations(64))
        .with_lucas_test();
    loop {
        // Odd, top two bits set: p * q then has exactly 2 * bits bits.
        let mut bytes = Zeroizing::new(vec![0u8; bits as usize / 8]);
        rng.fill_bytes(&mut bytes);
        bytes[0] |= 0xc0;
        *bytes.last_mut().expect("bits >= 512") |= 1;
        let start = BoxedUint::from_be_slice(&bytes, bits).map_err(|e| Error::internal("prime candidate", e))?;
        let mut sieve = SmallFactorsSieve::new(start, bit_length, false)
            .map_err(|e| Error::internal("prime sieve", e))?;
        let found = sieve.find(|candidate| {
            small_mod(candidate, PUBLIC_EXPONENT) != 1
                && is_prime(&mut *rng, Flavor::Any, candidate, options)
        });
        if let Some(prime) = found {
            return Ok(prime);
        }
    }
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

/// `n mod m` for a small m, without allocating.
fn small_mod(n: &BoxedUint, m: u64) -> u64 {
    n.to_be_bytes().iter().fold(0u64, |r, &b| (r * 256 + b as u64) % m)
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
    fn small_mod_matches() {
        assert_eq!(small_mod(&BoxedUint::from(65538u64 * 3 + 5), 65537), (65538 * 3 + 5) % 65537);
    }
}
