//! The recipe's other ways to the files: a certificate request and its key (`request`), a device
//! CA's answer to a request (`sign`), and the role's files around a key made earlier and the
//! certificate a CA returned (`assemble`).

use crate::error::{Error, Field, Result};
use crate::formats::pbe::{Derived, Scheme};
use crate::formats::{pem, pkcs12};
use crate::issue;
use crate::issue::ca::Issuer;
use crate::keys::keyfile::{read_private_key, Fields};
use crate::keys::pair::KeyPair;
use crate::recipe::files::{package, Bundle, File, Leaf};
use crate::recipe::params::{check_days, check_prefix, Params, Validated};
use crate::role::Role;
use crate::x509::csr::{self, Request};
use crate::x509::name::keytool_name;
use crate::x509::read;
use crate::x509::san::{parse_all, SubjectAltName};
use der::Encode;
use rand_core::CryptoRng;
use zeroize::Zeroizing;

/// A certificate request and its key: `P.csr` and `P.key.pem` (PKCS#8 under the key password).
pub struct RequestBundle {
    pub files: Vec<File>,
    pub csr_pem: String,
    pub subject: String,
    pub prefix: String,
}

/// A request for `key` with the subject and names of `params` (the key stays with whoever made it).
pub fn request<R: CryptoRng + ?Sized>(rng: &mut R, params: &Params, checked: &Validated, key: &KeyPair) -> Result<RequestBundle> {
    let der = csr::create(key, checked.dn.to_name()?, &checked.san)?;
    let csr_pem = pem::encode(pem::CERTIFICATE_REQUEST, &der)?;
    let pkcs8 = key.to_pkcs8_der()?;
    let encrypted = pkcs12::encrypted_private_key_info(rng, Scheme::Modern, &params.key_password, pkcs8.as_bytes(), &mut Derived::default())?;
    let key_pem = Zeroizing::new(pem::encode(pem::ENCRYPTED_PRIVATE_KEY, &encrypted)?);
    let p = &params.prefix;
    Ok(RequestBundle {
        files: vec![
            File { name: format!("{p}.csr"), mime_type: "application/pkcs10", bytes: Zeroizing::new(csr_pem.clone().into_bytes()), secret: false },
            File { name: format!("{p}.key.pem"), mime_type: "application/x-pem-file", bytes: Zeroizing::new(key_pem.as_bytes().to_vec()), secret: true },
        ],
        csr_pem,
        subject: checked.dn.to_rfc4514(),
        prefix: params.prefix.clone(),
    })
}

/// What `sign` needs besides the request and the CA.
pub struct SignOptions {
    pub role: Role,
    pub days: u32,
    pub san: Vec<String>,
    pub prefix: Option<String>,
}

impl SignOptions {
    /// The cheap checks, made before the CA's key is opened: the role, days, prefix and the
    /// extra names (parsed once, here).
    pub fn check(&self) -> Result<Vec<SubjectAltName>> {
        if self.role == Role::Ca {
            return Err(Error::invalid(Field::Role, "a request is signed for a server or a client, not for a CA"));
        }
        check_days(self.days)?;
        if let Some(prefix) = &self.prefix {
            check_prefix(prefix)?;
        }
        parse_all(&self.san)
    }

    fn prefix(&self) -> &str {
        self.prefix.as_deref().unwrap_or(self.role.default_prefix())
    }
}

/// The CA's answer to a request: `P.pub.pem`, `P.cer` and `P.chain.pem` (leaf, then CA);
/// `extra` are the names [`SignOptions::check`] parsed.
pub fn sign<R: CryptoRng + ?Sized>(rng: &mut R, request: &Request, ca: &Issuer, options: &SignOptions, extra: &[SubjectAltName], now: u64) -> Result<Bundle> {
    let signed = issue::sign::sign(rng, request, ca, options.role, options.days, extra, now)?;
    let san = read::parse(&signed.der, Field::IssuedCertificate).map(|c| read::names(&c))?;
    let leaf = Leaf::signed(signed, Some(ca), keytool_name(&request.subject), san, now);
    let cert_pem = pem::encode(pem::CERTIFICATE, &leaf.der)?;
    let chain_pem = leaf.chain_pem(&cert_pem)?;
    let p = options.prefix();
    let file = |name: String, mime_type, bytes: Vec<u8>| File { name, mime_type, bytes: Zeroizing::new(bytes), secret: false };
    let files = vec![
        file(format!("{p}.pub.pem"), "application/x-pem-file", cert_pem.clone().into_bytes()),
        file(format!("{p}.cer"), "application/pkix-cert", leaf.der.clone()),
        file(format!("{p}.chain.pem"), "application/x-pem-file", chain_pem.into_bytes()),
    ];
    Ok(leaf.into_bundle(options.role, files, cert_pem, options.role.default_alias(), p))
}

/// A key made earlier and the certificate a CA returned (with the certificates above it).
#[derive(Default)]
pub struct AssembleSource {
    pub key: Zeroizing<Vec<u8>>,
    pub certificate: Vec<u8>,
    pub chain: Option<Vec<u8>>,
}

/// The role's usual files around a key made earlier and its certificate: `params.key_password`
/// opens the key (when it is encrypted) and protects it in the files written.
pub fn assemble<R: CryptoRng + ?Sized>(rng: &mut R, params: &Params, source: &AssembleSource, now: u64) -> Result<Bundle> {
    if params.role == Role::Ca {
        return Err(Error::invalid(Field::Role, "assemble makes a server's or a client's files; a device CA is made with role \"ca\""));
    }
    let checked = params.validate()?;
    let fields = Fields { key: Field::Key, password: Field::KeyPassword };
    let key = read_private_key(&source.key, Some(&params.key_password), fields)?;
    let der = read::one_certificate(&source.certificate, Field::IssuedCertificate)?;
    let cert = read::parse(&der, Field::IssuedCertificate)?;
    let spki = cert.tbs_certificate().subject_public_key_info().to_der().map_err(|e| Error::internal("encoding a public key", e))?;
    if !key.matches(&spki)? {
        return Err(Error::invalid(Field::IssuedCertificate, "is not the key's: its public key differs (give the certificate the CA issued for this key's request)"));
    }
    let mut chain = match &source.chain {
        Some(bytes) if !bytes.iter().all(u8::is_ascii_whitespace) => read::certificates(bytes, Field::Chain)?,
        _ => Vec::new(),
    };
    // A "full chain" file starts with the leaf itself: the chain is what is above it.
    if chain.first() == Some(&der) {
        chain.remove(0);
    }
    if let Some(first) = chain.first() {
        let issuer = read::parse(first, Field::Chain)?;
        if issuer.tbs_certificate().subject() != cert.tbs_certificate().issuer() {
            return Err(Error::invalid(Field::Chain, format!(
                "starts with {}, which did not issue the certificate (its issuer is {}); give the issuing CA first",
                keytool_name(issuer.tbs_certificate().subject()),
                keytool_name(cert.tbs_certificate().issuer()),
            )));
        }
    }
    let leaf = Leaf::from_der(der, chain)?;
    package(rng, params, &checked, &key, leaf, now, &mut Derived::default())
}
