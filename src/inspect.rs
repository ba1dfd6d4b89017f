//! Reading a certificate a person supplies (PEM, DER, or the bare Base64 the platform stores)
//! and telling them what the platform will make of it.

use crate::error::{Error, Field, Result};
use crate::tempus::{credentials_id, credentials_id_of_text};
use base64ct::{Base64, Encoding};
use core::time::Duration;
use der::{Decode, DateTime};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use x509_cert::time::Time;
use x509_cert::Certificate;

const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const END: &str = "-----END CERTIFICATE-----";
/// Inputs larger than this are not certificates a person pastes.
const MAX_INPUT: usize = 1 << 20;
/// Warn when a certificate expires within this many days.
pub const EXPIRY_WARNING_DAYS: u64 = 30;

/// Every certificate in the input, as DER, in order. PEM blocks may carry any whitespace.
pub fn read_certificates(input: &[u8], field: Field) -> Result<Vec<Vec<u8>>> {
    let bad = |reason: String| Error::Certificate { field, reason };
    if input.len() > MAX_INPUT {
        return Err(bad(format!("the input is {} bytes; a certificate is a few KB", input.len())));
    }
    if input.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty { field });
    }
    let text = core::str::from_utf8(input).ok();
    let ders = match text {
        Some(text) if text.contains("-----BEGIN") => pem_blocks(text).map_err(bad)?,
        Some(text) if text.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/= \t\r\n".contains(&b)) => {
            // The bare Base64 the platform stores as credentialsValue.
            vec![decode_base64(text).map_err(bad)?]
        }
        _ => vec![input.to_vec()],
    };
    for der in &ders {
        Certificate::from_der(der).map_err(|e| bad(format!("not valid DER X.509 ({e})")))?;
    }
    Ok(ders)
}

/// Exactly one certificate, as DER.
pub fn read_one_certificate(input: &[u8], field: Field) -> Result<Vec<u8>> {
    let mut ders = read_certificates(input, field)?;
    if ders.len() != 1 {
        return Err(Error::Certificate {
            field,
            reason: format!("expected one certificate, found {}", ders.len()),
        });
    }
    Ok(ders.remove(0))
}

fn decode_base64(body: &str) -> core::result::Result<Vec<u8>, String> {
    let compact: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    Base64::decode_vec(&compact).map_err(|_| "the Base64 text is damaged".to_string())
}

fn pem_blocks(text: &str) -> core::result::Result<Vec<Vec<u8>>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN") {
        let after = &rest[start..];
        if !after.starts_with(BEGIN) {
            let label: String = after.chars().skip(11).take_while(|c| *c != '-').collect();
            return Err(format!("found a \"{label}\" PEM block; expected CERTIFICATE"));
        }
        let body_start = start + BEGIN.len();
        let end = rest[body_start..]
            .find(END)
            .ok_or_else(|| "a BEGIN CERTIFICATE line has no END CERTIFICATE line".to_string())?;
        out.push(decode_base64(&rest[body_start..body_start + end])?);
        rest = &rest[body_start + end + END.len()..];
    }
    if out.is_empty() {
        return Err("no CERTIFICATE block found".into());
    }
    Ok(out)
}

/// A warning a user of the platform needs to see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// Stable: `expired`, `expiring`, `not_yet_valid`, `multiple_certificates`,
    /// `text_differs`, `not_rsa`.
    pub code: &'static str,
    pub message: String,
}

/// What a certificate says, and what the platform will compute from it.
#[derive(Clone, Debug)]
pub struct Inspection {
    pub subject: String,
    pub issuer: String,
    pub self_signed: bool,
    /// Colon-separated uppercase hex, as keytool and openssl print it.
    pub serial: String,
    /// Unix seconds.
    pub not_before: u64,
    pub not_after: u64,
    /// "RSA", "EC", or the algorithm's OID.
    pub key_algorithm: String,
    /// Modulus bits for RSA; 0 when unknown.
    pub key_size: u32,
    pub sha1_fingerprint: String,
    pub sha256_fingerprint: String,
    /// What the platform computes at TLS login (from the DER).
    pub credentials_id: String,
    /// What the platform computes on save from the pasted text, when the input was PEM text.
    pub pasted_credentials_id: Option<String>,
    /// How many certificates the input held (the first one is described).
    pub certificates: usize,
    /// The canonical PEM of the first certificate: what to paste.
    pub certificate_pem: String,
    /// basicConstraints CA:TRUE: a device profile finds this CA by `credentials_id`.
    pub is_ca: bool,
    /// Every certificate of the input, in order, and whether each is signed by the next.
    pub chain: Vec<ChainLink>,
    pub warnings: Vec<Warning>,
}

