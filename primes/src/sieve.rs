//! The candidates of an incremental prime search: from a random odd start, the numbers start,
//! start + 2, ... of a window, without those that have a prime factor below 2^17 or are 1 mod
//! 65537 (the public exponent: p - 1 must be prime to it).
//!
//! Why not crypto-primes' sieve: it divides by the first 2,047 primes (up to 17,863); sieving
//! up to 2^17 (12,251 primes) leaves a fifth fewer candidates for the expensive test, ~7 base-2
//! tests fewer per 1024-bit prime, for ~1.5 ms of residues per window in wasm
//! (BENCHMARKS.md, step 6). Residues take one f64 reciprocal per prime instead of divisions.

use std::sync::OnceLock;
use zeroize::{Zeroize, Zeroizing};

/// Sieving primes are the odd primes below this.
pub const SMALL_PRIME_LIMIT: u32 = 1 << 17;
/// Odd numbers per window (a span of 8,192: ~11 primes of 1024 bits on average).
pub const WINDOW: usize = 4096;
const E: u32 = 65537;

/// The odd primes below [`SMALL_PRIME_LIMIT`] with their reciprocals, made once.
pub fn small_primes() -> &'static [(u32, f64)] {
    static PRIMES: OnceLock<Vec<(u32, f64)>> = OnceLock::new();
    PRIMES.get_or_init(|| {
        let limit = SMALL_PRIME_LIMIT as usize;
        let mut composite = vec![false; limit];
        let mut primes = Vec::with_capacity(12_300);
        for i in (3..limit).step_by(2) {
            if !composite[i] {
                primes.push((i as u32, 1.0 / i as f64));
                // i * i overflows a 32-bit usize (wasm) for the larger i, which mark nothing.
                if let Some(square) = i.checked_mul(i) {
                    for j in (square..limit).step_by(2 * i) {
                        composite[j] = true;
                    }
                }
            }
        }
        primes
    })
}

/// A window of candidates from an odd start.
pub struct Sieve {
    start: Zeroizing<Vec<u8>>,
    composite: Vec<bool>,
    next: usize,
}

impl Drop for Sieve {
    fn drop(&mut self) {
        self.composite.zeroize();
    }
}

impl Sieve {
    /// `start`: big-endian and odd (the caller sets the top bits it needs).
    pub fn new(start: &[u8]) -> Self {
        // 32-bit words, most significant first (a partial word at the top if needed).
        let pad = (4 - start.len() % 4) % 4;
        let mut padded = Zeroizing::new(vec![0u8; pad]);
        padded.extend_from_slice(start);
        let words: Zeroizing<Vec<u64>> =
            Zeroizing::new(padded.chunks_exact(4).map(|w| u32::from_be_bytes([w[0], w[1], w[2], w[3]]) as u64).collect());
        let mut composite = vec![false; WINDOW];
        for &(p, reciprocal) in small_primes() {
            let r = residue(&words, p, reciprocal);
            // start + 2i = 0 (mod p)  <=>  i = -r / 2 = (p - r) * (p + 1) / 2 (mod p).
            let half = (p as u64).div_ceil(2);
            mark(&mut composite, ((p - r) as u64 * half % p as u64) as usize, p as usize);
            if p == E {
                // start + 2i = 1 (mod e)  <=>  i = (1 - r) / 2 (mod e).
                mark(&mut composite, ((1 + p - r) as u64 % p as u64 * half % p as u64) as usize, p as usize);
            }
        }
        Sieve { start: Zeroizing::new(start.to_vec()), composite, next: 0 }
    }

    /// The next candidate of the window, big-endian, as long as `start`; `None` at the end of
    /// the window (or if adding would carry out of the top byte): draw a new start.
    pub fn next_candidate(&mut self) -> Option<Zeroizing<Vec<u8>>> {
        while self.next < WINDOW {
            let i = self.next;
            self.next += 1;
            if self.composite[i] {
                continue;
            }
            let mut candidate = Zeroizing::new(self.start.to_vec());
            let mut carry = 2 * i as u32;
            for byte in candidate.iter_mut().rev() {
                if carry == 0 {
                    break;
                }
                let sum = *byte as u32 + (carry & 0xff);
                *byte = sum as u8;
                carry = (carry >> 8) + (sum >> 8);
            }
            if carry != 0 {
                return None;
            }
            return Some(candidate);
        }
        None
    }
}

/// For the tests (native and wasm): the sieve's window from a 64-bit odd start, and the same
/// window by trial division, which must be equal.
#[doc(hidden)]
pub fn window_and_reference(start: u64) -> (Vec<u64>, Vec<u64>) {
    let mut sieve = Sieve::new(&start.to_be_bytes());
    let mut got = Vec::new();
    while let Some(c) = sieve.next_candidate() {
        got.push(u64::from_be_bytes(c[..].try_into().expect("8 bytes in, 8 out")));
    }
    let want = (0..WINDOW as u64)
        .map(|i| start + 2 * i)
        .filter(|&c| c % E as u64 != 1 && small_primes().iter().all(|&(p, _)| c % p as u64 != 0))
        .collect();
    (got, want)
}

/// Marks i, i + p, i + 2p, ... in the window.
fn mark(composite: &mut [bool], first: usize, p: usize) {
    for flag in composite.iter_mut().skip(first).step_by(p) {
        *flag = true;
    }
}

/// The number in 32-bit words (most significant first) mod p, for p < 2^17: each step's
/// r * 2^32 + w is below 2^49, exact in an f64, and the quotient from the reciprocal is off by
/// at most one, which the two masked corrections fix (no branch on the secret start).
fn residue(words: &[u64], p: u32, reciprocal: f64) -> u32 {
    let p = p as i64;
    let mut r: i64 = 0;
    for &w in words {
        let x = (r << 32) | w as i64;
        let q = (x as f64 * reciprocal) as i64;
        let mut t = x - q * p;
        t += (t >> 63) & p; // t < 0: add p
        t -= p & !((t - p) >> 63); // t >= p: subtract p
        r = t;
    }
    r as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_primes_are_the_primes() {
        let primes = small_primes();
        assert_eq!(primes.len(), 12_250); // pi(2^17) = 12,251, without 2
        assert_eq!(&primes[..5].iter().map(|p| p.0).collect::<Vec<_>>(), &[3, 5, 7, 11, 13]);
        assert_eq!(primes.last().unwrap().0, 131_071); // 2^17 - 1, a Mersenne prime
    }

    #[test]
    fn residues_match_division() {
        let n: u128 = 0xfedc_ba98_7654_3210_0123_4567_89ab_cdef;
        let words: Vec<u64> = n.to_be_bytes().chunks(4).map(|w| u32::from_be_bytes(w.try_into().unwrap()) as u64).collect();
        for &(p, reciprocal) in small_primes() {
            assert_eq!(residue(&words, p, reciprocal) as u128, n % p as u128, "p = {p}");
        }
    }

    /// Exactly the odd numbers of the window with no prime factor below 2^17 and not 1 mod e.
    #[test]
    fn window_is_exact() {
        let (got, want) = window_and_reference((1 << 62) + 0x1234_5677);
        assert_eq!(got, want);
        assert!(got.len() > 300 && got.len() < 700, "{}", got.len());
    }

    #[test]
    fn stops_before_carrying_out_of_the_top() {
        let mut sieve = Sieve::new(&[0xff, 0xff, 0xff, 0xfd]);
        while let Some(c) = sieve.next_candidate() {
            assert_eq!(c.len(), 4);
        }
        assert!(sieve.next_candidate().is_none());
    }
}
