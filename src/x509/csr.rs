//! Certificate requests (PKCS#10): made here for a key that stays on the device, or read for a
//! device CA to sign (`issue::sign`).
//!
//! A request made here: the subject in keytool's order, the SANs in an extensionRequest, signed
//! with the key (SHA256withRSA or ecdsa-with-SHA256). A request read must carry a valid
//! signature of its own (proof that whoever sent it holds the key) and an RSA (2048 bits or
//! more) or EC P-256 key.

use crate::error::{Error, Field, Result};
use crate::formats::pem::{self, Input};
use crate::keys::pair::KeyPair;
use crate::keys::verify::verify;
use crate::oid;
use crate::x509::ext;
use crate::x509::san::{merge, SubjectAltName};
use der::{Decode, Encode};
use x509_cert::ext::pkix::SubjectAltName as SanExt;
use x509_cert::name::Name;
use x509_cert::request::{CertReq, ExtensionReq, RequestBuilder};

/// The older label some tools (Windows, old OpenSSL) still write.
const NEW_CERTIFICATE_REQUEST: &str = "NEW CERTIFICATE REQUEST";

/// A PKCS#10 request for `key`: `subject`, and `san` in an extensionRequest. DER.
pub fn create(key: &KeyPair, subject: Name, san: &[SubjectAltName]) -> Result<Vec<u8>> {
    let internal = |e: &dyn core::fmt::Display| Error::internal("building the certificate request", e);
    let mut builder = RequestBuilder::new(subject).map_err(|e| internal(&e))?;
    if !san.is_empty() {
        let names = ext::general_names(san).map_err(|e| internal(&e))?;
        let ext = ext::encode(oid::SUBJECT_ALT_NAME, false, &SanExt(names)).map_err(|e| internal(&e))?;
        builder.add_extension(ext).map_err(|e| internal(&e))?;
    }
    let req = key.sign(builder)?;
    req.to_der().map_err(|e| internal(&e))
}

/// A request read and checked: its subject, key and names.
pub struct Request {
    pub subject: Name,
    pub spki_der: Vec<u8>,
    pub san: Vec<SubjectAltName>,
    pub der: Vec<u8>,
}

fn bad(reason: impl Into<String>) -> Error {
    Error::invalid(Field::Request, reason)
}

/// Read a request (PEM `CERTIFICATE REQUEST` / `NEW CERTIFICATE REQUEST`, or DER) and check its
/// signature with its own key.
pub fn read(input: &[u8]) -> Result<Request> {
    let (request, signature) = parse(input)?;
    signature?;
    Ok(request)
}

/// Read a request, and separately whether its signature verifies with its own key (for
/// inspect, which shows a bad signature rather than failing on it).
pub fn parse(input: &[u8]) -> Result<(Request, Result<()>)> {
    let der = match pem::read(input, Field::Request, "a certificate request", Error::invalid)? {
        Input::Pem(blocks) => match blocks.iter().find(|b| b.label == pem::CERTIFICATE_REQUEST || b.label == NEW_CERTIFICATE_REQUEST) {
            Some(block) => block.der.to_vec(),
            None => {
                let label = blocks.first().map_or("", |b| b.label);
                return Err(bad(format!("holds a \"{label}\" PEM block; expected CERTIFICATE REQUEST")));
            }
        },
        Input::Other(bytes) => bytes.to_vec(),
    };
    let req = CertReq::from_der(&der).map_err(|e| bad(format!("is not a readable PKCS#10 certificate request ({e})")))?;
    let spki_der = req.info.public_key.to_der().map_err(|e| Error::internal("encoding a public key", e))?;
    let message = req.info.to_der().map_err(|e| Error::internal("encoding the request", e))?;
    let signature = req
        .signature
        .as_bytes()
        .ok_or_else(|| bad("has a damaged signature"))
        .and_then(|sig| verify(&spki_der, &req.algorithm.oid, &message, sig, Field::Request));
    let mut san = Vec::new();
    for attr in req.info.attributes.iter().filter(|a| a.oid == oid::EXTENSION_REQUEST) {
        for value in attr.values.iter() {
            let exts: ExtensionReq = value.decode_as().map_err(|_| bad("has a damaged extensionRequest"))?;
            for ext in exts.0.iter().filter(|e| e.extn_id == oid::SUBJECT_ALT_NAME) {
                let names = SanExt::from_der(ext.extn_value.as_bytes()).map_err(|_| bad("has damaged subject alternative names"))?;
                merge(&mut san, ext::from_general_names(names.0));
            }
        }
    }
    Ok((Request { subject: req.info.subject, spki_der, san, der }, signature))
}
