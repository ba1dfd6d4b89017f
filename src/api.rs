//! The core's entry points: each validates first, draws its randomness from the system's CSPRNG
//! (a failing source is an error, never a key), and takes "now" as a parameter (from JS in wasm,
//! where `SystemTime` panics).

use crate::error::{Error, Result};
use crate::formats::pbe::Derived;
use crate::issue::ca::{Issuer, IssuerSource};
use crate::issue::sign;
use crate::keys::pair::KeyPair;
use crate::keys::primes;
use crate::recipe::files::{self, Bundle};
use crate::recipe::params::Params;
use crate::recipe::request::{self, AssembleSource, RequestBundle, SignOptions};
use crate::rng::SystemRng;
use crate::x509::csr;

/// One prime of `bits` bits for an RSA key, as big-endian bytes (wiped when dropped), with the
/// system's CSPRNG: half of a key, for finding p and q in parallel.
pub fn generate_prime(bits: u32) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    let mut search = PrimeSearch::new(bits)?;
    loop {
        if let Some(prime) = search.step(usize::MAX)? {
            return Ok(prime);
        }
    }
}

/// A prime search with the system's CSPRNG that runs in steps, so that workers racing for the
/// primes of one key can stop as soon as enough have been found.
pub struct PrimeSearch {
    search: primes::PrimeSearch,
    rng: SystemRng,
}

impl PrimeSearch {
    /// `bits`: 1024, 1536 or 2048 (half of an RSA-2048, -3072 or -4096 key).
    pub fn new(bits: u32) -> Result<Self> {
        if ![1024, 1536, 2048].contains(&bits) {
            return Err(Error::KeySize { bits: bits as u64 * 2 });
        }
        Ok(PrimeSearch { search: primes::PrimeSearch::new(bits)?, rng: SystemRng::new()? })
    }

    /// Test up to `max_tests` candidates: the prime as big-endian bytes, or `None` for now.
    pub fn step(&mut self, max_tests: usize) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>> {
        let found = self.search.step(&mut self.rng, max_tests);
        // Anything made while the source was failing is thrown away.
        self.rng.check()?;
        Ok(found?.map(|mut prime| {
            let bytes = zeroize::Zeroizing::new(prime.to_be_bytes().into_vec());
            zeroize::Zeroize::zeroize(&mut prime);
            bytes
        }))
    }
}

/// The files of `params.role` around a key from two primes made by [`generate_prime`];
/// `Ok(None)`: the pair does not meet FIPS 186-5 (|p - q| too small), draw again. `derived`:
/// PBKDF2 keys made ahead by [`derive_keys`] with the same params (empty: made here).
pub fn generate_from_primes(params: &Params, p: &[u8], q: &[u8], now: u64, derived: &mut Derived) -> Result<Option<Bundle>> {
    let mut rng = SystemRng::new()?;
    let bundle = files::build_from_primes(&mut rng, params, p, q, now, derived);
    rng.check()?;
    bundle
}

/// The PBKDF2 keys the files of `params` need, made ahead (while the primes are searched) for
/// [`generate_from_primes`]; the system's CSPRNG draws their salts.
pub fn derive_keys(params: &Params) -> Result<Derived> {
    params.validate()?;
    let mut rng = SystemRng::new()?;
    let derived = files::derive_keys(&mut rng, params);
    rng.check()?;
    Ok(derived)
}

/// Generate the files of `params.role` with the system's CSPRNG; `now` in Unix seconds.
pub fn generate(params: &Params, now: u64) -> Result<Bundle> {
    // Input errors first, before the random source is touched.
    let checked = params.validate()?;
    let mut rng = SystemRng::new()?;
    let bundle = KeyPair::generate(&mut rng, params.key_type, params.key_size)
        .and_then(|key| files::build(&mut rng, params, &checked, &key, now));
    // Anything made while the source was failing is thrown away.
    rng.check()?;
    bundle
}

/// A certificate request (`P.csr`) and its key (`P.key.pem`, under `params.key_password`), with
/// the subject and names of `params`: for a CA to sign while the key stays here.
pub fn create_request(params: &Params) -> Result<RequestBundle> {
    let checked = params.validate()?;
    let mut rng = SystemRng::new()?;
    let made = KeyPair::generate(&mut rng, params.key_type, params.key_size)
        .and_then(|key| request::request(&mut rng, params, &checked, &key));
    rng.check()?;
    made
}

/// A device CA's answer to a request (PEM or DER): `P.pub.pem`, `P.cer`, `P.chain.pem`.
/// Everything about the request and the options is checked before the CA's key is opened.
pub fn sign_request(request: &[u8], issuer: &IssuerSource, options: &SignOptions, now: u64) -> Result<Bundle> {
    let request = csr::read(request)?;
    let extra = options.check()?;
    sign::check_subject(&request, None)?;
    let ca = Issuer::load(issuer)?;
    let mut rng = SystemRng::new()?;
    let signed = request::sign(&mut rng, &request, &ca, options, &extra, now);
    rng.check()?;
    signed
}

/// The role's files around a key made earlier and the certificate a CA returned.
pub fn assemble(params: &Params, source: &AssembleSource, now: u64) -> Result<Bundle> {
    let mut rng = SystemRng::new()?;
    let made = request::assemble(&mut rng, params, source, now);
    rng.check()?;
    made
}

/// A key and its self-signed certificate alone, without key stores (PKCS#8 DER, wiped when
/// dropped, and the certificate's DER): the like-for-like measure against WebCrypto's
/// generateKey + export + one sign, and for callers that store keys their own way.
pub fn generate_key_and_certificate(params: &Params, now: u64) -> Result<(zeroize::Zeroizing<Vec<u8>>, Vec<u8>)> {
    let checked = params.validate()?;
    let mut rng = SystemRng::new()?;
    let made = KeyPair::generate(&mut rng, params.key_type, params.key_size).and_then(|key| {
        let leaf = files::certificate(&mut rng, params, &checked, &key, now)?;
        Ok((zeroize::Zeroizing::new(key.to_pkcs8_der()?.as_bytes().to_vec()), leaf.der))
    });
    rng.check()?;
    made
}

/// A device CA's CRL revoking `what` (parsed and checked before the CA's key is opened).
pub fn revoke_certificates(issuer: &IssuerSource, what: &crate::issue::revoke::Revocations, now: u64) -> Result<crate::issue::revoke::Revoked> {
    let ca = Issuer::load(issuer)?;
    crate::issue::revoke::revoke(&ca, what, now)
}

/// A device's certificate renewed and its files rewritten (see `recipe::renew`).
pub fn renew_credentials(params: &Params, source: &crate::recipe::renew::RenewSource, new_key: bool, days: Option<u32>, now: u64) -> Result<crate::recipe::renew::Renewal> {
    let mut rng = SystemRng::new()?;
    let made = crate::recipe::renew::renew(&mut rng, params, source, new_key, days, now);
    rng.check()?;
    made
}
