//! Key generation timing, natively: this crate's FIPS-checked generator against the `rsa`
//! crate's own, on the same machine and run (`cargo run --release --example keygen [N]`).
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let mut rng = tempus_certgen::rng::SystemRng::new().unwrap();
    for _ in 0..n {
        let t = Instant::now();
        tempus_certgen::keys::primes::generate(&mut rng, 2048).unwrap();
        ours.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        rsa::PrivateKey::new(&mut rng, 2048).unwrap();
        theirs.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!("RSA-2048, median of {n}: tempus-certgen {:.0} ms, rsa::PrivateKey::new {:.0} ms", median(ours), median(theirs));
}
