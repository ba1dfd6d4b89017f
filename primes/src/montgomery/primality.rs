//! The probable-prime tests on the Montgomery arithmetic of the parent module: the base-2
//! Miller-Rabin test that throws out the composites which survive the sieve, Miller-Rabin with
//! given bases, and the strong Lucas test (FIPS 186-5 B.3.1), each doing the same work whatever
//! the secret candidate's bits.

use super::*;
use zeroize::Zeroize;

impl Modulus {
    /// The strong probable-prime test to base 2 (Miller-Rabin with base 2): false means
    /// certainly composite.
    pub fn is_strong_probable_prime_base_2(&mut self) -> bool {
        let len = self.len();
        let (n_minus_1, s) = self.n_minus_1();
        // x = 2^d in Montgomery form: square, and double where d has a set bit.
        let mut x = self.one.clone();
        let mut y = vec![0u32; len];
        let mut doubled = vec![0u32; len];
        for bit in (s..self.bits).rev() {
            self.square(&x, &mut y);
            doubled.copy_from_slice(&y);
            double(&mut doubled, &self.n);
            select(&mut y, &doubled, bit_of(&n_minus_1, bit));
            core::mem::swap(&mut x, &mut y);
        }
        doubled.zeroize();
        self.finish(x, y, n_minus_1, s)
    }

    /// The strong probable-prime test (one Miller-Rabin round) to `base` (big-endian, in
    /// [2, n - 2]): false means certainly composite. Fixed 4-bit windows, every table entry
    /// read for each window. A base with more bits than n is outside that range and refused
    /// (false): the caller draws bases in range.
    pub fn is_strong_probable_prime(&mut self, base: &[u8]) -> bool {
        let len = self.len();
        if bit_length(base) > self.bits {
            return false;
        }
        let (n_minus_1, s) = self.n_minus_1();
        // base * R mod n = Montgomery product of base and R^2 mod n.
        let mut r2 = self.r_squared();
        let mut b = to_limbs(base, len);
        conditional_sub(&mut b, &self.n);
        let mut table = vec![self.one.clone()];
        let mut entry = vec![0u32; len];
        self.mul(&b, &r2, &mut entry);
        table.push(entry);
        for i in 2..16 {
            let mut next = vec![0u32; len];
            self.mul(&table[i - 1], &table[1], &mut next);
            table.push(next);
        }
        // x = base^d, d = (n - 1) >> s, 4 bits at a time from the top.
        let mut x = self.one.clone();
        let mut y = vec![0u32; len];
        let mut chosen = vec![0u32; len];
        let mut top = self.bits;
        while top > s {
            let width = (top - s).min(4);
            let mut window = 0u32;
            for bit in (top - width..top).rev() {
                self.square(&x, &mut y);
                core::mem::swap(&mut x, &mut y);
                window = window << 1 | bit_of(&n_minus_1, bit);
            }
            for (i, t) in table.iter().enumerate() {
                select(&mut chosen, t, ((i as u32 ^ window).wrapping_sub(1) >> 31) & 1);
            }
            self.mul(&x, &chosen, &mut y);
            core::mem::swap(&mut x, &mut y);
            top -= width;
        }
        for v in table.iter_mut().chain([&mut r2, &mut b, &mut chosen]) {
            v.zeroize();
        }
        self.finish(x, y, n_minus_1, s)
    }

