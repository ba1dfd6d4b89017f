//! The thin wasm-bindgen layer: reads JS options, calls the core, returns plain JS objects.
//! Every error becomes a JS `Error` with the core's message, a stable `code` and the option's
//! name as `field`. "Now" comes from `Date.now()` because `SystemTime::now()` panics here.

use crate::ca::IssuerSource;
use crate::error::{Error, Field};
use crate::{Bundle, Inspection, KeyType, Params, Role};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

fn js_error(err: &Error) -> JsValue {
    let e = js_sys::Error::new(&err.to_string());
    let _ = Reflect::set(&e, &"code".into(), &err.code().into());
    let field = err.field().map(|f| JsValue::from(f.option())).unwrap_or(JsValue::NULL);
    let _ = Reflect::set(&e, &"field".into(), &field);
    e.into()
}

fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

fn get(options: &JsValue, field: Field) -> Option<JsValue> {
    Reflect::get(options, &field.option().into()).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn type_error(field: Field, what: &str) -> Error {
    Error::invalid(field, format!("must be {what}"))
}

fn text(options: &JsValue, field: Field) -> Result<Option<String>, Error> {
    match get(options, field) {
        None => Ok(None),
        Some(v) => v.as_string().map(Some).ok_or_else(|| type_error(field, "text")),
    }
}

fn whole_number(options: &JsValue, field: Field) -> Result<Option<u32>, Error> {
    let Some(v) = get(options, field) else { return Ok(None) };
    let n = match v.as_f64() {
        Some(n) => n,
        // A form field's text: digits only. (Not f64's parser: its tables are ~30 KB of wasm.)
        None => match v.as_string().map(|s| s.trim().parse::<u32>()) {
            Some(Ok(n)) => n as f64,
            _ => return Err(type_error(field, "a whole number")),
        },
    };
    if n.fract() != 0.0 || !(0.0..=u32::MAX as f64).contains(&n) {
        return Err(type_error(field, "a whole number"));
    }
    Ok(Some(n as u32))
}

/// Text, or bytes (a Uint8Array or ArrayBuffer) for certificates and keys given as DER.
fn bytes(v: &JsValue, field: Field) -> Result<Vec<u8>, Error> {
    if let Some(s) = v.as_string() {
        return Ok(s.into_bytes());
    }
    if v.is_instance_of::<Uint8Array>() || v.is_instance_of::<js_sys::ArrayBuffer>() {
        return Ok(Uint8Array::new(v).to_vec());
    }
    Err(type_error(field, "PEM text or file bytes (a Uint8Array)"))
}

/// `san`: a list of names, or one text of names separated by commas, spaces or line breaks.
fn names(options: &JsValue) -> Result<Option<Vec<String>>, Error> {
    let Some(v) = get(options, Field::San) else { return Ok(None) };
    if let Some(s) = v.as_string() {
        return Ok(Some(s.split([',', ' ', '\n']).filter(|x| !x.is_empty()).map(String::from).collect()));
    }
    if !Array::is_array(&v) {
        return Err(type_error(Field::San, "a list of names"));
    }
    Array::from(&v)
        .iter()
        .map(|x| x.as_string().ok_or_else(|| type_error(Field::San, "a list of names")))
        .collect::<Result<_, _>>()
        .map(Some)
}

fn params_from(options: &JsValue) -> Result<Params, Error> {
    if !options.is_object() {
        return Err(type_error(Field::Role, "given inside an options object, e.g. { role: \"client\" }"));
    }
    let role = match text(options, Field::Role)? {
        Some(r) => Role::parse(&r)?,
        None => Role::Client,
    };
    let mut p = Params::new(role);
    let set = |slot: &mut String, field| -> Result<(), Error> {
        if let Some(v) = text(options, field)? {
            *slot = v;
        }
        Ok(())
    };
    set(&mut p.cn, Field::Cn)?;
    set(&mut p.ou, Field::Ou)?;
    set(&mut p.o, Field::O)?;
    set(&mut p.l, Field::L)?;
    set(&mut p.st, Field::St)?;
    set(&mut p.c, Field::C)?;
    set(&mut p.alias, Field::Alias)?;
    set(&mut p.prefix, Field::Prefix)?;
    if let Some(v) = text(options, Field::StorePassword)? {
        p.store_password = Zeroizing::new(v);
    }
    if let Some(v) = text(options, Field::KeyPassword)? {
        p.key_password = Zeroizing::new(v);
    }
    if let Some(d) = whole_number(options, Field::Days)? {
        p.days = d;
    }
    if let Some(t) = text(options, Field::KeyType)? {
        p.key_type = KeyType::parse(&t).ok_or_else(|| {
            Error::invalid(Field::KeyType, format!("\"{t}\" is not a key type: use \"rsa\" or \"ec-p256\""))
        })?;
    }
    if let Some(k) = whole_number(options, Field::KeySize)? {
        if p.key_type == KeyType::EcP256 {
            return Err(Error::invalid(Field::KeySize, "is for RSA keys only: an EC P-256 key has no size to choose, so leave the key size out"));
        }
        p.key_size = k;
    }
    if let Some(san) = names(options)? {
        p.san = san;
    }
    if p.role == Role::Ca {
        // No well-known default: the store password is the key password unless given.
        if text(options, Field::StorePassword)?.is_none_or(|s| s.is_empty()) {
            p.store_password = p.key_password.clone();
        }
        if let Some(v) = get(options, Field::PathLen) {
            p.path_len = if v.as_string().is_some_and(|s| s.trim().eq_ignore_ascii_case("none")) {
                None
            } else {
                whole_number(options, Field::PathLen)? // its range is checked in Params::validate
            };
        }
    } else if get(options, Field::PathLen).is_some() {
        return Err(Error::invalid(Field::PathLen, "is for the device CA (role \"ca\") only"));
    }
    if let Some(v) = get(options, Field::ServerCertificate) {
        p.server_certificate = Some(bytes(&v, Field::ServerCertificate)?);
    }
    p.server_alias = text(options, Field::ServerAlias)?;
    if let Ok(v) = Reflect::get(options, &"legacyPkcs12".into()) {
        p.legacy_pkcs12 = v.is_truthy();
    }
    p.issuer = issuer_from(options)?;
    Ok(p)
}

/// `issuer: { certificate, privateKey, password }`: the device CA that signs (PEM text or bytes;
/// the password of the key file, when it has one).
fn issuer_from(options: &JsValue) -> Result<Option<IssuerSource>, Error> {
    match Reflect::get(options, &"issuer".into()) {
        Ok(v) if !v.is_undefined() && !v.is_null() => issuer_source(&v).map(Some),
        _ => Ok(None),
    }
}

fn issuer_source(v: &JsValue) -> Result<IssuerSource, Error> {
    if !v.is_object() {
        return Err(type_error(Field::CaCertificate, "given as issuer: { certificate, privateKey, password }"));
    }
    let member = |name: &str| Reflect::get(v, &name.into()).ok().filter(|x| !x.is_undefined() && !x.is_null());
    let certificate = member("certificate").ok_or(Error::Empty { field: Field::CaCertificate })?;
    let private_key = member("privateKey").ok_or(Error::Empty { field: Field::CaKey })?;
    let password = match member("password") {
        None => None,
        Some(pw) => Some(Zeroizing::new(pw.as_string().ok_or_else(|| type_error(Field::CaPassword, "text"))?)),
    };
    Ok(IssuerSource {
        certificate: bytes(&certificate, Field::CaCertificate)?,
        private_key: Zeroizing::new(bytes(&private_key, Field::CaKey)?),
        password,
    })
}

fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &key.into(), &value.into());
}

