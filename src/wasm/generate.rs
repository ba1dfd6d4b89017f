//! The calls of a generation and of the form's checks, in both modules. In the lean one (no
//! feature "full") they make a self-signed server, client or device CA with an RSA key and refuse,
//! by field, a device CA to sign with, a server certificate to trust, EC keys and legacy PKCS#12;
//! in the full one they take those too. The other calls (reading keys, certificates, requests and
//! CRLs; signing requests; CRLs; renewal) are `read`'s, in the full module only.

use super::options::{js_error, now_secs, params_from};
use super::output::bundle_to_js;
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

/// Generate one role's files. Options as in the JS API (`role, cn, ..., legacyPkcs12`).
#[wasm_bindgen(js_name = generateCredentials)]
pub fn generate_credentials(options: JsValue) -> Result<JsValue, JsValue> {
    let params = params_from(&options).map_err(|e| js_error(&e))?;
    let bundle = crate::api::generate(&params, now_secs()).map_err(|e| js_error(&e))?;
    Ok(bundle_to_js(&bundle))
}

/// Half of a key: one prime of `bits` bits as big-endian bytes (p and q are found in parallel
/// workers, then joined by `generateCredentialsFromPrimes`). The bytes are secret: wipe them.
// For the timing tools (tests/tools/ab-wasm.mjs, wasm-timing.mjs); the workers use PrimeSearch.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = generatePrime)]
pub fn generate_prime(bits: u32) -> Result<Uint8Array, JsValue> {
    let prime = crate::api::generate_prime(bits).map_err(|e| js_error(&e))?;
    Ok(Uint8Array::from(&prime[..]))
}

/// A prime search run in steps (`step(maxTests)`: a prime or `undefined`), so that a worker can
/// stop when another one has won the race. Call `free()` when done (its state is wiped).
#[wasm_bindgen(js_name = PrimeSearch)]
pub struct JsPrimeSearch(crate::api::PrimeSearch);

#[wasm_bindgen(js_class = PrimeSearch)]
impl JsPrimeSearch {
    #[wasm_bindgen(constructor)]
    pub fn new(bits: u32) -> Result<JsPrimeSearch, JsValue> {
        crate::api::PrimeSearch::new(bits).map(JsPrimeSearch).map_err(|e| js_error(&e))
    }

    pub fn step(&mut self, max_tests: u32) -> Result<Option<Uint8Array>, JsValue> {
        let found = self.0.step(max_tests as usize).map_err(|e| js_error(&e))?;
        Ok(found.map(|prime| Uint8Array::from(&prime[..])))
    }
}

/// Like `generateCredentials`, around a key from two primes made by `PrimeSearch`. Returns
/// `null` when the pair does not meet FIPS 186-5 (|p - q| too small): draw two new primes.
/// `derived` (optional): what `deriveKeys` made for the same options; keys it lacks are made here.
#[wasm_bindgen(js_name = generateCredentialsFromPrimes)]
pub fn generate_credentials_from_primes(options: JsValue, p: Vec<u8>, q: Vec<u8>, derived: Option<Vec<u8>>) -> Result<JsValue, JsValue> {
    // Owned, so the copies in wasm memory are wiped when dropped.
    let (p, q) = (Zeroizing::new(p), Zeroizing::new(q));
    let derived = derived.map(Zeroizing::new);
    let params = params_from(&options).map_err(|e| js_error(&e))?;
    let mut keys = derived.as_deref().and_then(|b| crate::formats::pbe::Derived::from_bytes(b)).unwrap_or_default();
    match crate::api::generate_from_primes(&params, &p, &q, now_secs(), &mut keys).map_err(|e| js_error(&e))? {
        Some(bundle) => Ok(bundle_to_js(&bundle)),
        None => Ok(JsValue::NULL),
    }
}

/// The PBKDF2 keys the files of `options` need, made ahead (by a worker, while the primes are
/// searched) for `generateCredentialsFromPrimes`. The bytes are secret: wipe them.
#[wasm_bindgen(js_name = deriveKeys)]
pub fn derive_keys(options: JsValue) -> Result<Uint8Array, JsValue> {
    let params = params_from(&options).map_err(|e| js_error(&e))?;
    let derived = crate::api::derive_keys(&params).map_err(|e| js_error(&e))?;
    Ok(Uint8Array::from(&derived.to_bytes()[..]))
}

/// Check options without generating anything (for forms: errors by field, at once).
#[wasm_bindgen(js_name = validateOptions)]
pub fn validate_options(options: JsValue) -> Result<(), JsValue> {
    let params = params_from(&options).map_err(|e| js_error(&e))?;
    params.validate().map(|_| ()).map_err(|e| js_error(&e))
}
