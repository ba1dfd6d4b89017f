//! Where prime generation time goes, deterministically (seeded candidates), natively or in wasm
//! (`scripts/wasm-example.sh primality` runs this same program as wasm32-wasip1 under Node's WASI):
//! the base-2 test here (src/montgomery.rs) against crypto-primes' on the same numbers, the FIPS
//! tests on one prime, and how many sieve survivors one prime costs.
//!   cargo run --release --example primality [PRIMES]
use crypto_bigint::{BoxedUint, Odd};
use crypto_primes::hazmat::MillerRabin;
use crypto_primes::Flavor;
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};
use std::time::Instant;
use tempus_certgen::montgomery::Modulus;
use tempus_certgen::sieve::Sieve;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let primes: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(10);
    let mut rng = ChaCha8Rng::from_seed([42; 32]);
    let odd = |rng: &mut ChaCha8Rng| {
        let mut b = [0u8; 128];
        rng.fill_bytes(&mut b);
        b[0] |= 0xc0;
        b[127] |= 1;
        b
    };
    let samples: Vec<[u8; 128]> = (0..50).map(|_| odd(&mut rng)).collect();

    let t = Instant::now();
    let ours = samples.iter().filter(|n| Modulus::new(&n[..]).unwrap().is_strong_probable_prime_base_2()).count();
    let ours_ms = ms(t) / samples.len() as f64;
    let t = Instant::now();
    let theirs = samples
        .iter()
        .filter(|n| {
            let mr = MillerRabin::new(Odd::new(BoxedUint::from_be_slice_vartime(&n[..])).unwrap());
            mr.test_base_two().is_probably_prime()
        })
        .count();
    let theirs_ms = ms(t) / samples.len() as f64;
    assert_eq!(ours, theirs);
    println!("base-2 test, 1024-bit odd numbers: ours {ours_ms:.3} ms, crypto-primes {theirs_ms:.3} ms ({:.2}x)", theirs_ms / ours_ms);

    // The FIPS tests' parts, on one prime.
    let prime: BoxedUint = crypto_primes::random_prime(&mut rng, Flavor::Any, 1024);
    let mr = MillerRabin::new(Odd::new(prime.clone()).unwrap());
    let t = Instant::now();
    for _ in 0..5 {
        assert!(mr.test_random_base(&mut rng).is_probably_prime());
    }
    let mr_ms = ms(t) / 5.0;
    let mut modulus = Modulus::new(&prime.to_be_bytes()).unwrap();
    let t = Instant::now();
    for _ in 0..5 {
        let mut base = [0u8; 128];
        rng.fill_bytes(&mut base);
        base[0] &= 0x3f; // below the prime (whose top two bits are set)
        assert!(modulus.is_strong_probable_prime(&base));
    }
    let our_mr_ms = ms(t) / 5.0;
    let t = Instant::now();
    assert_eq!(modulus.is_strong_lucas_probable_prime(), Some(true));
    let our_lucas_ms = ms(t);
    let t = Instant::now();
    let lucas = crypto_primes::hazmat::lucas_test(Odd::new(prime).unwrap(), crypto_primes::hazmat::SelfridgeBase, crypto_primes::hazmat::LucasCheck::Strong);
    assert!(lucas.is_probably_prime());
    let rounds = crypto_primes::hazmat::minimum_mr_iterations(1024, tempus_certgen::keys::primes::MR_ERROR_BITS).unwrap();
    println!("FIPS tests of one 1024-bit prime: {rounds} Miller-Rabin rounds with random bases of {our_mr_ms:.2} ms (crypto-primes: {mr_ms:.2} ms), strong Lucas {our_lucas_ms:.2} ms (crypto-primes: {:.2} ms)", ms(t));

    let (mut survivors, mut sieve_ms, mut base2_ms, mut fips_ms) = (0usize, 0.0, 0.0, 0.0);
    let total = Instant::now();
    for _ in 0..primes {
        loop {
            let start = odd(&mut rng);
            let t = Instant::now();
            let mut sieve = Sieve::new(&start);
            sieve_ms += ms(t);
            let mut found = false;
            loop {
                let t = Instant::now();
                let Some(c) = sieve.next_candidate() else { break };
                sieve_ms += ms(t);
                survivors += 1;
                let t = Instant::now();
                let pass = Modulus::new(&c).unwrap().is_strong_probable_prime_base_2();
                base2_ms += ms(t);
                if pass {
                    let t = Instant::now();
                    let mut m = Modulus::new(&c).unwrap();
                    assert!(tempus_certgen::keys::primes::passes_fips_tests(&mut rng, &mut m, &BoxedUint::from_be_slice(&c, 1024).unwrap(), rounds).unwrap());
                    fips_ms += ms(t);
                    found = true;
                    break;
                }
            }
            if found {
                break;
            }
        }
    }
    // The two sieves on the same starts: both find the same prime (the first after the start
    // that passes base 2), with different numbers of base-2 tests on the way.
    let (mut ours_ms, mut theirs_ms, mut ours_tests, mut theirs_tests) = (0.0, 0.0, 0usize, 0usize);
    let mut compared = 0;
    while compared < primes {
        let start = odd(&mut rng);
        let t = Instant::now();
        let mut sieve = Sieve::new(&start);
        let mut ours = None;
        while let Some(c) = sieve.next_candidate() {
            ours_tests += 1;
            if Modulus::new(&c).unwrap().is_strong_probable_prime_base_2() {
                ours = Some(c);
                break;
            }
        }
        ours_ms += ms(t);
        let t = Instant::now();
        let from = BoxedUint::from_be_slice(&start, 1024).unwrap();
        let mut sieve = crypto_primes::hazmat::SmallFactorsSieve::new(from, std::num::NonZeroU32::new(1024).unwrap(), false).unwrap();
        let mut theirs = None;
        for c in sieve.by_ref() {
            let bytes = c.to_be_bytes();
            if tempus_certgen::keys::primes::small_mod_be(&bytes, 65537) == 1 {
                continue;
            }
            theirs_tests += 1;
            if Modulus::new(&bytes).unwrap().is_strong_probable_prime_base_2() {
                theirs = Some(bytes.to_vec());
                break;
            }
        }
        theirs_ms += ms(t);
        if let (Some(a), Some(b)) = (ours, theirs) {
            assert_eq!(&a[..], &b[..]);
        }
        compared += 1;
    }
    println!(
        "same {primes} starts, sieve + base-2 tests per prime: sieve to 2^17 {:.1} ms ({:.1} tests), crypto-primes' sieve {:.1} ms ({:.1} tests)",
        ours_ms / primes as f64,
        ours_tests as f64 / primes as f64,
        theirs_ms / primes as f64,
        theirs_tests as f64 / primes as f64
    );
    let per = |v: f64| v / primes as f64;
    println!(
        "per 1024-bit prime (mean of {primes}): {:.1} ms = sieve {:.1} + {:.1} base-2 tests {:.1} + FIPS tests of the prime {:.1}",
        per(ms(total)),
        per(sieve_ms),
        survivors as f64 / primes as f64,
        per(base2_ms),
        per(fips_ms)
    );
}
