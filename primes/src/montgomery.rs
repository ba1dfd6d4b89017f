//! Montgomery arithmetic sized for wasm, and the probable-prime tests of the prime search on
//! it: the base-2 Miller-Rabin test that throws out the composites which survive the sieve,
//! then, for the candidate that passes, Miller-Rabin with random bases and the strong Lucas
//! test (FIPS 186-5 B.3.1).
//!
//! Why not crypto-bigint here: wasm has a 64-bit multiply but no 64x64->128 one, and full
//! 32-bit limbs need a carry split after every product. With 28-bit limbs, a product is below
//! 2^56, so each column of a Montgomery product (product scanning, up to 2 * 74 products for
//! 2048-bit moduli) is summed in one u64 without carries and split once. With wasm SIMD the
//! column sums take four products at a time (`dot`). Base 2 needs no multiplications besides
//! the squarings (a set exponent bit is a doubling), and squarings need a quarter fewer
//! products. Measured in BENCHMARKS.md (steps 5 and 7).
//!
//! The candidate that passes is a secret prime, so the exponentiations do the same work
//! whatever its bits (masked selects, every table entry read); only lengths (public: the prime
//! size) and the trailing zeros of n - 1 and n + 1 shape the loops, as in any Miller-Rabin or
//! Lucas implementation. Every test is property-tested against crypto-primes' own
//! (`tests/properties.rs`; the SIMD path in `tests/wasm/api.rs`).

mod primality;

use zeroize::Zeroize;

const W: u32 = 28;
const MASK: u32 = (1 << W) - 1;
/// 74 limbs of 28 bits hold 2072 bits; lazy sums of up to 74 * 2^57 fit in 64 bits.
const MAX_LIMBS: usize = 74;

/// An odd modulus with what Montgomery multiplication needs.
pub struct Modulus {
    n: Vec<u32>,
    /// n's limbs, last first.
    n_rev: Vec<u32>,
    bits: usize,
    /// -n^-1 mod 2^28.
    n_inv: u32,
    /// R mod n (R = 2^(28 len)): 1 in Montgomery form.
    one: Vec<u32>,
    /// n - (R mod n): -1 in Montgomery form.
    minus_one: Vec<u32>,
    /// R^2 mod n, to bring numbers into Montgomery form; made on first use (the base-2 test,
    /// which most candidates only get, does without).
    r_squared: Option<Vec<u32>>,
    scratch: Vec<u32>,
}

impl Drop for Modulus {
    fn drop(&mut self) {
        self.n.zeroize();
        self.n_rev.zeroize();
        self.one.zeroize();
        self.minus_one.zeroize();
        if let Some(r2) = &mut self.r_squared {
            r2.zeroize();
        }
        self.scratch.zeroize();
    }
}

impl Modulus {
    /// `n` big-endian, odd, at least 3, at most 2048 bits; `None` otherwise.
    pub fn new(n_be: &[u8]) -> Option<Self> {
        let bits = bit_length(n_be);
        if bits < 2 || n_be.last()? & 1 == 0 {
            return None;
        }
        // One spare bit at least, so that 2n < R and a lazy result below 2n fits.
        let len = bits / W as usize + 1;
        if len > MAX_LIMBS {
            return None;
        }
        let n = to_limbs(n_be, len);
        // Newton iteration for n^-1 mod 2^28 (each step doubles the correct low bits).
        let mut inv: u32 = 1;
        for _ in 0..5 {
            inv = inv.wrapping_mul(2u32.wrapping_sub(n[0].wrapping_mul(inv))) & MASK;
        }
        let n_inv = inv.wrapping_neg() & MASK;
        let n_rev = n.iter().rev().copied().collect();
        // R mod n by doubling 1, 28 * len times.
        let mut one = vec![0; len];
        one[0] = 1;
        for _ in 0..W as usize * len {
            double(&mut one, &n);
        }
        let mut minus_one = n.clone();
        sub_in_place(&mut minus_one, &one);
        Some(Modulus { n, n_rev, bits, n_inv, one, minus_one, r_squared: None, scratch: vec![0; len] })
    }

    fn len(&self) -> usize {
        self.n.len()
    }

    /// out = a * b / R mod n, for a, b < n. Constant time for a given length.
    pub fn mul(&mut self, a: &[u32], b: &[u32], out: &mut [u32]) {
        self.product(a, b, out, false);
    }

    /// out = a * a / R mod n, for a < n: a quarter fewer multiplications than `mul`.
    pub fn square(&mut self, a: &[u32], out: &mut [u32]) {
        self.product(a, a, out, true);
    }

