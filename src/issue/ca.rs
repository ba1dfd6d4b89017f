//! A device CA that signs device certificates: its certificate and private key as a person
//! gives them (this tool's `deviceca.pub.pem` with `deviceca.key.pem` or `deviceca.p12`, or a
//! CA made elsewhere), checked before anything is generated:
//! - the certificate is a CA (basicConstraints cA TRUE; a keyUsage, when present, has
//!   keyCertSign; RFC 5280 4.2.1.9 and 4.2.1.3);
//! - the key opens with the password and belongs to the certificate;
//! - the CA is valid now (checked with the time of issue, in [`Issuer::check_valid_at`]).
//! Its subject key identifier becomes the leaves' authority key identifier; a CA without one
//! gets it computed from its key (RFC 5280 method 1, SHA-1 of the public key bits).

use crate::error::{Error, Field, Result};
use crate::formats::pem;
use crate::keys::keyfile::{self, Fields};
use crate::keys::pair::KeyPair;
use crate::oid;
use crate::x509::cert::{self, CertificateSpec, SignedCertificate, Signer};
use crate::x509::name::name_string;
use crate::x509::profile::key_id;
use crate::x509::read;
use crate::x509::time::{iso8601, unix};
use crate::x509::ext;
use core::fmt;
use rand_core::CryptoRng;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use sha2::Digest;
use x509_cert::ext::pkix::{KeyUsage, SubjectKeyIdentifier};
use x509_cert::name::Name;
use zeroize::Zeroizing;

/// What a person gives to sign with: the CA certificate (PEM or DER), its private key file
/// (any form [`keyfile`] reads) and that file's password.
#[derive(Clone, Default)]
pub struct IssuerSource {
    pub certificate: Vec<u8>,
    pub private_key: Zeroizing<Vec<u8>>,
    pub password: Option<Zeroizing<String>>,
}

impl fmt::Debug for IssuerSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IssuerSource { .. }") // the key and password stay out of logs
    }
}

/// A loaded, checked device CA.
pub struct Issuer {
    pub certificate_der: Vec<u8>,
    pub certificate_pem: String,
    pub subject: Name,
    /// The CA's subject key identifier (or the one computed from its key).
    pub key_id: Vec<u8>,
    pub key: KeyPair,
    /// Unix seconds.
    pub not_before: u64,
    pub not_after: u64,
}

impl fmt::Debug for Issuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Issuer {{ subject: {}, .. }}", name_string(&self.subject, ","))
    }
}

thread_local! {
    /// Whether this thread keeps the CA it opened last for the next calls: on in generateMany's
    /// workers, which make many devices with one CA and are ended with the run, so the CA key's
    /// password is stretched (PBKDF2) once per worker instead of once per device. Off elsewhere:
    /// a single call leaves no CA key open.
    static KEEP_OPENED: Cell<bool> = const { Cell::new(false) };
    static OPENED: RefCell<Option<([u8; 32], Rc<Issuer>)>> = const { RefCell::new(None) };
}

/// Keep the CA opened last on this thread for later calls with the same source, or (off) forget
/// it: the key is wiped when the last call holding it ends.
pub fn keep_opened(on: bool) {
    KEEP_OPENED.set(on);
    if !on {
        OPENED.with(|o| o.borrow_mut().take());
    }
}

impl IssuerSource {
    /// What identifies the source (every byte of it, lengths included), without keeping it.
    fn id(&self) -> [u8; 32] {
        let mut h = sha2::Sha256::new();
        for part in [&self.certificate[..], &self.private_key[..], self.password.as_ref().map_or(&b""[..], |p| p.as_bytes())] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part);
        }
        h.update([self.password.is_some() as u8]);
        h.finalize().into()
    }
}