    /// The strong Lucas probable-prime test with Selfridge's parameters (method A: the first D
    /// of 5, -7, 9, -11, ... with Jacobi(D, n) = -1, P = 1, Q = (1 - D) / 4), as crypto-primes'
    /// `lucas_test(n, SelfridgeBase, LucasCheck::Strong)`: `Some(false)` means certainly
    /// composite. `None` when no such D turns up in 30 tries (n may be a perfect square): the
    /// caller decides another way. Every exponent bit costs the same work.
    pub fn is_strong_lucas_probable_prime(&mut self) -> Option<bool> {
        let len = self.len();
        let n_mod = |m: u64| self.n.iter().rev().fold(0u64, |r, &l| ((r << W) | l as u64) % m);
        let n_mod_4 = self.n[0] as u64 & 3;
        let mut chosen = None;
        for attempt in 0..30u64 {
            let abs_d = 5 + 2 * attempt;
            let negative = attempt % 2 == 1;
            // (D/n) = (-1/n)^[D < 0] * (n mod |D| / |D|) * (-1)^[|D| = n = 3 mod 4]
            let mut j = jacobi(n_mod(abs_d), abs_d);
            if abs_d & 3 == 3 && n_mod_4 == 3 {
                j = -j;
            }
            if negative && n_mod_4 == 3 {
                j = -j;
            }
            if j == -1 {
                chosen = Some((abs_d, negative));
                break;
            }
            if j == 0 && !(self.bits <= 32 && n_mod(1 << 32) == abs_d) {
                return Some(false); // gcd(D, n) > 1 (D = n itself is allowed, as in crypto-primes)
            }
        }
        let (abs_d, d_negative) = chosen?;
        // Q = (1 - D) / 4: D > 0 gives Q = -(D - 1) / 4, D < 0 gives Q = (|D| + 1) / 4.
        let (abs_q, q_negative) = if d_negative { ((abs_d + 1) / 4, false) } else { ((abs_d - 1) / 4, true) };
        if abs_q != 1 && gcd(n_mod(abs_q), abs_q) != 1 && (self.bits > 32 || n_mod(1 << 32) > abs_q) {
            return Some(false);
        }
        // n + 1 = d * 2^s, d odd (n + 1 fits: 2n < R).
        let mut n_plus_1 = self.n.clone();
        let mut carry = 1u32;
        for limb in n_plus_1.iter_mut() {
            let sum = *limb + carry;
            *limb = sum & MASK;
            carry = sum >> W;
        }
        let s = trailing_zeros(&n_plus_1);
        // The bit length of n + 1 (n's, or one more when n + 1 is a power of two).
        let top = (s..len * W as usize).rev().find(|&b| bit_of(&n_plus_1, b) == 1).map_or(s, |b| b + 1);

        let small = |m: &mut Self, v: u64, negative: bool| {
            let mut x = m.small_to_montgomery(v);
            if negative {
                let mut y = m.n.clone();
                sub_in_place(&mut y, &x);
                conditional_sub(&mut y, &m.n); // v = 0 mod n gives n: back to 0
                x = y;
            }
            x
        };
        let d_m = small(self, abs_d, d_negative);
        let q_m = small(self, abs_q, q_negative);
        let mut two = self.one.clone();
        double(&mut two, &self.n);
        let mut uk = vec![0u32; len];
        let mut vk = two.clone();
        let mut qk = self.one.clone();
        let (mut t1, mut t2, mut t3) = (vec![0u32; len], vec![0u32; len], vec![0u32; len]);
        for bit in (s..top).rev() {
            // U_2k = U_k V_k, V_2k = V_k^2 - 2 Q^k, Q^2k = (Q^k)^2.
            self.mul(&uk, &vk, &mut t1);
            core::mem::swap(&mut uk, &mut t1);
            self.square(&vk, &mut t1);
            self.sub_mod(&mut t1, &qk);
            self.sub_mod(&mut t1, &qk);
            core::mem::swap(&mut vk, &mut t1);
            self.square(&qk, &mut t1);
            core::mem::swap(&mut qk, &mut t1);
            // Then, where d has a set bit: U_k+1 = (U_k + V_k) / 2, V_k+1 = (D U_k + V_k) / 2,
            // Q^k+1 = Q^k Q; computed always, kept by a mask.
            let set = bit_of(&n_plus_1, bit);
            self.mul(&uk, &d_m, &mut t2); // D U_k
            t1.copy_from_slice(&uk);
            self.add_mod(&mut t1, &vk);
            self.half_mod(&mut t1);
            self.add_mod(&mut t2, &vk);
            self.half_mod(&mut t2);
            self.mul(&qk, &q_m, &mut t3);
            select(&mut uk, &t1, set);
            select(&mut vk, &t2, set);
            select(&mut qk, &t3, set);
        }
        let zero = vec![0u32; len];
        let mut probable = uk == zero || vk == zero;
        for _ in 1..s {
            if probable {
                break;
            }
            self.square(&vk, &mut t1);
            self.sub_mod(&mut t1, &qk);
            self.sub_mod(&mut t1, &qk);
            core::mem::swap(&mut vk, &mut t1);
            probable = vk == zero;
            self.square(&qk, &mut t1);
            core::mem::swap(&mut qk, &mut t1);
        }
        for v in [&mut uk, &mut vk, &mut qk, &mut t1, &mut t2, &mut t3, &mut n_plus_1] {
            v.zeroize();
        }
        Some(probable)
    }