    /// Montgomery multiplication by product scanning: column k of a * b + m * n is summed in one
    /// u64 register (at most 2 * 74 products below 2^56 each, plus a carry: below 2^64), and the
    /// quotient limb m[k] is chosen so that the column's low 28 bits vanish.
    #[inline(always)]
    fn product(&mut self, a: &[u32], b: &[u32], out: &mut [u32], squaring: bool) {
        let len = self.len();
        let (n, n_rev, m) = (&self.n[..len], &self.n_rev[..len], &mut self.scratch[..len]);
        let (a, out) = (&a[..len], &mut out[..len]);
        // b reversed, so that every column is a forward dot product (which the compiler unrolls).
        let mut b_rev = [0u32; MAX_LIMBS];
        let b_rev = &mut b_rev[..len];
        for (r, &v) in b_rev.iter_mut().zip(b[..len].iter().rev()) {
            *r = v;
        }
        let mut acc = 0u64;
        for k in 0..2 * len - 1 {
            let lo = (k + 1).saturating_sub(len);
            let hi = k.min(len - 1);
            // Products a[j] * b[k - j] for j in lo..=hi; b[k - j] = b_rev[s + j - lo].
            let s = len - 1 + lo - k;
            acc += if squaring {
                // Each a[j] * a[k - j] with j < k - j twice, the middle one (k even) once.
                let pairs = (hi + 1 - lo) / 2;
                let twice = dot(&a[lo..lo + pairs], &b_rev[s..s + pairs]) << 1;
                twice + if k % 2 == 0 { a[k / 2] as u64 * a[k / 2] as u64 } else { 0 }
            } else {
                dot(&a[lo..=hi], &b_rev[s..=s + hi - lo])
            };
            if k < len {
                // m[j] * n[k - j] for j < k, then m[k] itself with n[0].
                acc += dot(&m[lo..k], &n_rev[s..len - 1]);
                let mk = (acc as u32).wrapping_mul(self.n_inv) & MASK;
                m[k] = mk;
                acc += mk as u64 * n[0] as u64;
                acc >>= W;
            } else {
                acc += dot(&m[lo..=hi], &n_rev[s..=s + hi - lo]);
                out[k - len] = acc as u32 & MASK;
                acc >>= W;
            }
        }
        b_rev.zeroize();
        // The value is below 2n < R: what is left is the top limb. Then subtract n if needed.
        out[len - 1] = acc as u32;
        conditional_sub(out, n);
    }

    /// R^2 mod n: R mod n doubled 28 len more times, once per modulus.
    fn r_squared(&mut self) -> Vec<u32> {
        let (one, n) = (&self.one, &self.n);
        self.r_squared
            .get_or_insert_with(|| {
                let mut r2 = one.clone();
                for _ in 0..W as usize * n.len() {
                    double(&mut r2, n);
                }
                r2
            })
            .clone()
    }
}

/// For the property tests against crypto-bigint: a * b / R mod n for big-endian a, b < n,
/// and log2 R.
#[doc(hidden)]
pub fn montgomery_product(n_be: &[u8], a_be: &[u8], b_be: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut m = Modulus::new(n_be)?;
    let len = m.len();
    let (a, b) = (to_limbs(a_be, len), to_limbs(b_be, len));
    let mut out = vec![0u32; len];
    m.mul(&a, &b, &mut out);
    let out: Vec<u64> = out.into_iter().map(u64::from).collect();
    let mut be = vec![0u8; len * W as usize / 8 + 1];
    for (i, byte) in be.iter_mut().rev().enumerate() {
        let bit = i * 8;
        let (limb, shift) = (bit / W as usize, bit % W as usize);
        let lo = out.get(limb).map_or(0, |l| l >> shift);
        let hi = out.get(limb + 1).map_or(0, |l| l << (W as usize - shift));
        *byte = (lo | hi) as u8;
    }
    Some((be, len * W as usize))
}

/// Sum of x[i] * y[i].
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn dot(x: &[u32], y: &[u32]) -> u64 {
    x.iter().zip(y).fold(0u64, |s, (&p, &q)| s + p as u64 * q as u64)
}

