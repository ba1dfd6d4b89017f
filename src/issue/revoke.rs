//! Revocation: a device CA's CRL with the certificates it takes back. The certificates must be
//! this CA's (issuer name and signature); a CRL already there must be this CA's too, and its
//! entries are kept, its number raised by one. With nothing new to revoke, the same entries are
//! signed again with a fresh nextUpdate (a CRL past it makes OpenSSL and mosquitto refuse every
//! device).

use crate::error::{Error, Field, Result};
use crate::formats::{hex, pem};
use crate::issue::ca::Issuer;
use crate::x509::crl::{self, Entry};
use crate::x509::name::{keytool_name, same_name};
use crate::x509::read;
use crate::x509::time::DAY;
use der::Encode;
use x509_cert::ext::pkix::CrlReason;

/// The most days a CRL is valid here: it is meant to be renewed (from cron) before then.
pub const MAX_CRL_DAYS: u32 = 3650;
pub const DEFAULT_CRL_DAYS: u32 = 30;

/// Why certificates are revoked, as the options spell it.
pub fn parse_reason(text: &str) -> Result<Option<CrlReason>> {
    Ok(match text.trim() {
        "" | "unspecified" => None,
        "keyCompromise" => Some(CrlReason::KeyCompromise),
        "cessationOfOperation" => Some(CrlReason::CessationOfOperation),
        "superseded" => Some(CrlReason::Superseded),
        "affiliationChanged" => Some(CrlReason::AffiliationChanged),
        other => {
            return Err(Error::invalid(
                Field::Reason,
                format!("\"{other}\" is not a reason this tool writes: use keyCompromise, cessationOfOperation, superseded, affiliationChanged or unspecified"),
            ))
        }
    })
}

/// A serial number as people copy it (`5A:0F...`, `5a0f...`, `0x5a0f`), as octets.
pub fn parse_serial(text: &str) -> Result<Vec<u8>> {
    let t = text.trim();
    let t = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")).unwrap_or(t);
    let digits: String = t.chars().filter(|c| *c != ':' && *c != ' ').collect();
    let padded = if digits.len() % 2 == 1 { format!("0{digits}") } else { digits };
    match hex::decode(&padded).map(|b| read::serial(&b)) {
        Some(bytes) if !bytes.is_empty() && bytes.len() <= 20 => Ok(bytes),
        _ => Err(Error::invalid(Field::Serial, format!("\"{text}\" is not a serial number: give it in hex, as openssl x509 -serial or inspect print it"))),
    }
}

/// What to revoke, checked before the CA's key is opened.
pub struct Revocations {
    /// Serials (octets) of the certificates given, with each certificate's DER.
    pub certificates: Vec<(Vec<u8>, Vec<u8>)>,
    pub serials: Vec<Vec<u8>>,
    pub crl: Option<crl::Crl>,
    pub reason: Option<CrlReason>,
    pub days: u32,
}

impl Revocations {
    /// `certificates`: each a file's bytes (PEM or DER, one certificate); `serials` in hex.
    pub fn parse(certificates: &[Vec<u8>], serials: &[String], crl: Option<&[u8]>, reason: &str, days: u32) -> Result<Revocations> {
        if days == 0 || days > MAX_CRL_DAYS {
            return Err(Error::OutOfRange { field: Field::CrlDays, min: 1, max: MAX_CRL_DAYS as u64, value: days as u64 });
        }
        let certificates = certificates
            .iter()
            .map(|input| {
                let der = read::one_certificate(input, Field::Certificate)?;
                let serial = read::serial(read::parse(&der, Field::Certificate)?.tbs_certificate().serial_number().as_bytes());
                Ok((serial, der))
            })
            .collect::<Result<Vec<_>>>()?;
        let serials = serials.iter().map(|s| parse_serial(s)).collect::<Result<Vec<_>>>()?;
        let crl = crl.filter(|c| !c.iter().all(u8::is_ascii_whitespace)).map(crl::read).transpose()?;
        Ok(Revocations { certificates, serials, crl, reason: parse_reason(reason)?, days })
    }
}

/// The CA's new CRL: PEM and DER, its number, and the serials it added (hex).
pub struct Revoked {
    pub crl_der: Vec<u8>,
    pub crl_pem: String,
    pub number: u64,
    pub revoked: Vec<String>,
    pub entries: usize,
    pub next_update: u64,
}

/// Revoke with `ca`: every certificate checked to be its, the old CRL checked to be its.
pub fn revoke(ca: &Issuer, what: &Revocations, now: u64) -> Result<Revoked> {
    ca.check_valid_at(now)?;
    let ca_cert = read::parse(&ca.certificate_der, Field::CaCertificate)?;
    let ca_spki = ca_cert.tbs_certificate().subject_public_key_info().to_der().map_err(|e| Error::internal("encoding a public key", e))?;
    for (serial, der) in &what.certificates {
        let cert = read::parse(der, Field::Certificate)?;
        let ours = same_name(cert.tbs_certificate().issuer(), &ca.subject)? && read::signed_by(&cert, &ca_cert);
        if !ours {
            return Err(Error::invalid(
                Field::Certificate,
                format!(
                    "{} (serial {}) was not issued by this CA ({}): its issuer is {}; give the certificates this CA signed",
                    keytool_name(cert.tbs_certificate().subject()),
                    hex::colon(serial),
                    keytool_name(&ca.subject),
                    keytool_name(cert.tbs_certificate().issuer())
                ),
            ));
        }
    }
    let mut entries: Vec<Entry> = Vec::new();
    let mut number = 1;
    if let Some(old) = &what.crl {
        if !same_name(&old.issuer, &ca.subject)? || !old.signed_by(&ca_spki) {
            return Err(Error::invalid(Field::Crl, format!("was not signed by this CA ({}); give this CA's CRL, or leave it out to start a new one", keytool_name(&ca.subject))));
        }
        entries.extend(old.entries.iter().cloned());
        number = old.number.unwrap_or(0).saturating_add(1);
    }
    let mut added = Vec::new();
    for serial in what.certificates.iter().map(|(s, _)| s).chain(&what.serials) {
        if !entries.iter().any(|e| &e.serial == serial) {
            entries.push(Entry { serial: serial.clone(), date: now, reason: what.reason });
            added.push(hex::colon(serial));
        }
    }
    let next_update = now + what.days as u64 * DAY;
    let crl_der = crl::build(&ca.signer(), &entries, number, now, next_update)?;
    Ok(Revoked { crl_pem: pem::encode(crl::PEM_LABEL, &crl_der)?, crl_der, number, revoked: added, entries: entries.len(), next_update })
}
