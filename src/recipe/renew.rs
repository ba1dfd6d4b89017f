//! Renewal: the same device (subject, names, role; its key unless a new one is asked for), a new
//! certificate (new serial, notBefore now, the old validity length unless told) from the same
//! issuer (its own key, or the same device CA), and every file of the role rewritten around it
//! under the same passwords, which must open the old key store first.

use crate::error::{Error, Field, Result};
use crate::formats::derived::Derived;
use crate::formats::pkcs12;
use crate::issue::sign::check_not_ca_name;
use crate::keys::keyfile::{read_private_key, Fields};
use crate::keys::pair::{KeyPair, KeyType};
use crate::oid;
use crate::recipe::files::{package, Bundle, Leaf};
use crate::recipe::params::{check_days, Params};
use crate::role::Role;
use crate::x509::cert::{self, CertificateSpec};
use crate::x509::ext;
use crate::x509::name::{keytool_name, same_name};
use crate::x509::read;
use crate::x509::time::{unix, DAY};
use der::Encode;
use rand_core::CryptoRng;
use x509_cert::ext::pkix::{ExtendedKeyUsage, SubjectAltName as SanExt};
use zeroize::Zeroizing;

/// What a folder holds that renewal reads: the key, the certificate, and the old key store.
#[derive(Default)]
pub struct RenewSource {
    /// The private key (opened with `params.key_password` when it is encrypted).
    pub key: Zeroizing<Vec<u8>>,
    pub certificate: Vec<u8>,
    /// The old `.p12`: it must open with `params.store_password`, and its trusted certificate
    /// (a client's server) is kept unless `params.server_certificate` gives another.
    pub keystore: Option<Zeroizing<Vec<u8>>>,
}

/// What renewal did besides the files: whether the key is new, and the old certificate's id.
pub struct Renewal {
    pub bundle: Bundle,
    pub new_key: bool,
    pub previous_credentials_id: String,
}

/// The role a certificate (PEM or DER) was made for, by its extendedKeyUsage.
pub fn certificate_role(input: &[u8]) -> Result<Option<Role>> {
    let der = read::one_certificate(input, Field::IssuedCertificate)?;
    Ok(role_of(&read::parse(&der, Field::IssuedCertificate)?))
}

fn role_of(cert: &x509_cert::Certificate) -> Option<Role> {
    let eku: Option<ExtendedKeyUsage> = ext::decode(cert, oid::EXTENDED_KEY_USAGE).ok().flatten();
    let has = |id| eku.as_ref().is_some_and(|e| e.0.contains(&id));
    if has(oid::KP_SERVER_AUTH) {
        Some(Role::Server)
    } else if has(oid::KP_CLIENT_AUTH) {
        Some(Role::Client)
    } else {
        None
    }
}