fn bundle_to_js(b: &Bundle) -> JsValue {
    let files = files_to_js(&b.files);
    let o = Object::new();
    set(&o, "role", b.role.as_str());
    set(&o, "files", files);
    set(&o, "certificatePem", b.certificate_pem.as_str());
    set(&o, "certificateDer", Uint8Array::from(&b.certificate_der[..]));
    set(&o, "credentialsId", b.credentials_id.as_str());
    set(&o, "subject", b.subject.as_str());
    set(&o, "serial", b.serial.as_str());
    set(&o, "sha256Fingerprint", b.sha256_fingerprint.as_str());
    set(&o, "notBefore", js_sys::Date::new(&((b.not_before as f64) * 1000.0).into()));
    set(&o, "notAfter", js_sys::Date::new(&((b.not_after as f64) * 1000.0).into()));
    set(&o, "validityCut", b.validity_cut);
    set(&o, "issuer", b.issuer.as_deref().map(JsValue::from).unwrap_or(JsValue::NULL));
    set(&o, "alias", b.alias.as_str());
    set(&o, "prefix", b.prefix.as_str());
    o.into()
}

fn inspection_to_js(i: &Inspection) -> JsValue {
    let o = Object::new();
    set(&o, "subject", i.subject.as_str());
    set(&o, "issuer", i.issuer.as_str());
    set(&o, "selfSigned", i.self_signed);
    set(&o, "serial", i.serial.as_str());
    set(&o, "notBefore", js_sys::Date::new(&((i.not_before as f64) * 1000.0).into()));
    set(&o, "notAfter", js_sys::Date::new(&((i.not_after as f64) * 1000.0).into()));
    set(&o, "keyAlgorithm", i.key_algorithm.as_str());
    set(&o, "keySize", i.key_size);
    set(&o, "sha1Fingerprint", i.sha1_fingerprint.as_str());
    set(&o, "sha256Fingerprint", i.sha256_fingerprint.as_str());
    set(&o, "credentialsId", i.credentials_id.as_str());
    set(&o, "pastedCredentialsId", i.pasted_credentials_id.as_deref().map(JsValue::from).unwrap_or(JsValue::NULL));
    set(&o, "certificates", i.certificates as u32);
    set(&o, "certificatePem", i.certificate_pem.as_str());
    let warnings = Array::new();
    for w in &i.warnings {
        let wo = Object::new();
        set(&wo, "code", w.code);
        set(&wo, "message", w.message.as_str());
        warnings.push(&wo);
    }
    set(&o, "warnings", warnings);
    set(&o, "isCa", i.is_ca);
    let chain = Array::new();
    for l in &i.chain {
        let lo = Object::new();
        set(&lo, "subject", l.subject.as_str());
        set(&lo, "issuer", l.issuer.as_str());
        set(&lo, "credentialsId", l.credentials_id.as_str());
        set(&lo, "isCa", l.is_ca);
        set(&lo, "signedByNext", l.signed_by_next.map(JsValue::from).unwrap_or(JsValue::NULL));
        chain.push(&lo);
    }
    set(&o, "chain", chain);
    o.into()
}

