//! Reading the JS options into the core's params: each value checked for its type, errors naming
//! the option. "Now" comes from `Date.now()` because `SystemTime::now()` panics here.

use crate::error::{Error, Field};
use crate::issue::ca::IssuerSource;
use crate::keys::pair::KeyType;
use crate::recipe::params::Params;
use crate::role::Role;
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

pub(super) fn js_error(err: &Error) -> JsValue {
    let e = js_sys::Error::new(&err.to_string());
    let _ = Reflect::set(&e, &"code".into(), &err.code().into());
    let field = err.field().map(|f| JsValue::from(f.option())).unwrap_or(JsValue::NULL);
    let _ = Reflect::set(&e, &"field".into(), &field);
    e.into()
}

pub(super) fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

pub(super) fn get(options: &JsValue, field: Field) -> Option<JsValue> {
    Reflect::get(options, &field.option().into()).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

pub(super) fn type_error(field: Field, what: &str) -> Error {
    Error::invalid(field, format!("must be {what}"))
}

pub(super) fn text(options: &JsValue, field: Field) -> Result<Option<String>, Error> {
    match get(options, field) {
        None => Ok(None),
        Some(v) => v.as_string().map(Some).ok_or_else(|| type_error(field, "text")),
    }
}

pub(super) fn whole_number(options: &JsValue, field: Field) -> Result<Option<u32>, Error> {
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
pub(super) fn bytes(v: &JsValue, field: Field) -> Result<Vec<u8>, Error> {
    if let Some(s) = v.as_string() {
        return Ok(s.into_bytes());
    }
    if v.is_instance_of::<Uint8Array>() || v.is_instance_of::<js_sys::ArrayBuffer>() {
        return Ok(Uint8Array::new(v).to_vec());
    }
    Err(type_error(field, "PEM text or file bytes (a Uint8Array)"))
}

/// `san`: a list of names, or one text of names separated by commas, spaces or line breaks.
pub(super) fn names(options: &JsValue) -> Result<Option<Vec<String>>, Error> {
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

pub(super) fn params_from(options: &JsValue) -> Result<Params, Error> {
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
pub(super) fn issuer_from(options: &JsValue) -> Result<Option<IssuerSource>, Error> {
    match Reflect::get(options, &"issuer".into()) {
        Ok(v) if !v.is_undefined() && !v.is_null() => issuer_source(&v).map(Some),
        _ => Ok(None),
    }
}

pub(super) fn issuer_source(v: &JsValue) -> Result<IssuerSource, Error> {
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
