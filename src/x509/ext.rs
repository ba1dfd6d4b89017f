//! Certificate extensions: finding and decoding the ones this tool reads, and encoding the ones
//! it writes.

use crate::oid;
use crate::x509::san::{merge, SubjectAltName};
use der::asn1::{Ia5String, ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::BasicConstraints;
use x509_cert::ext::Extension;
use x509_cert::Certificate;

/// The certificate's extension `id`, if it has one.
pub fn find(cert: &Certificate, id: ObjectIdentifier) -> Option<&Extension> {
    cert.tbs_certificate().extensions()?.iter().find(|e| e.extn_id == id)
}

/// The extension `id` decoded as `T`: `Ok(None)` when absent, `Err(())` when damaged.
pub fn decode<'a, T: Decode<'a>>(cert: &'a Certificate, id: ObjectIdentifier) -> Result<Option<T>, ()> {
    find(cert, id).map(|e| T::from_der(e.extn_value.as_bytes()).map_err(|_| ())).transpose()
}

/// basicConstraints (absent: `Ok(None)`).
pub fn basic_constraints(cert: &Certificate) -> Result<Option<BasicConstraints>, ()> {
    decode(cert, oid::BASIC_CONSTRAINTS)
}

/// Whether the certificate says it is a CA (basicConstraints cA TRUE).
pub fn is_ca(cert: &Certificate) -> bool {
    basic_constraints(cert).ok().flatten().is_some_and(|bc| bc.ca)
}

/// An extension with `value` DER-encoded.
pub fn encode<T: Encode>(id: ObjectIdentifier, critical: bool, value: &T) -> der::Result<Extension> {
    Ok(Extension { extn_id: id, critical, extn_value: OctetString::new(value.to_der()?)? })
}

/// DNS names and IP addresses as GeneralNames.
pub fn general_names(san: &[SubjectAltName]) -> der::Result<Vec<GeneralName>> {
    san.iter()
        .map(|n| match n {
            SubjectAltName::Dns(d) => Ok(GeneralName::DnsName(Ia5String::new(d)?)),
            SubjectAltName::Ip(std::net::IpAddr::V4(ip)) => Ok(GeneralName::IpAddress(OctetString::new(ip.octets().to_vec())?)),
            SubjectAltName::Ip(std::net::IpAddr::V6(ip)) => Ok(GeneralName::IpAddress(OctetString::new(ip.octets().to_vec())?)),
        })
        .collect()
}

/// The DNS names and IP addresses among GeneralNames (e-mail, URI, ...: left out), each once.
pub fn from_general_names(names: Vec<GeneralName>) -> Vec<SubjectAltName> {
    let mut out: Vec<SubjectAltName> = Vec::new();
    for name in names {
        let entry: Option<SubjectAltName> = match name {
            GeneralName::DnsName(d) => SubjectAltName::parse(&format!("dns:{}", d.as_str())).ok(),
            GeneralName::IpAddress(ip) => match ip.as_bytes().len() {
                4 => <[u8; 4]>::try_from(ip.as_bytes()).ok().map(|b| SubjectAltName::Ip(std::net::IpAddr::from(b))),
                16 => <[u8; 16]>::try_from(ip.as_bytes()).ok().map(|b| SubjectAltName::Ip(std::net::IpAddr::from(b))),
                _ => None,
            },
            _ => None,
        };
        merge(&mut out, entry);
    }
    out
}
