//! Certificate requests (PKCS#10): made here for a key that stays on the device, or read and
//! signed by a device CA.
//!
//! A request made here: the subject in keytool's order, the SANs in an extensionRequest, signed
//! with the key (SHA256withRSA or ecdsa-with-SHA256). A request signed here must carry a valid
//! signature of its own (proof that whoever sent it holds the key) and an RSA (2048 bits or
//! more) or EC P-256 key; only its subject, its key and (for a server) its DNS and IP names are
//! used: anything else it asks for (CA:TRUE, key usages, other names) is not copied.

use crate::ca::Issuer;
use crate::cert::{self, CertificateSpec, SignedCertificate};
use crate::error::{Error, Field, Result};
use crate::key::KeyPair;
use crate::params::Role;
use crate::san::SubjectAltName;
use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use rand_core::CryptoRng;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::SubjectAltName as SanExt;
use x509_cert::name::Name;
use x509_cert::request::{CertReq, ExtensionReq, RequestBuilder};

pub const PEM_LABEL: &str = "CERTIFICATE REQUEST";
const EXTENSION_REQUEST: &str = "1.2.840.113549.1.9.14";
const SUBJECT_ALT_NAME: &str = "2.5.29.17";
const MAX_INPUT: usize = 1 << 20;

/// A PKCS#10 request for `key`: `subject`, and `san` in an extensionRequest. DER.
pub fn create(key: &KeyPair, subject: Name, san: &[SubjectAltName]) -> Result<Vec<u8>> {
    let internal = |e: &dyn core::fmt::Display| Error::internal("building the certificate request", e);
    let mut builder = RequestBuilder::new(subject).map_err(|e| internal(&e))?;
    if !san.is_empty() {
        let names = cert::general_names(san).map_err(|e| internal(&e))?;
        let ext = cert::extension(SUBJECT_ALT_NAME, false, &SanExt(names)).map_err(|e| internal(&e))?;
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
    if input.len() > MAX_INPUT {
        return Err(bad(format!("is {} bytes; a certificate request is a few KB", input.len())));
    }
    if input.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty { field: Field::Request });
    }
    let der = match core::str::from_utf8(input).ok().filter(|t| t.contains("-----BEGIN")) {
        Some(text) => pem_body(text)?,
        None => input.to_vec(),
    };
    let req = CertReq::from_der(&der).map_err(|e| bad(format!("is not a readable PKCS#10 certificate request ({e})")))?;
    let spki_der = req.info.public_key.to_der().map_err(|e| Error::internal("encoding a public key", e))?;
    let message = req.info.to_der().map_err(|e| Error::internal("encoding the request", e))?;
    let signature = req
        .signature
        .as_bytes()
        .ok_or_else(|| bad("has a damaged signature"))
        .and_then(|sig| verify(&spki_der, &req.algorithm.oid, &message, sig));
    let mut san = Vec::new();
    for attr in req.info.attributes.iter().filter(|a| a.oid.to_string() == EXTENSION_REQUEST) {
        for value in attr.values.iter() {
            let exts: ExtensionReq = value.decode_as().map_err(|_| bad("has a damaged extensionRequest"))?;
            for ext in exts.0.iter().filter(|e| e.extn_id.to_string() == SUBJECT_ALT_NAME) {
                let names = SanExt::from_der(ext.extn_value.as_bytes()).map_err(|_| bad("has damaged subject alternative names"))?;
                for name in names.0 {
                    let entry = match name {
                        GeneralName::DnsName(d) => SubjectAltName::parse(&format!("dns:{}", d.as_str())).ok(),
                        GeneralName::IpAddress(ip) => match ip.as_bytes().len() {
                            4 => <[u8; 4]>::try_from(ip.as_bytes()).ok().map(|b| SubjectAltName::Ip(std::net::IpAddr::from(b))),
                            16 => <[u8; 16]>::try_from(ip.as_bytes()).ok().map(|b| SubjectAltName::Ip(std::net::IpAddr::from(b))),
                            _ => None,
                        },
                        _ => None, // e-mail, URI, ...: not copied
                    };
                    if let Some(entry) = entry.filter(|e| !san.contains(e)) {
                        san.push(entry);
                    }
                }
            }
        }
    }
    Ok((Request { subject: req.info.subject, spki_der, san, der }, signature))
}

fn pem_body(text: &str) -> Result<Vec<u8>> {
    for label in [PEM_LABEL, "NEW CERTIFICATE REQUEST"] {
        let begin = format!("-----BEGIN {label}-----");
        let end = format!("-----END {label}-----");
        if let Some(start) = text.find(&begin) {
            let body = &text[start + begin.len()..];
            let stop = body.find(&end).ok_or_else(|| bad(format!("has a BEGIN {label} line without its END line")))?;
            let compact: String = body[..stop].chars().filter(|c| !c.is_ascii_whitespace()).collect();
            return <base64ct::Base64 as base64ct::Encoding>::decode_vec(&compact)
                .map_err(|_| bad("has damaged Base64 text"));
        }
    }
    let label: String = text.split("-----BEGIN ").nth(1).map(|r| r.chars().take_while(|c| *c != '-').collect()).unwrap_or_default();
    Err(bad(format!("holds a \"{label}\" PEM block; expected CERTIFICATE REQUEST")))
}

