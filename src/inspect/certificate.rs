//! Reading a certificate a person supplies (PEM, DER, or the bare Base64 the platform stores)
//! and telling them what the platform will make of it.

use crate::error::{Field, Result};
use crate::formats::{hex, pem};
use crate::keys::verify::describe;
use crate::tempus::{credentials_id, credentials_id_of_text};
use crate::x509::ext::is_ca;
use crate::x509::name::{common_name, name_string};
use crate::x509::read::{self, certificates, names, parse, signed_by};
use crate::x509::time::{iso8601, unix};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

/// Warn when a certificate expires within this many days.
pub const EXPIRY_WARNING_DAYS: u64 = 30;

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
    /// The subject's CN (the device's name), when it has one as text.
    pub common_name: Option<String>,
    /// What the certificate is for: `ca` (basicConstraints CA:TRUE), `server` or `client` (its
    /// extendedKeyUsage), or `unknown`.
    pub role: &'static str,
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
    /// Its subjectAltName entries (`DNS:name`, `IP:address`): the names a server is reached by.
    pub san: Vec<String>,
    /// Every certificate of the input, in order, and whether each is signed by the next.
    pub chain: Vec<ChainLink>,
    pub warnings: Vec<Warning>,
}

/// One certificate of a chain.
#[derive(Clone, Debug)]
pub struct ChainLink {
    pub subject: String,
    pub common_name: Option<String>,
    pub issuer: String,
    pub credentials_id: String,
    pub is_ca: bool,
    /// Whether the next certificate's key verifies this one's signature (and names match);
    /// `None` for the last.
    pub signed_by_next: Option<bool>,
}

/// Describe the first certificate of `input`; `now` in Unix seconds for the expiry warnings.
pub fn inspect(input: &[u8], now: u64) -> Result<Inspection> {
    let field = Field::Certificate;
    let ders = certificates(input, field)?;
    let der = &ders[0];
    let certs: Vec<Certificate> = ders.iter().map(|d| parse(d, field)).collect::<Result<_>>()?;
    let cert = &certs[0];
    let tbs = cert.tbs_certificate();
    let not_before = unix(&tbs.validity().not_before);
    let not_after = unix(&tbs.validity().not_after);
    let (key_algorithm, key_size) = describe(tbs.subject_public_key_info());
    let chain = chain(&certs, &ders);
    let certificate_pem = pem::encode(pem::CERTIFICATE, der)?;
    let text = pem::pem_text(input);
    let pasted_credentials_id = text.map(credentials_id_of_text);
    let id = chain[0].credentials_id.clone();
    let seen = Seen { not_before, not_after, now, chain: &chain, pasted_id: pasted_credentials_id.as_deref(), key_algorithm: &key_algorithm };
    let warnings = warnings(&seen);
    let sha1 = Sha1::digest(der);
    let sha256 = Sha256::digest(der);
    Ok(Inspection {
        subject: name_string(tbs.subject(), ","),
        common_name: common_name(tbs.subject()),
        role: role_of(cert),
        issuer: name_string(tbs.issuer(), ","),
        self_signed: tbs.subject() == tbs.issuer(),
        serial: hex::colon(&read::serial(tbs.serial_number().as_bytes())),
        not_before,
        not_after,
        key_algorithm,
        key_size,
        sha1_fingerprint: hex::colon(&sha1),
        sha256_fingerprint: hex::colon(&sha256),
        credentials_id: id,
        pasted_credentials_id,
        certificates: ders.len(),
        certificate_pem,
        is_ca: chain[0].is_ca,
        san: names(cert),
        chain,
        warnings,
    })
}

/// What a certificate is for, by its extensions.
fn role_of(cert: &Certificate) -> &'static str {
    if is_ca(cert) {
        return "ca";
    }
    let eku: Option<x509_cert::ext::pkix::ExtendedKeyUsage> = crate::x509::ext::decode(cert, crate::oid::EXTENDED_KEY_USAGE).ok().flatten();
    let has = |id| eku.as_ref().is_some_and(|e| e.0.contains(&id));
    if has(crate::oid::KP_SERVER_AUTH) {
        "server"
    } else if has(crate::oid::KP_CLIENT_AUTH) {
        "client"
    } else {
        "unknown"
    }
}

/// Each certificate of the input, and whether the next one signed it.
fn chain(certs: &[Certificate], ders: &[Vec<u8>]) -> Vec<ChainLink> {
    certs
        .iter()
        .enumerate()
        .map(|(i, c)| ChainLink {
            subject: name_string(c.tbs_certificate().subject(), ","),
            common_name: common_name(c.tbs_certificate().subject()),
            issuer: name_string(c.tbs_certificate().issuer(), ","),
            credentials_id: credentials_id(&ders[i]),
            is_ca: is_ca(c),
            signed_by_next: certs.get(i + 1).map(|next| signed_by(c, next)),
        })
        .collect()
}

/// What the warnings are made from.
struct Seen<'a> {
    not_before: u64,
    not_after: u64,
    now: u64,
    chain: &'a [ChainLink],
    pasted_id: Option<&'a str>,
    key_algorithm: &'a str,
}

/// What trips people up: validity, several certificates pasted, text the platform hashes
/// differently, a key kind the platforms are not known to take.
fn warnings(seen: &Seen<'_>) -> Vec<Warning> {
    let (not_before, not_after, now) = (seen.not_before, seen.not_after, seen.now);
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
    let count = seen.chain.len();
    if count > 1 {
        let chain_ok = seen.chain.iter().all(|l| l.signed_by_next != Some(false));
        warn(
            "multiple_certificates",
            if chain_ok {
                format!(
                    "the text holds a chain of {count} certificates, each signed by the next: good for a device to present, \
                     but Device Credentials take the first (the leaf) alone; paste only it"
                )
            } else {
                format!("the text holds {count} certificates; paste only one, or the platform's id never matches the device's")
            },
        );
    }
    let id = &seen.chain[0].credentials_id;
    if let Some(pasted) = seen.pasted_id.filter(|p| p != id) {
        warn(
            "text_differs",
            format!(
                "the pasted text is not canonical PEM (extra whitespace, headers or blocks): \
                 the platform would store id {pasted}, but the device presents {id} at TLS \
                 login and would be refused; paste the canonical PEM instead"
            ),
        );
    }
    // RSA (the recipe's) and EC P-256 (ThingsBoard's X.509 guides) are what the platforms' Java
    // TLS and the devices' clients are known to take.
    let key = seen.key_algorithm;
    if key != "RSA" && key != "EC P-256" {
        warn("not_rsa", format!("the key is {key}, neither RSA (the platform's recipe) nor EC P-256"));
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT: &str = include_str!("../../tests/vectors/keytool-mqttclient.pub.pem");
    const SERVER: &str = include_str!("../../tests/vectors/keytool-mqttserver.pub.pem");
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
        let der = crate::x509::read::one_certificate(CLIENT.as_bytes(), Field::Certificate).unwrap();
        assert_eq!(inspect(&der, NOW).unwrap().credentials_id, inspect(CLIENT.as_bytes(), NOW).unwrap().credentials_id);
        let bare = crate::tempus::platform_trim(CLIENT);
        assert_eq!(crate::x509::read::one_certificate(bare.as_bytes(), Field::Certificate).unwrap(), der);
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
