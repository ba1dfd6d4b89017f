//! The calls of the full module (feature "full"): what reads a file a person supplies (keys,
//! certificates, requests, CRLs) and what signs with a device CA. The page loads this module on
//! first use of one of them (js/calls.js says which call needs it).

use super::options::{bytes, get, issuer_source, js_error, names, now_secs, params_from, text, whole_number};
use super::output::{bundle_to_js, files_to_js, inspection_to_js, request_inspection_to_js, set};
use crate::error::{Error, Field};
use crate::role::Role;
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

/// Describe a certificate request (PEM or DER): subject, key, names, whether its signature is valid.
#[wasm_bindgen(js_name = inspectRequest)]
pub fn inspect_request(input: JsValue) -> Result<JsValue, JsValue> {
    let input = bytes(&input, Field::Request).map_err(|e| js_error(&e))?;
    let i = crate::inspect::inspect_request(&input).map_err(|e| js_error(&e))?;
    Ok(request_inspection_to_js(&i))
}

/// For generateMany's workers (ended with the run): keep the device CA opened by the last call
/// for the next calls with the same issuer, so its key file is decrypted once per worker.
#[wasm_bindgen(js_name = keepIssuerOpen)]
pub fn keep_issuer_open(on: bool) {
    crate::issue::ca::keep_opened(on);
}

/// Describe a certificate given as PEM text or DER bytes.
#[wasm_bindgen(js_name = inspectCertificate)]
pub fn inspect_certificate(input: JsValue) -> Result<JsValue, JsValue> {
    let input = bytes(&input, Field::Certificate).map_err(|e| js_error(&e))?;
    let i = crate::inspect::inspect(&input, now_secs()).map_err(|e| js_error(&e))?;
    Ok(inspection_to_js(&i))
}

/// Whether a private key (PEM, DER or `.p12`; opened with `password` when encrypted) is the
/// first certificate's: `{ matches, keyAlgorithm, keySize }`. A key that does not open is an error
/// naming `key` or `keyPassword`.
#[wasm_bindgen(js_name = checkKeyPair)]
pub fn check_key_pair(key: JsValue, certificate: JsValue, password: Option<String>) -> Result<JsValue, JsValue> {
    let run = || -> Result<crate::inspect::KeyCheck, Error> {
        let key = Zeroizing::new(bytes(&key, Field::Key)?);
        let certificate = bytes(&certificate, Field::Certificate)?;
        let password = password.map(Zeroizing::new);
        crate::inspect::check_key_pair(&key, password.as_deref().map(String::as_str), &certificate)
    };
    let c = run().map_err(|e| js_error(&e))?;
    let o = Object::new();
    set(&o, "matches", c.matches);
    set(&o, "keyAlgorithm", c.key_algorithm.as_str());
    set(&o, "keySize", c.key_size);
    Ok(o.into())
}

/// The platform's credentials id of a certificate (PEM or DER).
#[wasm_bindgen(js_name = credentialsId)]
pub fn credentials_id(input: JsValue) -> Result<String, JsValue> {
    let input = bytes(&input, Field::Certificate).map_err(|e| js_error(&e))?;
    let der = crate::x509::read::one_certificate(&input, Field::Certificate).map_err(|e| js_error(&e))?;
    Ok(crate::tempus::credentials_id(&der))
}

/// A certificate request and its key (`P.csr`, `P.key.pem`), with the subject, names, key type
/// and key password of the options (as `generateCredentials` takes them).
#[wasm_bindgen(js_name = createRequest)]
pub fn create_request(options: JsValue) -> Result<JsValue, JsValue> {
    let params = params_from(&options).map_err(|e| js_error(&e))?;
    if params.issuer.is_some() || params.role == Role::Ca {
        return Err(js_error(&Error::invalid(Field::Role, "a request is for a server or a client key; the CA signs it later (signRequest)")));
    }
    let r = crate::api::create_request(&params).map_err(|e| js_error(&e))?;
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
    let run = || -> Result<crate::recipe::files::Bundle, Error> {
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
        let days = whole_number(&options, Field::Days)?.unwrap_or(crate::recipe::params::DEFAULT_DAYS);
        let san = names(&options)?.unwrap_or_default();
        let prefix = text(&options, Field::Prefix)?;
        crate::api::sign_request(&csr, &issuer, &crate::recipe::request::SignOptions { role, days, san, prefix }, now_secs())
    };
    run().map(|b| bundle_to_js(&b)).map_err(|e| js_error(&e))
}