/// Renew: `params` give the role, prefix, alias, passwords, the CA (`issuer`, when a CA signed
/// the old certificate) and the stores' options; `days` the new validity (`None`: the old one's).
pub fn renew<R: CryptoRng + ?Sized>(rng: &mut R, params: &Params, source: &RenewSource, new_key: bool, days: Option<u32>, now: u64) -> Result<Renewal> {
    let mut params = params.clone();
    let old_der = read::one_certificate(&source.certificate, Field::IssuedCertificate)?;
    let old = read::parse(&old_der, Field::IssuedCertificate)?;
    let tbs = old.tbs_certificate();
    let role = role_of(&old).ok_or_else(|| Error::invalid(Field::IssuedCertificate, "is neither a server's nor a client's certificate (no serverAuth or clientAuth): renew a device CA by making a new one"))?;
    if params.role != role {
        return Err(Error::invalid(Field::Role, format!("is {}, but the certificate is a {}'s", params.role.as_str(), role.as_str())));
    }
    // Cheap checks first: days, passwords, alias, prefix (the CN of the params is not used).
    let old_days = ((unix(&tbs.validity().not_after).saturating_sub(unix(&tbs.validity().not_before)) + DAY / 2) / DAY).max(1) as u32;
    let days = days.unwrap_or(old_days.min(crate::recipe::params::MAX_DAYS));
    check_days(days)?;
    params.cn = crate::x509::name::common_name(tbs.subject()).unwrap_or_else(|| "renewed".into());
    params.days = days;
    let mut checked = params.check()?;
    let fields = Fields { key: Field::Key, password: Field::KeyPassword };
    let old_key = read_private_key(&source.key, Some(&params.key_password), fields)?;
    let spki = tbs.subject_public_key_info().to_der().map_err(|e| Error::internal("encoding a public key", e))?;
    if !old_key.matches(&spki)? {
        return Err(Error::invalid(Field::IssuedCertificate, "is not the key's: its public key differs"));
    }
    if let Some(store) = &source.keystore {
        let contents = pkcs12::read(store, &params.store_password).map_err(|e| match e {
            pkcs12::ReadError::WrongPassword => Error::WrongPassword { field: Field::StorePassword, what: "the old .p12".into() },
            other => Error::invalid(Field::StorePassword, format!("the old .p12 cannot be read ({other:?})")),
        })?;
        if checked.server_certificate.is_none() && role == Role::Client {
            if let Some((alias, der)) = contents.trusted.into_iter().next() {
                if !alias.is_empty() && params.server_alias.is_none() {
                    params.server_alias = Some(alias);
                }
                checked.server_certificate = Some(der);
            }
        }
    }
    // The same issuer: its own key, or the same device CA.
    let self_signed = same_name(tbs.issuer(), tbs.subject())? && read::signed_by(&old, &old);
    let issuer = match (&params.issuer, self_signed) {
        (None, true) => None,
        (None, false) => {
            return Err(Error::invalid(Field::CaCertificate, format!("is needed: the certificate was signed by {}; give that CA (its certificate, key and password) to renew it", keytool_name(tbs.issuer()))))
        }
        (Some(_), true) => return Err(Error::invalid(Field::CaCertificate, "is not used: the certificate is self-signed and is renewed by its own key; leave the CA out")),
        (Some(source), false) => {
            let ca = crate::issue::ca::Issuer::open(source)?;
            let ca_cert = read::parse(&ca.certificate_der, Field::CaCertificate)?;
            if !same_name(tbs.issuer(), &ca.subject)? || !read::signed_by(&old, &ca_cert) {
                return Err(Error::invalid(
                    Field::CaCertificate,
                    format!("is {}, not the CA that issued the certificate ({}): renew with that CA", keytool_name(&ca.subject), keytool_name(tbs.issuer())),
                ));
            }
            Some(ca)
        }
    };
    let san_ext: Option<SanExt> = ext::decode(&old, oid::SUBJECT_ALT_NAME).map_err(|()| Error::invalid(Field::IssuedCertificate, "has damaged subject alternative names"))?;
    let san = ext::from_general_names(san_ext.map(|s| s.0).unwrap_or_default());
    let key = if new_key {
        match &old_key {
            KeyPair::Rsa(k) => KeyPair::generate(rng, KeyType::Rsa, rsa::traits::PublicKeyParts::n(k).bit_width_vartime())?,
            #[cfg(feature = "full")]
            KeyPair::EcP256(_) => KeyPair::generate(rng, KeyType::EcP256, 0)?,
        }
    } else {
        old_key
    };
    let spec = CertificateSpec { role, subject: tbs.subject().clone(), san: &san, now, days, path_len: None };
    let signed = match &issuer {
        Some(ca) => {
            check_not_ca_name(&spec.subject, &ca.subject, Field::IssuedCertificate)?;
            ca.issue(rng, &key.public_key_der()?, &spec)?
        }
        None => cert::self_signed(rng, &key, &spec)?,
    };
    checked.issuer = issuer;
    let leaf = Leaf::signed(signed, checked.issuer.as_deref(), keytool_name(tbs.subject()), san.iter().map(ToString::to_string).collect(), now);
    let bundle = package(rng, &params, &checked, &key, leaf, now, &mut Derived::default())?;
    Ok(Renewal { bundle, new_key, previous_credentials_id: crate::tempus::credentials_id(&old_der) })
}