/// One certificate of a chain.
#[derive(Clone, Debug)]
pub struct ChainLink {
    pub subject: String,
    pub issuer: String,
    pub credentials_id: String,
    pub is_ca: bool,
    /// Whether the next certificate's key verifies this one's signature (and names match);
    /// `None` for the last.
    pub signed_by_next: Option<bool>,
}

/// The certificate's extension `oid` (dotted), if it has one.
pub fn extension<'a>(cert: &'a Certificate, oid: &str) -> Option<&'a x509_cert::ext::Extension> {
    cert.tbs_certificate().extensions()?.iter().find(|e| e.extn_id.to_string() == oid)
}

fn is_ca(cert: &Certificate) -> bool {
    extension(cert, "2.5.29.19")
        .and_then(|e| x509_cert::ext::pkix::BasicConstraints::from_der(e.extn_value.as_bytes()).ok())
        .is_some_and(|bc| bc.ca)
}

/// Whether `issuer`'s key made `cert`'s signature, and `cert` names `issuer` as its issuer.
pub fn signed_by(cert: &Certificate, issuer: &Certificate) -> bool {
    use der::Encode;
    if cert.tbs_certificate().issuer() != issuer.tbs_certificate().subject() {
        return false;
    }
    let (Ok(tbs), Ok(spki)) = (cert.tbs_certificate().to_der(), issuer.tbs_certificate().subject_public_key_info().to_der()) else {
        return false;
    };
    let Some(sig) = cert.signature().as_bytes() else { return false };
    crate::csr::verify(&spki, &cert.signature_algorithm().oid, &tbs, sig).is_ok()
}

/// A key's algorithm as a person names it, and its size in bits (0 when unknown).
pub fn key_description(spki: &spki::SubjectPublicKeyInfoOwned) -> (String, u32) {
    match spki.algorithm.oid.to_string().as_str() {
        "1.2.840.113549.1.1.1" => ("RSA".to_string(), rsa_bits(spki.subject_public_key.raw_bytes())),
        "1.2.840.10045.2.1" => {
            let curve = spki.algorithm.parameters.as_ref().and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok());
            match curve.map(|c| c.to_string()).as_deref() {
                Some("1.2.840.10045.3.1.7") => ("EC P-256".to_string(), 256),
                Some("1.3.132.0.34") => ("EC P-384".to_string(), 384),
                _ => ("EC".to_string(), 0),
            }
        }
        "1.3.101.112" => ("Ed25519".to_string(), 0),
        other => (other.to_string(), 0),
    }
}

/// What a certificate request says: for a person deciding whether to sign it.
#[derive(Clone, Debug)]
pub struct RequestInspection {
    pub subject: String,
    pub key_algorithm: String,
    pub key_size: u32,
    /// `DNS:name` / `IP:address`, as requested.
    pub san: Vec<String>,
    /// Whether its signature verifies with its own key; `signature_error` says why not.
    pub signature_valid: bool,
    pub signature_error: Option<String>,
}

/// Describe a certificate request (PEM or DER).
pub fn inspect_request(input: &[u8]) -> Result<RequestInspection> {
    let (request, signature) = crate::csr::parse(input)?;
    let spki = spki::SubjectPublicKeyInfoOwned::from_der(&request.spki_der).map_err(|e| Error::internal("reading a public key", e))?;
    let (key_algorithm, key_size) = key_description(&spki);
    Ok(RequestInspection {
        subject: crate::dn::name_string(&request.subject, ","),
        key_algorithm,
        key_size,
        san: request
            .san
            .iter()
            .map(|n| match n {
                crate::san::SubjectAltName::Dns(d) => format!("DNS:{d}"),
                crate::san::SubjectAltName::Ip(ip) => format!("IP:{ip}"),
            })
            .collect(),
        signature_valid: signature.is_ok(),
        signature_error: signature.err().map(|e| e.to_string()),
    })
}