/// The role's files around a key made earlier (`key`, opened with `keyPassword`) and the
/// certificate a CA returned (`certificate`, and `chain`: the certificates above it); the other
/// options as `generateCredentials` takes them.
#[wasm_bindgen(js_name = assembleCredentials)]
pub fn assemble_credentials(options: JsValue) -> Result<JsValue, JsValue> {
    let run = || -> Result<crate::recipe::files::Bundle, Error> {
        let params = params_from(&options)?;
        if params.issuer.is_some() {
            return Err(Error::invalid(Field::CaCertificate, "is not used by assembleCredentials: give the certificate the CA returned"));
        }
        let key = get(&options, Field::Key).ok_or(Error::Empty { field: Field::Key })?;
        let certificate = get(&options, Field::IssuedCertificate).ok_or(Error::Empty { field: Field::IssuedCertificate })?;
        let source = crate::recipe::request::AssembleSource {
            key: Zeroizing::new(bytes(&key, Field::Key)?),
            certificate: bytes(&certificate, Field::IssuedCertificate)?,
            chain: get(&options, Field::Chain).map(|c| bytes(&c, Field::Chain)).transpose()?,
        };
        crate::api::assemble(&params, &source, now_secs())
    };
    run().map(|b| bundle_to_js(&b)).map_err(|e| js_error(&e))
}

/// A key and its certificate alone, no key stores: `{ privateKeyPkcs8: Uint8Array (secret: wipe
/// it), certificatePem, credentialsId }`. Options as `generateCredentials` takes them.
#[wasm_bindgen(js_name = generateKeyAndCertificate)]
pub fn generate_key_and_certificate(options: JsValue) -> Result<JsValue, JsValue> {
    let params = params_from(&options).map_err(|e| js_error(&e))?;
    let (pkcs8, der) = crate::api::generate_key_and_certificate(&params, now_secs()).map_err(|e| js_error(&e))?;
    let o = Object::new();
    set(&o, "privateKeyPkcs8", Uint8Array::from(&pkcs8[..]));
    set(&o, "certificatePem", crate::formats::pem::encode(crate::formats::pem::CERTIFICATE, &der).map_err(|e| js_error(&e))?.as_str());
    set(&o, "credentialsId", crate::tempus::credentials_id(&der).as_str());
    Ok(o.into())
}

/// A device CA's CRL revoking `certificates` (PEM text or bytes each) and `options.serials`,
/// keeping the entries of `options.crl` (this CA's CRL so far): `{ crlPem, crlDer, revoked,
/// crlNumber, entries, nextUpdate }`. `options`: `{ crl, serials, reason, days }`.
#[wasm_bindgen(js_name = revokeCertificates)]
pub fn revoke_certificates(issuer: JsValue, certificates: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue, Error> {
        if issuer.is_undefined() || issuer.is_null() {
            return Err(Error::Empty { field: Field::CaCertificate });
        }
        let issuer = issuer_source(&issuer)?;
        let list: Vec<Vec<u8>> = if certificates.is_undefined() || certificates.is_null() {
            Vec::new()
        } else if js_sys::Array::is_array(&certificates) {
            js_sys::Array::from(&certificates).iter().map(|c| bytes(&c, Field::Certificate)).collect::<Result<_, _>>()?
        } else {
            vec![bytes(&certificates, Field::Certificate)?]
        };
        let options = if options.is_object() { options.clone() } else { Object::new().into() };
        let crl = get(&options, Field::Crl).map(|c| bytes(&c, Field::Crl)).transpose()?;
        let serials = match get(&options, Field::Serial) {
            None => Vec::new(),
            Some(v) if js_sys::Array::is_array(&v) => js_sys::Array::from(&v)
                .iter()
                .map(|s| s.as_string().ok_or_else(|| Error::invalid(Field::Serial, "must be a list of serial numbers (hex text)")))
                .collect::<Result<_, _>>()?,
            Some(v) => v.as_string().map(|s| s.split([',', ' ', '\n']).filter(|x| !x.is_empty()).map(String::from).collect()).ok_or_else(|| Error::invalid(Field::Serial, "must be a list of serial numbers (hex text)"))?,
        };
        let reason = text(&options, Field::Reason)?.unwrap_or_default();
        let days = whole_number(&options, Field::CrlDays)?.unwrap_or(crate::issue::revoke::DEFAULT_CRL_DAYS);
        let what = crate::issue::revoke::Revocations::parse(&list, &serials, crl.as_deref(), &reason, days)?;
        let r = crate::api::revoke_certificates(&issuer, &what, now_secs())?;
        let o = Object::new();
        set(&o, "crlPem", r.crl_pem.as_str());
        set(&o, "crlDer", Uint8Array::from(&r.crl_der[..]));
        set(&o, "revoked", r.revoked.iter().map(|s| JsValue::from(s.as_str())).collect::<js_sys::Array>());
        set(&o, "crlNumber", r.number as f64);
        set(&o, "entries", r.entries as u32);
        set(&o, "nextUpdate", js_sys::Date::new(&((r.next_update as f64) * 1000.0).into()));
        Ok(o.into())
    };
    run().map_err(|e| js_error(&e))
}