/// A signature over `message` by the key `spki_der`: SHA-256/384/512 with RSA (2048 bits or
/// more), ecdsa-with-SHA256 with P-256. Errors name the request (inspect uses the yes or no).
pub fn verify(spki_der: &[u8], algorithm: &ObjectIdentifier, message: &[u8], signature: &[u8]) -> Result<()> {
    use spki::DecodePublicKey;
    let invalid = || bad("has a signature that does not verify with its own key: it was altered, or not made with that key");
    let spki = spki::SubjectPublicKeyInfoRef::try_from(spki_der).map_err(|_| bad("has a damaged public key"))?;
    match spki.algorithm.oid.to_string().as_str() {
        "1.2.840.113549.1.1.1" => {
            use rsa::signature::Verifier;
            use rsa::traits::PublicKeyParts;
            let key = rsa::PublicKey::from_public_key_der(spki_der).map_err(|_| bad("has a damaged RSA public key"))?;
            let bits = key.n().bit_width_vartime();
            if bits < crate::keyfile::MIN_RSA_BITS {
                return Err(bad(format!("has an RSA key of {bits} bits; at least {} are needed", crate::keyfile::MIN_RSA_BITS)));
            }
            let sig = rsa::pkcs1v15::Signature::try_from(signature).map_err(|_| invalid())?;
            let ok = match algorithm.to_string().as_str() {
                "1.2.840.113549.1.1.11" => rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key).verify(message, &sig).is_ok(),
                "1.2.840.113549.1.1.12" => rsa::pkcs1v15::VerifyingKey::<sha2::Sha384>::new(key).verify(message, &sig).is_ok(),
                "1.2.840.113549.1.1.13" => rsa::pkcs1v15::VerifyingKey::<sha2::Sha512>::new(key).verify(message, &sig).is_ok(),
                other => return Err(bad(format!("is signed with the algorithm {other}; RSA requests must use SHA-256, SHA-384 or SHA-512 with PKCS#1 v1.5"))),
            };
            ok.then_some(()).ok_or_else(invalid)
        }
        "1.2.840.10045.2.1" => {
            use p256::ecdsa::signature::Verifier;
            let curve = spki.algorithm.parameters.and_then(|p| p.decode_as::<ObjectIdentifier>().ok()).map(|c| c.to_string());
            if curve.as_deref() != Some("1.2.840.10045.3.1.7") {
                return Err(bad(format!("has an EC key on the curve {}; this tool signs EC P-256 (prime256v1) and RSA keys", curve.unwrap_or_else(|| "(unnamed)".into()))));
            }
            if algorithm.to_string() != "1.2.840.10045.4.3.2" {
                return Err(bad(format!("is signed with the algorithm {algorithm}; EC P-256 requests must use ecdsa-with-SHA256")));
            }
            let key = p256::ecdsa::VerifyingKey::from_public_key_der(spki_der).map_err(|_| bad("has a damaged EC public key"))?;
            let sig = p256::ecdsa::DerSignature::from_bytes(signature).map_err(|_| invalid())?;
            key.verify(message, &sig).map_err(|_| invalid())
        }
        other => Err(bad(format!("has a key of the algorithm {other}; this tool signs RSA and EC P-256 keys"))),
    }
}

/// A leaf for the request, signed by the CA: the request's subject and key; a server gets the
/// request's names (and the CN, as for the server role), plus `extra_san`; a client
/// `extra_san` only.
pub fn sign<R: CryptoRng + ?Sized>(
    rng: &mut R,
    request: &Request,
    ca: &Issuer,
    role: Role,
    days: u32,
    extra_san: &[SubjectAltName],
    now: u64,
) -> Result<SignedCertificate> {
    // Compared as text, case-insensitively (RFC 5280 7.1): the string types may differ.
    let same = |a: &Name, b: &Name| crate::ca::keytool_name(a).to_lowercase() == crate::ca::keytool_name(b).to_lowercase();
    if same(&request.subject, &ca.subject) {
        return Err(bad("asks for the CA's own subject: a device certificate with the CA's name would pass for the CA"));
    }
    if request.subject.is_empty() {
        return Err(bad("has an empty subject; a device certificate needs a CN"));
    }
    let mut san: Vec<SubjectAltName> = Vec::new();
    if role == Role::Server {
        if let Some(cn) = common_name(&request.subject) {
            san.extend(SubjectAltName::from_cn(&cn));
        }
        san.extend(request.san.iter().cloned());
    }
    for name in extra_san {
        if !san.contains(name) {
            san.push(name.clone());
        }
    }
    san.dedup();
    let spec = CertificateSpec { role, subject: request.subject.clone(), san: &san, now, days, path_len: None };
    cert::issue(rng, &request.spki_der, &spec, ca)
}

/// The subject's (last) CN, if it is text.
pub fn common_name(name: &Name) -> Option<String> {
    name.iter()
        .filter(|atv| atv.oid.to_string() == "2.5.4.3")
        .filter_map(|atv| {
            der::asn1::Utf8StringRef::try_from(&atv.value)
                .map(|s| s.as_str().to_string())
                .or_else(|_| der::asn1::PrintableStringRef::try_from(&atv.value).map(|s| s.as_str().to_string()))
                .ok()
        })
        .last()
}