/// Describe a certificate request (PEM or DER): subject, key, names, whether its signature is valid.
#[wasm_bindgen(js_name = inspectRequest)]
pub fn inspect_request(input: JsValue) -> Result<JsValue, JsValue> {
    let input = bytes(&input, Field::Request).map_err(|e| js_error(&e))?;
    let i = crate::inspect_request(&input).map_err(|e| js_error(&e))?;
    let o = Object::new();
    set(&o, "subject", i.subject.as_str());
    set(&o, "keyAlgorithm", i.key_algorithm.as_str());
    set(&o, "keySize", i.key_size);
    let san = Array::new();
    for n in &i.san {
        san.push(&JsValue::from(n.as_str()));
    }
    set(&o, "san", san);
    set(&o, "signatureValid", i.signature_valid);
    set(&o, "signatureError", i.signature_error.as_deref().map(JsValue::from).unwrap_or(JsValue::NULL));
    Ok(o.into())
}

/// Generate one role's files. Options as in the JS API (`role, cn, ..., legacyPkcs12`).
#[wasm_bindgen(js_name = generateCredentials)]
pub fn generate_credentials(options: JsValue) -> Result<JsValue, JsValue> {
    let params = params_from(&options).map_err(|e| js_error(&e))?;
    let bundle = crate::generate(&params, now_secs()).map_err(|e| js_error(&e))?;
    Ok(bundle_to_js(&bundle))
}

/// For generateMany's workers (ended with the run): keep the device CA opened by the last call
/// for the next calls with the same issuer, so its key file is decrypted once per worker.
#[wasm_bindgen(js_name = keepIssuerOpen)]
pub fn keep_issuer_open(on: bool) {
    crate::ca::keep_opened(on);
}

/// Half of a key: one prime of `bits` bits as big-endian bytes (p and q are found in parallel
/// workers, then joined by `generateCredentialsFromPrimes`). The bytes are secret: wipe them.
#[wasm_bindgen(js_name = generatePrime)]
pub fn generate_prime(bits: u32) -> Result<Uint8Array, JsValue> {
    let prime = crate::generate_prime(bits).map_err(|e| js_error(&e))?;
    Ok(Uint8Array::from(&prime[..]))
}