impl Issuer {
    /// [`Issuer::load`], or the CA this thread opened last from the same source when it keeps
    /// them ([`keep_opened`]).
    pub fn open(source: &IssuerSource) -> Result<Rc<Issuer>> {
        if !KEEP_OPENED.get() {
            return Ok(Rc::new(Issuer::load(source)?));
        }
        let id = source.id();
        let kept = OPENED.with(|o| o.borrow().as_ref().filter(|(k, _)| *k == id).map(|(_, i)| i.clone()));
        if let Some(issuer) = kept {
            return Ok(issuer);
        }
        let issuer = Rc::new(Issuer::load(source)?);
        OPENED.with(|o| *o.borrow_mut() = Some((id, issuer.clone())));
        Ok(issuer)
    }

    pub fn load(source: &IssuerSource) -> Result<Issuer> {
        let cert_field = Field::CaCertificate;
        let not_ca = |why: &str| Error::invalid(cert_field, format!("is not a CA certificate: {why}; give the device CA's certificate (e.g. deviceca.pub.pem)"));
        let der = read::one_certificate(&source.certificate, cert_field)?;
        let cert = read::parse(&der, cert_field)?;
        let bc = ext::basic_constraints(&cert).map_err(|()| not_ca("its basicConstraints are damaged"))?;
        if !bc.is_some_and(|b| b.ca) {
            return Err(not_ca("it lacks basicConstraints CA:TRUE, so it may not sign other certificates"));
        }
        let ku: Option<KeyUsage> = ext::decode(&cert, oid::KEY_USAGE).map_err(|()| not_ca("its keyUsage is damaged"))?;
        if ku.is_some_and(|ku| !ku.key_cert_sign()) {
            return Err(not_ca("its keyUsage lacks keyCertSign"));
        }
        let fields = Fields { key: Field::CaKey, password: Field::CaPassword };
        let password = source.password.as_deref().map(String::as_str).filter(|p| !p.is_empty());
        let key = keyfile::read_private_key(&source.private_key, password, fields)?;
        let spki = cert.tbs_certificate().subject_public_key_info();
        if !key.matches(&der::Encode::to_der(spki).map_err(|e| Error::internal("encoding a public key", e))?)? {
            return Err(Error::invalid(Field::CaKey, "does not belong to the CA certificate (their public keys differ); give the key made with that certificate"));
        }
        let ski: Option<SubjectKeyIdentifier> =
            ext::decode(&cert, oid::SUBJECT_KEY_IDENTIFIER).map_err(|()| Error::invalid(cert_field, "has a damaged subject key identifier"))?;
        let key_id = match ski {
            Some(ski) => ski.0.as_bytes().to_vec(),
            None => key_id(spki.subject_public_key.raw_bytes()),
        };
        let validity = cert.tbs_certificate().validity();
        Ok(Issuer {
            certificate_pem: pem::encode(pem::CERTIFICATE, &der)?,
            subject: cert.tbs_certificate().subject().clone(),
            key_id,
            key,
            not_before: unix(&validity.not_before),
            not_after: unix(&validity.not_after),
            certificate_der: der,
        })
    }

    /// Refuses a CA that has expired, or is not valid yet, at `now`.
    pub fn check_valid_at(&self, now: u64) -> Result<()> {
        if now > self.not_after {
            return Err(Error::invalid(Field::CaCertificate, format!("the CA expired on {}; make a new device CA", iso8601(self.not_after))));
        }
        if now < self.not_before {
            return Err(Error::invalid(Field::CaCertificate, format!("the CA is not valid until {} (is this computer's clock right?)", iso8601(self.not_before))));
        }
        Ok(())
    }
}

impl Issuer {
    /// What the certificate and CRL builders see of this CA.
    pub fn signer(&self) -> Signer<'_> {
        Signer { key: &self.key, subject: &self.subject, key_id: &self.key_id, not_after: self.not_after }
    }

    /// A leaf for the public key `spki_der`, signed by this CA, which must be valid at `spec.now`.
    pub fn issue<R: CryptoRng + ?Sized>(&self, rng: &mut R, spki_der: &[u8], spec: &CertificateSpec<'_>) -> Result<SignedCertificate> {
        self.check_valid_at(spec.now)?;
        cert::issue(rng, spki_der, spec, &self.signer())
    }
}
