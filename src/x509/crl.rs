//! Certificate revocation lists (RFC 5280 section 5), built with x509-cert's CRL types for a
//! `Signer` view (the CA's key, subject, key id), and read back: the entries kept when a CRL is
//! renewed, and whether this CA signed it.

use crate::error::{Error, Field, Result};
use crate::formats::pem::{self, Input};
use crate::keys::verify::verify;
use crate::oid;
use crate::x509::cert::Signer;
use crate::x509::ext::encode;
use crate::x509::read;
use crate::x509::time::{time, unix};
use der::asn1::{BitString, OctetString};
use der::{Decode, Encode};
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::crl::CrlNumber;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, CrlReason};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::certificate::Rfc5280;
use x509_cert::Version;

pub const PEM_LABEL: &str = "X509 CRL";

/// One revoked certificate: its serial's octets, when, and why (none: unspecified, left out).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub serial: Vec<u8>,
    /// Unix seconds.
    pub date: u64,
    pub reason: Option<CrlReason>,
}

/// A CRL read: who issued it, its number, its times and entries, and its DER.
pub struct Crl {
    pub issuer: Name,
    pub number: Option<u64>,
    pub this_update: u64,
    pub next_update: Option<u64>,
    pub entries: Vec<Entry>,
    list: CertificateList,
}

fn bad(reason: impl Into<String>) -> Error {
    Error::invalid(Field::Crl, reason)
}

