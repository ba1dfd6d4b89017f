//! The extensions of the certificates this tool makes (why each is there: `x509::cert`), as an
//! x509-cert `BuilderProfile`: an end entity (server, client) or a device CA.

use crate::oid;
use crate::role::Role;
use crate::x509::ext::{encode, general_names};
use crate::x509::san::SubjectAltName;
use der::asn1::OctetString;
use sha1::{Digest, Sha1};
use spki::SubjectPublicKeyInfoRef;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectAltName as SanExt,
    SubjectKeyIdentifier,
};
use x509_cert::ext::Extension;
use x509_cert::name::Name;

pub struct Profile {
    pub subject: Name,
    /// The issuer's subject and key id; `None`: self-signed.
    pub issuer: Option<(Name, Vec<u8>)>,
    pub role: Role,
    pub san: Vec<SubjectAltName>,
    /// keyEncipherment too (RSA); an EC key only signs.
    pub enciphers: bool,
    pub path_len: Option<u8>,
}

/// SHA-1 of the public key bits: the key identifier of RFC 5280 4.2.1.2, method 1.
pub fn key_id(subject_public_key: &[u8]) -> Vec<u8> {
    Sha1::digest(subject_public_key).to_vec()
}

impl BuilderProfile for Profile {
    fn get_issuer(&self, subject: &Name) -> Name {
        self.issuer.as_ref().map_or_else(|| subject.clone(), |(name, _)| name.clone())
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let key_id = OctetString::new(key_id(spk.subject_public_key.raw_bytes()))?;
        // An end entity (server, client) cannot sign certificates; the device CA can, and has no
        // extendedKeyUsage (it is no TLS party), as ThingsBoard's chain provisioning expects.
        let (constraints, usage, eku) = match self.role {
            Role::Ca => (
                BasicConstraints { ca: true, path_len_constraint: self.path_len },
                KeyUsages::KeyCertSign | KeyUsages::CRLSign | KeyUsages::DigitalSignature,
                None,
            ),
            Role::Server | Role::Client => (
                BasicConstraints { ca: false, path_len_constraint: None },
                if self.enciphers {
                    KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment
                } else {
                    KeyUsages::DigitalSignature.into()
                },
                Some(if self.role == Role::Server { oid::KP_SERVER_AUTH } else { oid::KP_CLIENT_AUTH }),
            ),
        };
        let mut exts = vec![encode(oid::BASIC_CONSTRAINTS, true, &constraints)?, encode(oid::KEY_USAGE, true, &KeyUsage(usage))?];
        if let Some(eku) = eku {
            exts.push(encode(oid::EXTENDED_KEY_USAGE, false, &ExtendedKeyUsage(vec![eku]))?);
        }
        let authority_key_id = match &self.issuer {
            Some((_, ca_key_id)) => OctetString::new(ca_key_id.clone())?,
            None => key_id.clone(),
        };
        exts.extend([
            encode(oid::SUBJECT_KEY_IDENTIFIER, false, &SubjectKeyIdentifier(key_id))?,
            encode(
                oid::AUTHORITY_KEY_IDENTIFIER,
                false,
                &AuthorityKeyIdentifier {
                    key_identifier: Some(authority_key_id),
                    authority_cert_issuer: None,
                    authority_cert_serial_number: None,
                },
            )?,
        ]);
        if !self.san.is_empty() {
            exts.push(encode(oid::SUBJECT_ALT_NAME, false, &SanExt(general_names(&self.san)?))?);
        }
        Ok(exts)
    }
}
