//! A device CA's answer to a certificate request: a leaf for the request's subject and key only.
//! A server gets the request's DNS and IP names (and its CN, as for the server role) plus the
//! extra names given; a client the extra names only. Anything else a request asks for (CA:TRUE,
//! key usages, other names) is not copied.

use crate::error::{Error, Field, Result};
use crate::issue::ca::Issuer;
use crate::role::Role;
use crate::x509::cert::{CertificateSpec, SignedCertificate};
use crate::x509::csr::Request;
use crate::x509::name::{common_name, keytool_name};
use crate::x509::san::{merge, SubjectAltName};
use rand_core::CryptoRng;
use x509_cert::name::Name;

/// Refused before the CA is opened: a request for the CA's own name, or for no name.
pub fn check_subject(request: &Request, ca_subject: Option<&Name>) -> Result<()> {
    // Compared as text, case-insensitively (RFC 5280 7.1): the string types may differ.
    let same = |a: &Name, b: &Name| keytool_name(a).to_lowercase() == keytool_name(b).to_lowercase();
    if ca_subject.is_some_and(|ca| same(&request.subject, ca)) {
        return Err(Error::invalid(Field::Request, "asks for the CA's own subject: a device certificate with the CA's name would pass for the CA"));
    }
    if request.subject.is_empty() {
        return Err(Error::invalid(Field::Request, "has an empty subject; a device certificate needs a CN"));
    }
    Ok(())
}

/// The names a leaf for `request` carries in `role`.
pub fn names(request: &Request, role: Role, extra: &[SubjectAltName]) -> Vec<SubjectAltName> {
    let mut san: Vec<SubjectAltName> = Vec::new();
    if role == Role::Server {
        if let Some(cn) = common_name(&request.subject) {
            san.extend(SubjectAltName::from_cn(&cn));
        }
        merge(&mut san, request.san.iter().cloned());
    }
    merge(&mut san, extra.iter().cloned());
    san
}

/// A leaf for the request, signed by the CA.
pub fn sign<R: CryptoRng + ?Sized>(
    rng: &mut R,
    request: &Request,
    ca: &Issuer,
    role: Role,
    days: u32,
    extra_san: &[SubjectAltName],
    now: u64,
) -> Result<SignedCertificate> {
    check_subject(request, Some(&ca.subject))?;
    let san = names(request, role, extra_san);
    let spec = CertificateSpec { role, subject: request.subject.clone(), san: &san, now, days, path_len: None };
    ca.issue(rng, &request.spki_der, &spec)
}