/// A prime search run in steps (`step(maxTests)`: a prime or `undefined`), so that a worker can
/// stop when another one has won the race. Call `free()` when done (its state is wiped).
#[wasm_bindgen(js_name = PrimeSearch)]
pub struct JsPrimeSearch(crate::PrimeSearch);

#[wasm_bindgen(js_class = PrimeSearch)]
impl JsPrimeSearch {
    #[wasm_bindgen(constructor)]
    pub fn new(bits: u32) -> Result<JsPrimeSearch, JsValue> {
        crate::PrimeSearch::new(bits).map(JsPrimeSearch).map_err(|e| js_error(&e))
    }

    pub fn step(&mut self, max_tests: u32) -> Result<Option<Uint8Array>, JsValue> {
        let found = self.0.step(max_tests as usize).map_err(|e| js_error(&e))?;
        Ok(found.map(|prime| Uint8Array::from(&prime[..])))
    }
}

/// Like `generateCredentials`, around a key from two primes made by `generatePrime`. Returns
/// `null` when the pair does not meet FIPS 186-5 (|p - q| too small): draw two new primes.
/// `derived` (optional): what `deriveKeys` made for the same options; keys it lacks are made here.
#[wasm_bindgen(js_name = generateCredentialsFromPrimes)]
pub fn generate_credentials_from_primes(options: JsValue, p: Vec<u8>, q: Vec<u8>, derived: Option<Vec<u8>>) -> Result<JsValue, JsValue> {
    // Owned, so the copies in wasm memory are wiped when dropped.
    let (p, q) = (Zeroizing::new(p), Zeroizing::new(q));
    let derived = derived.map(Zeroizing::new);
    let params = params_from(&options).map_err(|e| js_error(&e))?;
    let mut keys = derived.as_deref().and_then(|b| crate::pbe::Derived::from_bytes(b)).unwrap_or_default();
    match crate::generate_from_primes(&params, &p, &q, now_secs(), &mut keys).map_err(|e| js_error(&e))? {
        Some(bundle) => Ok(bundle_to_js(&bundle)),
        None => Ok(JsValue::NULL),
    }
}

/// The PBKDF2 keys the files of `options` need, made ahead (by a worker, while the primes are
/// searched) for `generateCredentialsFromPrimes`. The bytes are secret: wipe them.
#[wasm_bindgen(js_name = deriveKeys)]
pub fn derive_keys(options: JsValue) -> Result<Uint8Array, JsValue> {
    let params = params_from(&options).map_err(|e| js_error(&e))?;
    let derived = crate::derive_keys(&params).map_err(|e| js_error(&e))?;
    Ok(Uint8Array::from(&derived.to_bytes()[..]))
}

/// Check options without generating anything (for forms: errors by field, at once).
#[wasm_bindgen(js_name = validateOptions)]
pub fn validate_options(options: JsValue) -> Result<(), JsValue> {
    let params = params_from(&options).map_err(|e| js_error(&e))?;
    params.validate().map(|_| ()).map_err(|e| js_error(&e))
}

/// Describe a certificate given as PEM text or DER bytes.
#[wasm_bindgen(js_name = inspectCertificate)]
pub fn inspect_certificate(input: JsValue) -> Result<JsValue, JsValue> {
    let input = bytes(&input, Field::Certificate).map_err(|e| js_error(&e))?;
    let i = crate::inspect(&input, now_secs()).map_err(|e| js_error(&e))?;
    Ok(inspection_to_js(&i))
}

/// The platform's credentials id of a certificate (PEM or DER).
#[wasm_bindgen(js_name = credentialsId)]
pub fn credentials_id(input: JsValue) -> Result<String, JsValue> {
    let input = bytes(&input, Field::Certificate).map_err(|e| js_error(&e))?;
    let der = crate::inspect::read_one_certificate(&input, Field::Certificate).map_err(|e| js_error(&e))?;
    Ok(crate::credentials_id(&der))
}

fn files_to_js(files: &[crate::File]) -> Array {
    let out = Array::new();
    for f in files {
        let o = Object::new();
        set(&o, "name", f.name.as_str());
        set(&o, "mimeType", f.mime_type);
        set(&o, "bytes", Uint8Array::from(&f.bytes[..]));
        set(&o, "secret", f.secret);
        out.push(&o);
    }
    out
}