/// A v2 CRL of `entries`, signed for `signer`: CRL number `number`, authority key identifier the
/// signer's key id, thisUpdate `now`, nextUpdate `next_update`. DER.
pub fn build(signer: &Signer<'_>, entries: &[Entry], number: u64, now: u64, next_update: u64) -> Result<Vec<u8>> {
    let enc = |e: der::Error| Error::internal("encoding the CRL", e);
    let revoked = entries
        .iter()
        .map(|e| {
            let reason = e.reason.map(|r| encode(oid::CRL_REASON, false, &r)).transpose().map_err(enc)?;
            Ok(RevokedCert {
                serial_number: SerialNumber::<Rfc5280>::new(&e.serial).map_err(|e| Error::internal("encoding a serial number", e))?,
                revocation_date: time(e.date)?,
                crl_entry_extensions: reason.map(|r| vec![r]),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let aki = AuthorityKeyIdentifier { key_identifier: Some(OctetString::new(signer.key_id).map_err(enc)?), authority_cert_issuer: None, authority_cert_serial_number: None };
    let number = der::asn1::Uint::new(&number.to_be_bytes()).map_err(enc)?;
    let extensions = vec![encode(oid::CRL_NUMBER, false, &CrlNumber(number)).map_err(enc)?, encode(oid::AUTHORITY_KEY_IDENTIFIER, false, &aki).map_err(enc)?];
    // The signature algorithm is the key's; signed over the TBS with it in place.
    let (algorithm, _) = signer.key.sign_message(b"")?;
    let tbs = TbsCertList {
        version: Version::V2,
        signature: algorithm.clone(),
        issuer: signer.subject.clone(),
        this_update: time(now)?,
        next_update: Some(time(next_update)?),
        revoked_certificates: (!revoked.is_empty()).then_some(revoked),
        crl_extensions: Some(extensions),
    };
    let (algorithm, signature) = signer.key.sign_message(&tbs.to_der().map_err(enc)?)?;
    let list = CertificateList { tbs_cert_list: tbs, signature_algorithm: algorithm, signature: BitString::from_bytes(&signature).map_err(enc)? };
    list.to_der().map_err(enc)
}

/// A CRL given as PEM (`X509 CRL`) or DER.
pub fn read(input: &[u8]) -> Result<Crl> {
    let der = match pem::read(input, Field::Crl, "a CRL", Error::invalid)? {
        Input::Pem(blocks) => match blocks.iter().find(|b| b.label == PEM_LABEL) {
            Some(b) => b.der.to_vec(),
            None => return Err(bad(format!("holds a \"{}\" PEM block; expected X509 CRL", blocks.first().map_or("", |b| b.label)))),
        },
        Input::Other(bytes) => bytes.to_vec(),
    };
    let list = CertificateList::from_der(&der).map_err(|e| bad(format!("is not a readable X.509 CRL ({e})")))?;
    let tbs = &list.tbs_cert_list;
    let number = tbs
        .crl_extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == oid::CRL_NUMBER)
        .map(|e| CrlNumber::from_der(e.extn_value.as_bytes()).map_err(|_| bad("has a damaged CRL number")))
        .transpose()?
        .map(|n| n.0.as_bytes().iter().fold(0u64, |a, b| a.saturating_mul(256).saturating_add(*b as u64)));
    let entries = tbs
        .revoked_certificates
        .iter()
        .flatten()
        .map(|r| {
            let reason = r
                .crl_entry_extensions
                .iter()
                .flatten()
                .find(|e| e.extn_id == oid::CRL_REASON)
                .and_then(|e| CrlReason::from_der(e.extn_value.as_bytes()).ok());
            Entry { serial: read::serial(r.serial_number.as_bytes()), date: unix(&r.revocation_date), reason }
        })
        .collect();
    Ok(Crl {
        issuer: tbs.issuer.clone(),
        number,
        this_update: unix(&tbs.this_update),
        next_update: tbs.next_update.as_ref().map(unix),
        entries,
        list,
    })
}

impl Crl {
    /// Whether the key `spki_der` made this CRL's signature.
    pub fn signed_by(&self, spki_der: &[u8]) -> bool {
        let Ok(tbs) = self.list.tbs_cert_list.to_der() else { return false };
        let Some(sig) = self.list.signature.as_bytes() else { return false };
        verify(spki_der, &self.list.signature_algorithm.oid, &tbs, sig, Field::Crl).is_ok()
    }

    pub fn to_der(&self) -> Result<Vec<u8>> {
        self.list.to_der().map_err(|e| Error::internal("encoding the CRL", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::pair::{KeyPair, KeyType};
    use crate::x509::name::DistinguishedName;
    use rand_chacha::ChaCha8Rng;
    use rand_core::SeedableRng;

    #[test]
    fn a_crl_reads_back_and_knows_its_signer() {
        let mut rng = ChaCha8Rng::from_seed([11; 32]);
        let key = KeyPair::generate(&mut rng, KeyType::EcP256, 0).unwrap();
        let other = KeyPair::generate(&mut rng, KeyType::EcP256, 0).unwrap();
        let subject = DistinguishedName::new("Test CA", "", "", "", "", "US").unwrap().to_name().unwrap();
        let signer = Signer { key: &key, subject: &subject, key_id: &[1, 2, 3], not_after: 2_000_000_000 };
        let entries = vec![
            Entry { serial: vec![0x40, 1, 2], date: 1_795_000_000, reason: Some(CrlReason::KeyCompromise) },
            Entry { serial: vec![0x41, 9], date: 1_795_000_100, reason: None },
        ];
        let der = build(&signer, &entries, 7, 1_795_000_200, 1_795_000_200 + 30 * 86_400).unwrap();
        let pem = pem::encode(PEM_LABEL, &der).unwrap();
        let crl = read(pem.as_bytes()).unwrap();
        assert_eq!(crl.entries, entries);
        assert_eq!((crl.number, crl.this_update, crl.next_update), (Some(7), 1_795_000_200, Some(1_795_000_200 + 30 * 86_400)));
        assert_eq!(crl.issuer, subject);
        assert!(crl.signed_by(&key.public_key_der().unwrap()));
        assert!(!crl.signed_by(&other.public_key_der().unwrap()));
        assert_eq!(crl.to_der().unwrap(), der);
        for bad in [&b"-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n"[..], b"\x30\x03\x02\x01\x01", b""] {
            assert!(read(bad).err().unwrap().field() == Some(Field::Crl));
        }
    }
}