/// Describe the first certificate of `input`; `now` in Unix seconds for the expiry warnings.
pub fn inspect(input: &[u8], now: u64) -> Result<Inspection> {
    let field = Field::Certificate;
    let ders = read_certificates(input, field)?;
    let der = &ders[0];
    let certs: Vec<Certificate> = ders
        .iter()
        .map(|d| Certificate::from_der(d).map_err(|e| Error::Certificate { field, reason: e.to_string() }))
        .collect::<Result<_>>()?;
    let cert = &certs[0];
    let tbs = cert.tbs_certificate();
    let not_before = unix(&tbs.validity().not_before);
    let not_after = unix(&tbs.validity().not_after);
    let (key_algorithm, key_size) = key_description(tbs.subject_public_key_info());
    let chain: Vec<ChainLink> = certs
        .iter()
        .enumerate()
        .map(|(i, c)| ChainLink {
            subject: crate::dn::name_string(c.tbs_certificate().subject(), ","),
            issuer: crate::dn::name_string(c.tbs_certificate().issuer(), ","),
            credentials_id: credentials_id(&ders[i]),
            is_ca: is_ca(c),
            signed_by_next: certs.get(i + 1).map(|next| signed_by(c, next)),
        })
        .collect();
    let chain_ok = chain.len() > 1 && chain.iter().all(|l| l.signed_by_next != Some(false));
    let certificate_pem = crate::pem::encode(crate::pem::CERTIFICATE, der)?;
    let text = core::str::from_utf8(input).ok().filter(|t| t.contains("-----BEGIN"));
    let pasted_credentials_id = text.map(credentials_id_of_text);
    let id = chain[0].credentials_id.clone();

    let mut warnings = Vec::new();
    let mut warn = |code, message: String| warnings.push(Warning { code, message });
    if not_after < now {
        warn("expired", format!("expired on {}; the platform refuses expired certificates", iso8601(not_after)));
    } else if not_after - now < EXPIRY_WARNING_DAYS * 86_400 {
        warn("expiring", format!("expires on {}, within {EXPIRY_WARNING_DAYS} days", iso8601(not_after)));
    }
    if not_before > now {
        warn("not_yet_valid", format!("is not valid before {}", iso8601(not_before)));
    }
    if ders.len() > 1 {
        warn(
            "multiple_certificates",
            if chain_ok {
                format!(
                    "the text holds a chain of {} certificates, each signed by the next: good for a device to present, \
                     but Device Credentials take the first (the leaf) alone; paste only it",
                    ders.len()
                )
            } else {
                format!(
                    "the text holds {} certificates; paste only one, or the platform's id never \
                     matches the device's",
                    ders.len()
                )
            },
        );
    }
    if let Some(pasted) = &pasted_credentials_id {
        if *pasted != id {
            warn(
                "text_differs",
                format!(
                    "the pasted text is not canonical PEM (extra whitespace, headers or blocks): \
                     the platform would store id {pasted}, but the device presents {id} at TLS \
                     login and would be refused; paste the canonical PEM instead"
                ),
            );
        }
    }
    // RSA (the recipe's) and EC P-256 (ThingsBoard's X.509 guides) are what the platforms' Java
    // TLS and the devices' clients are known to take.
    if key_algorithm != "RSA" && key_algorithm != "EC P-256" {
        warn("not_rsa", format!("the key is {key_algorithm}, neither RSA (the platform's recipe) nor EC P-256"));
    }
    let sha1 = Sha1::digest(der);
    let sha256 = Sha256::digest(der);
    Ok(Inspection {
        subject: crate::dn::name_string(tbs.subject(), ","),
        issuer: crate::dn::name_string(tbs.issuer(), ","),
        self_signed: tbs.subject() == tbs.issuer(),
        serial: colon_hex(tbs.serial_number().as_bytes()),
        not_before,
        not_after,
        key_algorithm,
        key_size,
        sha1_fingerprint: colon_hex(&sha1),
        sha256_fingerprint: colon_hex(&sha256),
        credentials_id: id,
        pasted_credentials_id,
        certificates: ders.len(),
        certificate_pem,
        is_ca: chain[0].is_ca,
        chain,
        warnings,
    })
}