/// Sum of x[i] * y[i], four products at a time: wasm SIMD's widening multiply makes two
/// 32x32->64 products per instruction (x64's pmuludq), where scalar wasm makes one.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn dot(x: &[u32], y: &[u32]) -> u64 {
    use core::arch::wasm32::*;
    let n = x.len().min(y.len());
    let (mut low, mut high) = (u64x2_splat(0), u64x2_splat(0));
    for (a, b) in x[..n].chunks_exact(4).zip(y[..n].chunks_exact(4)) {
        // SAFETY: each chunk is four u32s, 16 readable bytes; v128_load takes any alignment.
        let (a, b) = unsafe { (v128_load(a.as_ptr().cast()), v128_load(b.as_ptr().cast())) };
        low = i64x2_add(low, u64x2_extmul_low_u32x4(a, b));
        high = i64x2_add(high, u64x2_extmul_high_u32x4(a, b));
    }
    let sum = i64x2_add(low, high);
    let tail = n - n % 4;
    x[tail..n].iter().zip(&y[tail..n]).fold(u64x2_extract_lane::<0>(sum) + u64x2_extract_lane::<1>(sum), |s, (&p, &q)| {
        s + p as u64 * q as u64
    })
}

fn bit_length(be: &[u8]) -> usize {
    match be.iter().position(|&b| b != 0) {
        Some(i) => (be.len() - i) * 8 - be[i].leading_zeros() as usize,
        None => 0,
    }
}

/// Big-endian bytes to `len` little-endian 28-bit limbs.
fn to_limbs(be: &[u8], len: usize) -> Vec<u32> {
    let mut limbs = vec![0u32; len];
    for (i, &byte) in be.iter().rev().enumerate() {
        let bit = i * 8;
        let (limb, shift) = (bit / W as usize, bit % W as usize);
        if limb >= len {
            break; // leading zero bytes (the bit length fixed `len`)
        }
        let v = (byte as u64) << shift;
        limbs[limb] |= v as u32 & MASK;
        if shift > W as usize - 8 && limb + 1 < len {
            limbs[limb + 1] |= (v >> W) as u32;
        }
    }
    limbs
}

fn trailing_zeros(limbs: &[u32]) -> usize {
    let mut count = 0;
    for &l in limbs {
        if l != 0 {
            return count + l.trailing_zeros() as usize;
        }
        count += W as usize;
    }
    count
}

/// a -= b over normalised limbs; returns the final borrow (1 if b > a).
fn sub_in_place(a: &mut [u32], b: &[u32]) -> u32 {
    let mut borrow = 0u32;
    for (x, &y) in a.iter_mut().zip(b) {
        let d = x.wrapping_sub(y).wrapping_sub(borrow);
        *x = d & MASK;
        borrow = d >> 31;
    }
    borrow
}

/// x = 2x mod n, for x < n.
fn double(x: &mut [u32], n: &[u32]) {
    let mut carry = 0u32;
    for limb in x.iter_mut() {
        let s = (*limb << 1) | carry;
        *limb = s & MASK;
        carry = s >> W;
    }
    conditional_sub(x, n);
}

/// x -= n if x >= n, without a branch on x.
fn conditional_sub(x: &mut [u32], n: &[u32]) {
    let mut diff = [0u32; MAX_LIMBS];
    let diff = &mut diff[..x.len()];
    diff.copy_from_slice(x);
    let borrow = sub_in_place(diff, n);
    // borrow = 1: x < n, keep x.
    select(x, diff, borrow ^ 1);
}