/// A certificate request and its key (`P.csr`, `P.key.pem`), with the subject, names, key type
/// and key password of the options (as `generateCredentials` takes them).
#[wasm_bindgen(js_name = createRequest)]
pub fn create_request(options: JsValue) -> Result<JsValue, JsValue> {
    let params = params_from(&options).map_err(|e| js_error(&e))?;
    if params.issuer.is_some() || params.role == Role::Ca {
        return Err(js_error(&Error::invalid(Field::Role, "a request is for a server or a client key; the CA signs it later (signRequest)")));
    }
    let r = crate::create_request(&params).map_err(|e| js_error(&e))?;
    let o = Object::new();
    set(&o, "files", files_to_js(&r.files));
    set(&o, "csrPem", r.csr_pem.as_str());
    set(&o, "subject", r.subject.as_str());
    set(&o, "prefix", r.prefix.as_str());
    Ok(o.into())
}

/// The device CA's answer to a request: `P.pub.pem`, `P.cer`, `P.chain.pem`. `options`:
/// `{ role, days, san, prefix }`.
#[wasm_bindgen(js_name = signRequest)]
pub fn sign_request(csr: JsValue, issuer: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let run = || -> Result<crate::Bundle, Error> {
        let csr = bytes(&csr, Field::Request)?;
        if issuer.is_undefined() || issuer.is_null() {
            return Err(Error::Empty { field: Field::CaCertificate });
        }
        let issuer = issuer_source(&issuer)?;
        let options = if options.is_object() { options.clone() } else { Object::new().into() };
        let role = match text(&options, Field::Role)? {
            Some(r) => Role::parse(&r)?,
            None => Role::Client,
        };
        let days = whole_number(&options, Field::Days)?.unwrap_or(crate::params::DEFAULT_DAYS);
        let san = names(&options)?.unwrap_or_default();
        let prefix = text(&options, Field::Prefix)?;
        crate::sign_request(&csr, &issuer, &crate::SignOptions { role, days, san, prefix }, now_secs())
    };
    run().map(|b| bundle_to_js(&b)).map_err(|e| js_error(&e))
}

/// The role's files around a key made earlier (`key`, opened with `keyPassword`) and the
/// certificate a CA returned (`certificate`, and `chain`: the certificates above it); the other
/// options as `generateCredentials` takes them.
#[wasm_bindgen(js_name = assembleCredentials)]
pub fn assemble_credentials(options: JsValue) -> Result<JsValue, JsValue> {
    let run = || -> Result<crate::Bundle, Error> {
        let params = params_from(&options)?;
        if params.issuer.is_some() {
            return Err(Error::invalid(Field::CaCertificate, "is not used by assembleCredentials: give the certificate the CA returned"));
        }
        let key = get(&options, Field::Key).ok_or(Error::Empty { field: Field::Key })?;
        let certificate = get(&options, Field::IssuedCertificate).ok_or(Error::Empty { field: Field::IssuedCertificate })?;
        let source = crate::AssembleSource {
            key: Zeroizing::new(bytes(&key, Field::Key)?),
            certificate: bytes(&certificate, Field::IssuedCertificate)?,
            chain: get(&options, Field::Chain).map(|c| bytes(&c, Field::Chain)).transpose()?,
        };
        crate::assemble(&params, &source, now_secs())
    };
    run().map(|b| bundle_to_js(&b)).map_err(|e| js_error(&e))
}

/// A key and its certificate alone, no key stores: `{ privateKeyPkcs8: Uint8Array (secret: wipe
/// it), certificatePem, credentialsId }`. Options as `generateCredentials` takes them.
#[wasm_bindgen(js_name = generateKeyAndCertificate)]
pub fn generate_key_and_certificate(options: JsValue) -> Result<JsValue, JsValue> {
    let params = params_from(&options).map_err(|e| js_error(&e))?;
    let (pkcs8, der) = crate::generate_key_and_certificate(&params, now_secs()).map_err(|e| js_error(&e))?;
    let o = Object::new();
    set(&o, "privateKeyPkcs8", Uint8Array::from(&pkcs8[..]));
    set(&o, "certificatePem", crate::pem::encode(crate::pem::CERTIFICATE, &der).map_err(|e| js_error(&e))?.as_str());
    set(&o, "credentialsId", crate::credentials_id(&der).as_str());
    Ok(o.into())
}