/// Unix seconds of a certificate time.
pub fn unix(t: &Time) -> u64 {
    t.to_unix_duration().as_secs()
}

fn rsa_bits(pkcs1: &[u8]) -> u32 {
    match pkcs1::RsaPublicKey::<der::asn1::UintRef<'_>>::from_der(pkcs1) {
        Ok(k) => {
            let m = k.modulus.as_bytes();
            let lead = m.iter().take_while(|b| **b == 0).count();
            match m.get(lead) {
                Some(first) => ((m.len() - lead) * 8) as u32 - first.leading_zeros(),
                None => 0,
            }
        }
        Err(_) => 0,
    }
}

pub fn colon_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// `2026-11-26T22:53:55Z`
pub fn iso8601(unix: u64) -> String {
    match DateTime::from_unix_duration(Duration::from_secs(unix)) {
        Ok(dt) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minutes(),
            dt.seconds()
        ),
        Err(_) => unix.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT: &str = include_str!("../tests/vectors/keytool-mqttclient.pub.pem");
    const SERVER: &str = include_str!("../tests/vectors/keytool-mqttserver.pub.pem");
    const NOW: u64 = 1_800_000_000; // 2027-01-15

    #[test]
    fn keytool_certificate_is_described() {
        let i = inspect(CLIENT.as_bytes(), NOW).unwrap();
        assert_eq!(i.subject, "CN=testhost,OU=tempus,O=tempus,L=SF,ST=CA,C=US");
        assert!(i.self_signed);
        assert_eq!((i.key_algorithm.as_str(), i.key_size), ("RSA", 2048));
        assert_eq!(i.credentials_id, "8fac8b7da6bedd63f2b14b10d630cc997872018bf81a673d6b911a7a60b016e4");
        assert_eq!(i.pasted_credentials_id.as_deref(), Some(i.credentials_id.as_str()));
        assert_eq!(i.sha256_fingerprint.len(), 32 * 3 - 1);
        assert!(i.warnings.is_empty(), "{:?}", i.warnings);
        assert_eq!(i.certificate_pem, CLIENT);
    }

    #[test]
    fn der_and_bare_base64_are_read() {
        let der = read_one_certificate(CLIENT.as_bytes(), Field::Certificate).unwrap();
        assert_eq!(inspect(&der, NOW).unwrap().credentials_id, inspect(CLIENT.as_bytes(), NOW).unwrap().credentials_id);
        let bare = crate::tempus::platform_trim(CLIENT);
        assert_eq!(read_one_certificate(bare.as_bytes(), Field::Certificate).unwrap(), der);
    }

    #[test]
    fn warnings_for_what_trips_users() {
        let two = format!("{CLIENT}{SERVER}");
        let i = inspect(two.as_bytes(), NOW).unwrap();
        let codes: Vec<_> = i.warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, ["multiple_certificates", "text_differs"]);
        let indented = CLIENT.replace('\n', "\n  ");
        let i = inspect(indented.as_bytes(), NOW).unwrap();
        assert_eq!(i.warnings[0].code, "text_differs");
        assert_ne!(i.pasted_credentials_id.unwrap(), i.credentials_id);
        let later = i.not_after + 1;
        assert_eq!(inspect(CLIENT.as_bytes(), later).unwrap().warnings[0].code, "expired");
        let soon = i.not_after - 86_400;
        assert_eq!(inspect(CLIENT.as_bytes(), soon).unwrap().warnings[0].code, "expiring");
    }

    #[test]
    fn garbage_is_an_error_naming_the_field() {
        for bad in [&b"hello"[..], b"-----BEGIN CERTIFICATE-----\nAAAA\n", b"\x30\x82\x01", b"", b"-----BEGIN PRIVATE KEY-----\n"] {
            let e = inspect(bad, NOW).unwrap_err();
            assert_eq!(e.field(), Some(Field::Certificate), "{e}");
        }
        let truncated = &CLIENT[..CLIENT.len() / 2];
        assert!(inspect(truncated.as_bytes(), NOW).is_err());
    }
}