/// x = if flag == 1 { y } else { x }, without a branch.
fn select(x: &mut [u32], y: &[u32], flag: u32) {
    let mask = flag.wrapping_neg();
    for (a, &b) in x.iter_mut().zip(y) {
        *a ^= (*a ^ b) & mask;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_bigint::{BoxedUint, Odd};
    use crypto_bigint::Resize;
    use crypto_primes::hazmat::{MillerRabin, Primality};

    fn reference(n_be: &[u8]) -> bool {
        let n = BoxedUint::from_be_slice_vartime(n_be);
        let mr = MillerRabin::new(Odd::new(n).unwrap());
        !matches!(mr.test_base_two(), Primality::Composite)
    }

    fn check(n: u128) {
        let be = n.to_be_bytes();
        let ours = Modulus::new(&be).unwrap().is_strong_probable_prime_base_2();
        assert_eq!(ours, reference(&be), "n = {n}");
    }

    #[test]
    fn small_numbers_agree_with_crypto_primes() {
        for n in (3u128..3000).step_by(2) {
            check(n);
        }
    }

    #[test]
    fn strong_pseudoprimes_to_base_2_pass() {
        // Composites that fool base 2 (OEIS A001262): the test must say "probable prime".
        for n in [2047u128, 3277, 4033, 4681, 8321, 15841, 29341, 42799, 49141, 52633, 3215031751] {
            assert!(Modulus::new(&n.to_be_bytes()).unwrap().is_strong_probable_prime_base_2(), "{n}");
        }
    }

    #[test]
    fn known_primes_and_composites() {
        // 2^127 - 1 is prime; 2^127 + 1 is divisible by 3.
        check((1u128 << 127) - 1);
        check((1u128 << 127) + 1);
        check(u128::MAX - 158); // 2^128 - 159, the largest 128-bit prime
    }

    #[test]
    fn random_bases_agree_with_crypto_primes() {
        let reference = |n: u128, base: u128| {
            let n = BoxedUint::from_be_slice_vartime(&n.to_be_bytes());
            let mr = MillerRabin::new(Odd::new(n.clone()).unwrap());
            let base = BoxedUint::from_be_slice_vartime(&base.to_be_bytes()).resize_unchecked(n.bits_precision());
            !matches!(mr.test(&base), Primality::Composite)
        };
        let mut x: u128 = 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210;
        let mut next = || {
            // xorshift: deterministic test numbers
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut agreed_prime = 0;
        for _ in 0..300 {
            let n = (next() >> (next() % 120) as u32) | 1;
            if n < 5 {
                continue;
            }
            let base = 2 + next() % (n - 3);
            let ours = Modulus::new(&n.to_be_bytes()).unwrap().is_strong_probable_prime(&base.to_be_bytes());
            assert_eq!(ours, reference(n, base), "n = {n}, base = {base}");
        }
        // Primes pass with every base; 2^127 - 1 and the largest 128-bit prime.
        for p in [(1u128 << 127) - 1, u128::MAX - 158, 1_000_000_007] {
            for _ in 0..20 {
                let base = 2 + next() % (p - 3);
                assert!(Modulus::new(&p.to_be_bytes()).unwrap().is_strong_probable_prime(&base.to_be_bytes()));
                agreed_prime += 1;
            }
        }
        assert_eq!(agreed_prime, 60);
        // Every base of a few small composites, liars included.
        for n in [2047u128, 3277, 561, 1105] {
            for base in 2..n - 1 {
                let ours = Modulus::new(&n.to_be_bytes()).unwrap().is_strong_probable_prime(&base.to_be_bytes());
                assert_eq!(ours, reference(n, base), "n = {n}, base = {base}");
            }
        }
        // 2047 = 23 * 89 passes base 2 but not base 3.
        assert!(!Modulus::new(&2047u32.to_be_bytes()).unwrap().is_strong_probable_prime(&[3]));
        assert!(Modulus::new(&2047u32.to_be_bytes()).unwrap().is_strong_probable_prime(&[2]));
    }

    fn lucas_reference(n: u128) -> bool {
        use crypto_primes::hazmat::{lucas_test, LucasCheck, SelfridgeBase};
        let n = BoxedUint::from_be_slice_vartime(&n.to_be_bytes());
        !matches!(lucas_test(Odd::new(n).unwrap(), SelfridgeBase, LucasCheck::Strong), Primality::Composite)
    }

    #[test]
    fn strong_lucas_agrees_with_crypto_primes() {
        let mut checked = 0;
        for n in (5u128..20_000).step_by(2) {
            if let Some(ours) = Modulus::new(&n.to_be_bytes()).unwrap().is_strong_lucas_probable_prime() {
                assert_eq!(ours, lucas_reference(n), "n = {n}");
                checked += 1;
            }
        }
        assert!(checked > 9_000, "{checked}");
        // Strong Lucas pseudoprimes (OEIS A217255): composites that pass.
        for n in [5459u128, 5777, 10877, 16109, 18971, 22499, 24569] {
            assert_eq!(Modulus::new(&n.to_be_bytes()).unwrap().is_strong_lucas_probable_prime(), Some(true), "{n}");
        }
        for n in [(1u128 << 127) - 1, u128::MAX - 158, (1u128 << 127) + 1, 1_000_000_007 * 998_244_353] {
            assert_eq!(Modulus::new(&n.to_be_bytes()).unwrap().is_strong_lucas_probable_prime(), Some(lucas_reference(n)), "{n}");
        }
    }

    #[test]
    fn refuses_even_and_oversized_moduli() {
        assert!(Modulus::new(&[0x10]).is_none());
        assert!(Modulus::new(&[0]).is_none());
        assert!(Modulus::new(&[1]).is_none());
        let mut big = vec![0xffu8; 260];
        assert!(Modulus::new(&big).is_none());
        big.truncate(256);
        assert!(Modulus::new(&big).is_some());
    }
}