    /// v * R mod n for a small v, by doubling and adding (v < 2^32).
    fn small_to_montgomery(&mut self, v: u64) -> Vec<u32> {
        let mut x = vec![0u32; self.len()];
        for bit in (0..64 - v.leading_zeros()).rev() {
            let y = x.clone();
            self.add_mod(&mut x, &y);
            if (v >> bit) & 1 == 1 {
                let one = self.one.clone();
                self.add_mod(&mut x, &one);
            }
        }
        x
    }

    /// x = x + y mod n, for x, y < n.
    fn add_mod(&self, x: &mut [u32], y: &[u32]) {
        let mut carry = 0u32;
        for (a, &b) in x.iter_mut().zip(y) {
            let sum = *a + b + carry;
            *a = sum & MASK;
            carry = sum >> W;
        }
        conditional_sub(x, &self.n);
    }

    /// x = x - y mod n, for x, y < n.
    fn sub_mod(&self, x: &mut [u32], y: &[u32]) {
        let borrow = sub_in_place(x, y);
        let mut plus_n = [0u32; MAX_LIMBS];
        let plus_n = &mut plus_n[..x.len()];
        plus_n.copy_from_slice(x);
        let mut carry = 0u32;
        for (a, &b) in plus_n.iter_mut().zip(&self.n) {
            let sum = *a + b + carry;
            *a = sum & MASK;
            carry = sum >> W;
        }
        select(x, plus_n, borrow);
    }

    /// x = x / 2 mod n, for x < n: x + n when x is odd (n is odd), then a shift.
    fn half_mod(&self, x: &mut [u32]) {
        let odd = x[0] & 1;
        let mask = odd.wrapping_neg();
        let mut carry = 0u32;
        for (a, &b) in x.iter_mut().zip(&self.n) {
            let sum = *a + (b & mask) + carry;
            *a = sum & MASK;
            carry = sum >> W;
        }
        for i in 0..x.len() {
            let next = if i + 1 < x.len() { x[i + 1] & 1 } else { 0 };
            x[i] = (x[i] >> 1) | (next << (W - 1));
        }
    }

    /// n - 1 and s with n - 1 = d * 2^s, d odd.
    fn n_minus_1(&self) -> (Vec<u32>, usize) {
        let mut n_minus_1 = self.n.clone();
        n_minus_1[0] -= 1; // n is odd: no borrow.
        let s = trailing_zeros(&n_minus_1);
        (n_minus_1, s)
    }

    /// The end of a Miller-Rabin round from x = base^d: probable prime if x = 1 or x^(2^r) = -1
    /// for some r < s.
    fn finish(&mut self, mut x: Vec<u32>, mut y: Vec<u32>, mut n_minus_1: Vec<u32>, s: usize) -> bool {
        let mut probable = x == self.one || x == self.minus_one;
        for _ in 1..s {
            if probable {
                break;
            }
            self.square(&x, &mut y);
            core::mem::swap(&mut x, &mut y);
            if x == self.one {
                break;
            }
            probable = x == self.minus_one;
        }
        for v in [&mut x, &mut y, &mut n_minus_1] {
            v.zeroize();
        }
        probable
    }
}

/// The Jacobi symbol (a / m) for odd m > 0.
fn jacobi(mut a: u64, mut m: u64) -> i32 {
    a %= m;
    let mut t = 1;
    while a != 0 {
        while a.is_multiple_of(2) {
            a /= 2;
            if matches!(m % 8, 3 | 5) {
                t = -t;
            }
        }
        core::mem::swap(&mut a, &mut m);
        if a % 4 == 3 && m % 4 == 3 {
            t = -t;
        }
        a %= m;
    }
    if m == 1 {
        t
    } else {
        0
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn bit_of(limbs: &[u32], bit: usize) -> u32 {
    (limbs[bit / W as usize] >> (bit % W as usize)) & 1
}