/// A CRL (PEM or DER) as the expiry report uses it: `{ issuer, crlNumber, thisUpdate,
/// nextUpdate, serials }` (serials in colon hex). Its signature is not checked here.
#[wasm_bindgen(js_name = readCrl)]
pub fn read_crl(input: JsValue) -> Result<JsValue, JsValue> {
    let input = bytes(&input, Field::Crl).map_err(|e| js_error(&e))?;
    let crl = crate::x509::crl::read(&input).map_err(|e| js_error(&e))?;
    let o = Object::new();
    set(&o, "issuer", crate::x509::name::keytool_name(&crl.issuer).as_str());
    set(&o, "crlNumber", crl.number.map(|n| JsValue::from(n as f64)).unwrap_or(JsValue::NULL));
    set(&o, "thisUpdate", js_sys::Date::new(&((crl.this_update as f64) * 1000.0).into()));
    set(&o, "nextUpdate", crl.next_update.map(|t| JsValue::from(js_sys::Date::new(&((t as f64) * 1000.0).into()))).unwrap_or(JsValue::NULL));
    set(&o, "serials", crl.entries.iter().map(|e| JsValue::from(crate::formats::hex::colon(&e.serial))).collect::<js_sys::Array>());
    Ok(o.into())
}

/// A device's certificate renewed: `{ key, keyPassword, certificate, keystore, issuer, days,
/// newKey, ... }` (the other options as `generateCredentials` takes them; `role` defaults to the
/// certificate's). Resolves to the result of `generateCredentials`, with `newKey` and
/// `previousCredentialsId`.
#[wasm_bindgen(js_name = renewCredentials)]
pub fn renew_credentials(options: JsValue) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue, Error> {
        let certificate = get(&options, Field::IssuedCertificate).ok_or(Error::Empty { field: Field::IssuedCertificate })?;
        let certificate = bytes(&certificate, Field::IssuedCertificate)?;
        let mut params = params_from(&options)?;
        if text(&options, Field::Role)?.is_none() {
            if let Some(role) = crate::recipe::renew::certificate_role(&certificate)? {
                let given = params.clone();
                params = crate::recipe::params::Params::new(role);
                params.issuer = given.issuer;
                for (slot, from, field) in [(&mut params.alias, &given.alias, Field::Alias), (&mut params.prefix, &given.prefix, Field::Prefix)] {
                    if get(&options, field).is_some() {
                        *slot = from.clone();
                    }
                }
                if get(&options, Field::StorePassword).is_some() {
                    params.store_password = given.store_password;
                }
                if get(&options, Field::KeyPassword).is_some() {
                    params.key_password = given.key_password;
                }
                params.server_certificate = given.server_certificate;
                params.server_alias = given.server_alias;
                params.legacy_pkcs12 = given.legacy_pkcs12;
            }
        }
        let key = get(&options, Field::Key).ok_or(Error::Empty { field: Field::Key })?;
        let keystore = Reflect::get(&options, &"keystore".into()).ok().filter(|v| !v.is_undefined() && !v.is_null());
        let source = crate::recipe::renew::RenewSource {
            key: Zeroizing::new(bytes(&key, Field::Key)?),
            certificate,
            keystore: keystore.map(|k| bytes(&k, Field::StorePassword).map(Zeroizing::new)).transpose()?,
        };
        let days = if get(&options, Field::Days).is_some() { Some(params.days) } else { None };
        let new_key = Reflect::get(&options, &"newKey".into()).map(|v| v.is_truthy()).unwrap_or(false);
        let r = crate::api::renew_credentials(&params, &source, new_key, days, now_secs())?;
        let o = bundle_to_js(&r.bundle);
        set(&Object::from(o.clone()), "newKey", r.new_key);
        set(&Object::from(o.clone()), "previousCredentialsId", r.previous_credentials_id.as_str());
        Ok(o)
    };
    run().map_err(|e| js_error(&e))
}
