//! A device CA's answer to a certificate request: a leaf for the request's subject and key only.
//! A server gets the request's DNS and IP names (and its CN, as for the server role) plus the
//! extra names given; a client the extra names only. Anything else a request asks for (CA:TRUE,
//! key usages, other names) is not copied.

use crate::error::{Error, Field, Result};
use crate::issue::ca::Issuer;
use crate::role::Role;
use crate::x509::cert::{CertificateSpec, SignedCertificate};
use crate::x509::csr::Request;
use crate::x509::name::{common_name, keytool_name, same_name};
use crate::x509::san::{merge, SubjectAltName};
use rand_core::CryptoRng;
use x509_cert::name::Name;

/// A leaf's subject may not be its CA's own, however it is spelled (compared as X.509 compares
/// names: case, spaces and string types aside), or OpenSSL would take the leaf for the CA.
pub fn check_not_ca_name(subject: &Name, ca_subject: &Name, field: Field) -> Result<()> {
    if same_name(subject, ca_subject)? {
        return Err(Error::invalid(
            field,
            format!("asks for the CA's own subject ({}): a device certificate with the CA's name would pass for the CA", keytool_name(ca_subject)),
        ));
    }
    Ok(())
}

/// Refused before the CA is opened: a request for no name (and, given the CA, for its name).
pub fn check_subject(request: &Request, ca_subject: Option<&Name>) -> Result<()> {
    if let Some(ca) = ca_subject {
        check_not_ca_name(&request.subject, ca, Field::Request)?;
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
