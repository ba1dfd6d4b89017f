//! Reading the certificates a person gives (PEM, DER, or the bare Base64 the platform stores),
//! and checking that one signed another.

use crate::error::{Error, Field, Result};
use crate::formats::pem::{self, Input};
use crate::keys::verify::verify;
use der::{Decode, Encode};
use x509_cert::Certificate;

fn refuse(field: Field, reason: String) -> Error {
    Error::Certificate { field, reason }
}

/// A serial number's octets as the integer it is: the DER sign octet (`00` before a high bit)
/// dropped, so a serial reads the same as `openssl x509 -serial` prints it, from any reader.
pub fn serial(value: &[u8]) -> Vec<u8> {
    let start = value.iter().position(|b| *b != 0).unwrap_or(value.len().saturating_sub(1));
    value[start..].to_vec()
}

/// Every certificate in the input, as DER, in order.
pub fn certificates(input: &[u8], field: Field) -> Result<Vec<Vec<u8>>> {
    let ders = match pem::read(input, field, "a certificate", refuse)? {
        Input::Pem(blocks) => {
            if let Some(other) = blocks.iter().find(|b| b.label != pem::CERTIFICATE) {
                return Err(refuse(field, format!("found a \"{}\" PEM block; expected CERTIFICATE", other.label)));
            }
            if blocks.is_empty() {
                return Err(refuse(field, "no CERTIFICATE block found".into()));
            }
            blocks.into_iter().map(|b| b.der.to_vec()).collect()
        }
        Input::Other(bytes) => match core::str::from_utf8(bytes) {
            // The bare Base64 the platform stores as credentialsValue.
            Ok(text) if text.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/= \t\r\n".contains(&b)) => {
                vec![pem::decode_base64(text).map_err(|()| refuse(field, "the Base64 text is damaged".into()))?]
            }
            _ => vec![bytes.to_vec()],
        },
    };
    for der in &ders {
        Certificate::from_der(der).map_err(|e| refuse(field, format!("not valid DER X.509 ({e})")))?;
    }
    Ok(ders)
}

/// Exactly one certificate, as DER.
pub fn one_certificate(input: &[u8], field: Field) -> Result<Vec<u8>> {
    let mut ders = certificates(input, field)?;
    if ders.len() != 1 {
        return Err(refuse(field, format!("expected one certificate, found {}", ders.len())));
    }
    Ok(ders.remove(0))
}

/// One certificate, parsed.
pub fn parse(der: &[u8], field: Field) -> Result<Certificate> {
    Certificate::from_der(der).map_err(|e| refuse(field, e.to_string()))
}

/// The DNS names and IP addresses a certificate holds (`DNS:name`, `IP:address`), in order.
pub fn names(cert: &Certificate) -> Vec<String> {
    let san: Option<x509_cert::ext::pkix::SubjectAltName> = crate::x509::ext::decode(cert, crate::oid::SUBJECT_ALT_NAME).ok().flatten();
    crate::x509::ext::from_general_names(san.map(|s| s.0).unwrap_or_default()).iter().map(ToString::to_string).collect()
}

/// Whether `issuer`'s key made `cert`'s signature, and `cert` names `issuer` as its issuer.
pub fn signed_by(cert: &Certificate, issuer: &Certificate) -> bool {
    if cert.tbs_certificate().issuer() != issuer.tbs_certificate().subject() {
        return false;
    }
    let (Ok(tbs), Ok(spki)) = (cert.tbs_certificate().to_der(), issuer.tbs_certificate().subject_public_key_info().to_der()) else {
        return false;
    };
    let Some(sig) = cert.signature().as_bytes() else { return false };
    verify(&spki, &cert.signature_algorithm().oid, &tbs, sig, Field::Certificate).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn serial_drops_the_der_sign_octet_only() {
        assert_eq!(super::serial(&[0x00, 0xC1, 0xA4]), vec![0xC1, 0xA4]);
        assert_eq!(super::serial(&[0x41, 0x00]), vec![0x41, 0x00]);
        assert_eq!(super::serial(&[0x00]), vec![0x00]);
    }
}
