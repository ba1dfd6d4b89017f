//! Where the time of a bundle built from two primes goes (what runs after the two prime
//! workers), deterministically; natively or as wasm (`scripts/wasm-example.sh assembly`).
//!   cargo run --release --example assembly [ROUNDS]
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;
use std::time::Instant;
use tempus_certgen::keys::primes as key;
use tempus_certgen::recipe::files as bundle;
use tempus_certgen::Params;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let rounds: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(5);
    let mut rng = ChaCha8Rng::from_seed([9; 32]);
    let p = key::generate_prime(&mut rng, 1024).unwrap();
    let q = key::generate_prime(&mut rng, 1024).unwrap();
    let params = Params::client();
    let checked = params.validate().unwrap();
    let t = Instant::now();
    for _ in 0..rounds {
        assert!(tempus_certgen::montgomery::Modulus::new(&p.to_be_bytes()).unwrap().is_strong_probable_prime_base_2());
    }
    println!("base-2 test of a prime: {:.1} ms", ms(t) / rounds as f64);
    let (mut from_primes, mut key_ms, mut build_ms, mut pbkdf2_ms) = (0.0, 0.0, 0.0, 0.0);
    let (mut ahead_ms, mut derive_ms) = (0.0, 0.0);
    for _ in 0..rounds {
        // As the browser does it: the PBKDF2 keys made during the race, by another worker.
        let t = Instant::now();
        let mut derived = bundle::derive_keys(&mut rng, &params);
        derive_ms += ms(t);
        let t = Instant::now();
        bundle::build_from_primes(&mut rng, &params, &p.to_be_bytes(), &q.to_be_bytes(), 1_795_000_000, &mut derived).unwrap().unwrap();
        ahead_ms += ms(t);
        let t = Instant::now();
        bundle::build_from_primes(&mut rng, &params, &p.to_be_bytes(), &q.to_be_bytes(), 1_795_000_000, &mut Default::default()).unwrap().unwrap();
        from_primes += ms(t);
        let t = Instant::now();
        let k = key::key_from_primes(p.clone(), q.clone(), 2048).unwrap().unwrap();
        key_ms += ms(t);
        let t = Instant::now();
        bundle::build(&mut rng, &params, &checked, &tempus_certgen::KeyPair::Rsa(k), 1_795_000_000).unwrap();
        build_ms += ms(t);
        let t = Instant::now();
        let mut out = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(b"changeit", b"salt salt salt!!", tempus_certgen::formats::pbe::PBKDF2_ITERATIONS, &mut out);
        pbkdf2_ms += ms(t);
    }
    let r = rounds as f64;
    println!(
        "client bundle from two 1024-bit primes (mean of {rounds}): {:.1} ms; of which the RSA key from the primes {:.1}, the files {:.1} (one PBKDF2-SHA256 of {} iterations: {:.1}; the client bundle runs three)",
        from_primes / r,
        key_ms / r,
        build_ms / r,
        tempus_certgen::formats::pbe::PBKDF2_ITERATIONS,
        pbkdf2_ms / r
    );
    println!(
        "with its PBKDF2 keys made ahead: {:.1} ms (making them, elsewhere: {:.1} ms)",
        ahead_ms / r,
        derive_ms / r
    );
}
