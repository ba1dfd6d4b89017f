//! The core's results as plain JS objects (camelCase members, Dates, Uint8Arrays).

#[cfg(feature = "full")]
use crate::inspect::{Inspection, RequestInspection};
use crate::recipe::files::Bundle;
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

pub(super) fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &key.into(), &value.into());
}

pub(super) fn bundle_to_js(b: &Bundle) -> JsValue {
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
    set(&o, "san", b.san.iter().map(|n| JsValue::from(n.as_str())).collect::<Array>());
    set(&o, "alias", b.alias.as_str());
    set(&o, "prefix", b.prefix.as_str());
    o.into()
}

#[cfg(feature = "full")]
pub(super) fn inspection_to_js(i: &Inspection) -> JsValue {
    let o = Object::new();
    set(&o, "subject", i.subject.as_str());
    set(&o, "commonName", i.common_name.as_deref().map(JsValue::from).unwrap_or(JsValue::NULL));
    set(&o, "role", i.role);
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
    set(&o, "san", i.san.iter().map(|n| JsValue::from(n.as_str())).collect::<Array>());
    let chain = Array::new();
    for l in &i.chain {
        let lo = Object::new();
        set(&lo, "subject", l.subject.as_str());
        set(&lo, "commonName", l.common_name.as_deref().map(JsValue::from).unwrap_or(JsValue::NULL));
        set(&lo, "issuer", l.issuer.as_str());
        set(&lo, "credentialsId", l.credentials_id.as_str());
        set(&lo, "isCa", l.is_ca);
        set(&lo, "signedByNext", l.signed_by_next.map(JsValue::from).unwrap_or(JsValue::NULL));
        chain.push(&lo);
    }
    set(&o, "chain", chain);
    o.into()
}

pub(super) fn files_to_js(files: &[crate::recipe::files::File]) -> Array {
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

#[cfg(feature = "full")]
pub(super) fn request_inspection_to_js(i: &RequestInspection) -> JsValue {
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
    o.into()
}
