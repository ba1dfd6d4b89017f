//! The files of one role, as the keytool recipe produces them (prefix P):
//!
//! | file | what | role |
//! |---|---|---|
//! | `P.jks` | true JKS: key entry (key password), client: + trusted server certificate | both |
//! | `P.p12` | PKCS#12: the same entries, all under the store password | both |
//! | `P.pub.pem` | the certificate, canonical PEM (what Device Credentials takes) | both |
//! | `P.cer` | the certificate, DER | both |
//! | `P.nopass.pem` | unencrypted PKCS#8 key + certificate (mosquitto, paho, ...) | both |
//! | `P.pem` | PKCS#8 key encrypted with the key password (PBES2) + certificate | client |
//!
//! Signed by a device CA (`Params::issuer`), a server or client also gets `P.chain.pem` (the
//! leaf, then the CA); its `.nopass.pem` and `.pem` hold the key, the leaf and the CA, and its
//! JKS and PKCS#12 key entries the chain [leaf, CA]. `.pub.pem` and `.cer` stay the leaf alone:
//! Device Credentials and the credentials id are the leaf's.
//!
//! A device CA (role `ca`) gets `P.pub.pem`, `P.cer`, `P.key.pem` (its key alone, PKCS#8
//! encrypted with the key password) and `P.p12` (key and certificate under the store password):
//! no JKS and no unencrypted key, since nothing but the signing of device certificates uses it.

use crate::error::{Error, Field, Result};
use crate::formats::jks::{self, Entry};
use crate::formats::pbe::{self, Derived, Scheme};
use crate::formats::{hex, pem, pkcs12};
use crate::issue::ca::Issuer;
#[cfg(feature = "full")]
use crate::issue::sign::check_not_ca_name;
use crate::keys::pair::KeyPair;
use crate::keys::primes::key_from_primes;
use crate::recipe::params::{Params, Validated};
use crate::role::Role;
use crate::tempus::credentials_id;
use crate::x509::cert::{self, CertificateSpec, SignedCertificate};
use crate::x509::name::keytool_name;
use crate::x509::read;
use crate::x509::time::unix;
use rand_core::CryptoRng;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// One output file. `bytes` is wiped when dropped (it may hold a private key).
pub struct File {
    pub name: String,
    pub mime_type: &'static str,
    pub bytes: Zeroizing<Vec<u8>>,
    /// True when the file holds the private key (encrypted or not).
    pub secret: bool,
}

/// Everything generated for one role.
pub struct Bundle {
    pub role: Role,
    pub files: Vec<File>,
    pub certificate_der: Vec<u8>,
    pub certificate_pem: String,
    /// The platform's credentials id of the certificate.
    pub credentials_id: String,
    /// keytool's way of printing the subject: `CN=..., OU=..., ...`.
    pub subject: String,
    pub serial: String,
    pub sha256_fingerprint: String,
    /// Unix seconds.
    pub not_before: u64,
    pub not_after: u64,
    /// Whether notAfter was cut to the issuing CA's (the days asked for reached past it).
    pub validity_cut: bool,
    /// The issuing CA's subject (keytool's order), when a CA signed.
    pub issuer: Option<String>,
    /// The names the certificate holds: `DNS:name`, `IP:address`.
    pub san: Vec<String>,
    pub alias: String,
    pub prefix: String,
}

/// The files for `params` around an existing key (key generation is the slow part and may run
/// elsewhere, e.g. in parallel workers).
pub fn build<R: CryptoRng + ?Sized>(
    rng: &mut R,
    params: &Params,
    checked: &Validated,
    key: &KeyPair,
    now: u64,
) -> Result<Bundle> {
    build_with_keys(rng, params, checked, key, now, &mut Derived::default())
}

/// The PBKDF2 keys `build` needs (the `.p12` key and certificate bags'; a client's `.pem` key's,
/// a CA's `.key.pem`'s), to be made ahead, in parallel with the key search, and handed to
/// `build_with_keys`. The legacy form's keys are left to `build`.
pub fn derive_keys<R: CryptoRng + ?Sized>(rng: &mut R, params: &Params) -> Derived {
    let mut passwords = Vec::new();
    if !params.legacy_pkcs12 {
        passwords.extend([params.store_password.as_str(); 2]); // the key bag, the certificate bag
    }
    if params.role != Role::Server {
        passwords.push(params.key_password.as_str()); // the client's .pem, the CA's .key.pem
    }
    Derived::derive(rng, &passwords, pbe::PBKDF2_ITERATIONS)
}

/// `build`, taking what PBKDF2 keys it can from `derived` (from `derive_keys` with the same
/// params) and deriving the others.
pub fn build_with_keys<R: CryptoRng + ?Sized>(
    rng: &mut R,
    params: &Params,
    checked: &Validated,
    key: &KeyPair,
    now: u64,
    derived: &mut Derived,
) -> Result<Bundle> {
    let leaf = certificate(rng, params, checked, key, now)?;
    package(rng, params, checked, key, leaf, now, derived)
}

/// The certificate `params` ask for `key`: self-signed, or issued by the checked device CA.
pub fn certificate<R: CryptoRng + ?Sized>(rng: &mut R, params: &Params, checked: &Validated, key: &KeyPair, now: u64) -> Result<Leaf> {
    // path_len is validated to at most params::MAX_PATH_LEN, so it fits a u8.
    let spec = CertificateSpec { role: params.role, subject: checked.dn.to_name()?, san: &checked.san, now, days: params.days, path_len: params.path_len.map(|n| n as u8) };
    let ca = checked.issuer.as_deref();
    let signed = match ca {
        #[cfg(feature = "full")]
        Some(ca) => {
            check_not_ca_name(&spec.subject, &ca.subject, Field::Cn)?;
            ca.issue(rng, &key.public_key_der()?, &spec)?
        }
        _ => cert::self_signed(rng, key, &spec)?,
    };
    // The names are the spec's: the bundle need not parse the certificate it just made.
    let san = checked.san.iter().map(ToString::to_string).collect();
    Ok(Leaf::signed(signed, ca, checked.dn.to_rfc4514(), san, now))
}

/// A certificate for the key, with what the files and the bundle say of it.
pub struct Leaf {
    pub der: Vec<u8>,
    /// The certificates above it, issuing CA first (empty: self-signed).
    pub chain: Vec<Vec<u8>>,
    pub subject: String,
    pub issuer: Option<String>,
    pub serial: Vec<u8>,
    /// Its subjectAltName entries (`DNS:name`, `IP:address`).
    pub san: Vec<String>,
    pub not_before: u64,
    pub not_after: u64,
    pub validity_cut: bool,
}

impl Leaf {
    /// A certificate made here now, for `subject` (keytool's order), by `ca` or self-signed.
    pub fn signed(signed: SignedCertificate, ca: Option<&Issuer>, subject: String, san: Vec<String>, now: u64) -> Leaf {
        Leaf {
            san,
            der: signed.der,
            chain: ca.map(|ca| vec![ca.certificate_der.clone()]).unwrap_or_default(),
            subject,
            issuer: ca.map(|ca| keytool_name(&ca.subject)),
            serial: signed.serial,
            not_before: now,
            not_after: signed.not_after,
            validity_cut: signed.cut_to_ca,
        }
    }

    /// The leaf's PEM (given), then the CAs' above it: what a TLS client presents and chain
    /// provisioning reads.
    pub fn chain_pem(&self, cert_pem: &str) -> Result<String> {
        let mut out = cert_pem.to_string();
        for ca in &self.chain {
            out.push_str(&pem::encode(pem::CERTIFICATE, ca)?);
        }
        Ok(out)
    }

    /// The bundle of `files` made around this certificate.
    pub fn into_bundle(self, role: Role, files: Vec<File>, cert_pem: String, alias: &str, prefix: &str) -> Bundle {
        Bundle {
            san: self.san,
            role,
            files,
            credentials_id: credentials_id(&self.der),
            subject: self.subject,
            serial: hex::colon(&self.serial),
            sha256_fingerprint: hex::colon(&Sha256::digest(&self.der)),
            not_before: self.not_before,
            not_after: self.not_after,
            validity_cut: self.validity_cut,
            issuer: self.issuer,
            alias: alias.to_string(),
            prefix: prefix.to_string(),
            certificate_der: self.der,
            certificate_pem: cert_pem,
        }
    }

    /// A certificate made elsewhere (a CA's answer to a request), read for the bundle.
    pub fn from_der(der: Vec<u8>, chain: Vec<Vec<u8>>) -> Result<Leaf> {
        let cert = read::parse(&der, Field::IssuedCertificate)?;
        let tbs = cert.tbs_certificate();
        let self_signed = tbs.issuer() == tbs.subject();
        Ok(Leaf {
            subject: keytool_name(tbs.subject()),
            issuer: (!self_signed).then(|| keytool_name(tbs.issuer())),
            serial: read::serial(tbs.serial_number().as_bytes()),
            san: read::names(&cert),
            not_before: unix(&tbs.validity().not_before),
            not_after: unix(&tbs.validity().not_after),
            validity_cut: false,
            der,
            chain,
        })
    }
}

/// The role's files around `key` and its certificate `leaf` (with the chain above it).
pub fn package<R: CryptoRng + ?Sized>(
    rng: &mut R,
    params: &Params,
    checked: &Validated,
    key: &KeyPair,
    leaf: Leaf,
    now: u64,
    derived: &mut Derived,
) -> Result<Bundle> {
    let cert_der = &leaf.der;
    let cert_pem = pem::encode(pem::CERTIFICATE, cert_der)?;
    let chain_pem = leaf.chain_pem(&cert_pem)?;
    let chain: Vec<&[u8]> = std::iter::once(cert_der.as_slice()).chain(leaf.chain.iter().map(Vec::as_slice)).collect();
    let pkcs8 = key.to_pkcs8_der()?;
    let pkcs8 = pkcs8.as_bytes();
    let p = &params.prefix;
    let store_pw = params.store_password.as_str();
    #[cfg(feature = "full")]
    let scheme = if params.legacy_pkcs12 { Scheme::Legacy } else { Scheme::Modern };
    #[cfg(not(feature = "full"))]
    let scheme = Scheme::Modern; // Params::check refuses legacy_pkcs12 in the lean module
    let file = |name: String, mime_type, bytes: Vec<u8>, secret| File {
        name,
        mime_type,
        bytes: Zeroizing::new(bytes),
        secret,
    };
    // The key under the key password (PBES2): a client's .pem, a CA's .key.pem.
    let encrypted_key = |rng: &mut R, derived: &mut Derived| -> Result<Zeroizing<Vec<u8>>> {
        Ok(Zeroizing::new(pkcs12::encrypted_private_key_info(rng, Scheme::Modern, &params.key_password, pkcs8, derived)?))
    };
    let certificate_files = || {
        [
            file(format!("{p}.pub.pem"), "application/x-pem-file", cert_pem.clone().into_bytes(), false),
            file(format!("{p}.cer"), "application/pkix-cert", cert_der.to_vec(), false),
        ]
    };

    let files = if params.role == Role::Ca {
        let key_pem = Zeroizing::new(pem::encode(pem::ENCRYPTED_PRIVATE_KEY, &encrypted_key(rng, derived)?)?);
        let p12 = pkcs12::to_pkcs12(rng, scheme, store_pw, &params.alias, pkcs8, &chain, &[], derived)?;
        let mut files = Vec::from(certificate_files());
        files.push(file(format!("{p}.key.pem"), "application/x-pem-file", key_pem.as_bytes().to_vec(), true));
        files.push(file(format!("{p}.p12"), "application/x-pkcs12", p12, true));
        files
    } else {
        let mut trusted: Vec<(&str, &[u8])> = Vec::new();
        if let Some(server) = &checked.server_certificate {
            trusted.push((params.server_alias(), server));
        }
        let mut entries = vec![Entry::PrivateKey {
            alias: &params.alias,
            key_pkcs8: pkcs8,
            key_password: &params.key_password,
            chain: &chain,
        }];
        entries.extend(trusted.iter().map(|(alias, der)| Entry::TrustedCert { alias, certificate: der }));
        let jks = jks::to_jks(rng, store_pw, now * 1000, &entries)?;
        let p12 = pkcs12::to_pkcs12(rng, scheme, store_pw, &params.alias, pkcs8, &chain, &trusted, derived)?;
        let nopass = key_and_certificate(pem::PRIVATE_KEY, pkcs8, &chain_pem)?;
        let [pub_pem, cer] = certificate_files();
        let mut files = vec![
            file(format!("{p}.jks"), "application/x-java-keystore", jks, true),
            file(format!("{p}.p12"), "application/x-pkcs12", p12, true),
            pub_pem,
            cer,
            file(format!("{p}.nopass.pem"), "application/x-pem-file", nopass.as_bytes().to_vec(), true),
        ];
        if params.role == Role::Client {
            let pem_key = key_and_certificate(pem::ENCRYPTED_PRIVATE_KEY, &encrypted_key(rng, derived)?, &chain_pem)?;
            files.push(file(format!("{p}.pem"), "application/x-pem-file", pem_key.as_bytes().to_vec(), true));
        }
        if !leaf.chain.is_empty() {
            files.push(file(format!("{p}.chain.pem"), "application/x-pem-file", chain_pem.clone().into_bytes(), false));
        }
        files
    };

    Ok(leaf.into_bundle(params.role, files, cert_pem, &params.alias, &params.prefix))
}

/// A key's PEM followed by the certificates', in one buffer sized up front: growing the key's
/// string would free an unwiped copy of it.
fn key_and_certificate(label: &'static str, key_der: &[u8], cert_pem: &str) -> Result<Zeroizing<String>> {
    let key_pem = Zeroizing::new(pem::encode(label, key_der)?);
    let mut out = Zeroizing::new(String::with_capacity(key_pem.len() + cert_pem.len()));
    out.push_str(&key_pem);
    out.push_str(cert_pem);
    Ok(out)
}

/// Build the files around a key made from two primes found elsewhere (by [`crate::api::generate_prime`]
/// in parallel workers), given as big-endian bytes; `Ok(None)` means the pair must be drawn again.
///
/// Those primes passed the full FIPS 186-5 tests where they were made; here they are checked
/// again for what a transport mistake would break: their size, a base-2 strong probable-prime
/// test (any damaged or mixed-up number fails it), and FIPS 186-5's conditions on the pair.
pub fn build_from_primes<R: CryptoRng + ?Sized>(
    rng: &mut R,
    params: &Params,
    p: &[u8],
    q: &[u8],
    now: u64,
    derived: &mut Derived,
) -> Result<Option<Bundle>> {
    let checked = params.validate()?;
    let half = params.key_size / 2;
    let prime = |bytes: &[u8]| -> Result<crypto_bigint::BoxedUint> {
        let not_prime = || Error::Internal(format!("a prime given for an RSA-{} key is not a {half}-bit prime", params.key_size));
        let n = crypto_bigint::BoxedUint::from_be_slice(bytes, half).map_err(|_| not_prime())?;
        let probable = tempus_certgen_primes::montgomery::Modulus::new(bytes).is_some_and(|mut m| m.is_strong_probable_prime_base_2());
        if n.bit_width_vartime() != half || !probable {
            return Err(not_prime());
        }
        Ok(n)
    };
    let (p, q) = (prime(p)?, prime(q)?);
    match key_from_primes(p, q, params.key_size)? {
        Some(key) => build_with_keys(rng, params, &checked, &KeyPair::Rsa(key), now, derived).map(Some),
        None => Ok(None),
    }
}

/// Validate, generate the key and build the files, with `rng` for everything.
pub fn generate_with_rng<R: CryptoRng + ?Sized>(rng: &mut R, params: &Params, now: u64) -> Result<Bundle> {
    let checked = params.validate()?;
    let key = KeyPair::generate(rng, params.key_type, params.key_size)?;
    build(rng, params, &checked, &key, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha8Rng;
    use rand_core::SeedableRng;

    #[test]
    fn key_and_certificate_is_one_buffer_never_grown() {
        let out = key_and_certificate(pem::PRIVATE_KEY, &[7; 300], "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n").unwrap();
        assert!(out.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        assert!(out.ends_with("-----END CERTIFICATE-----\n"));
        assert_eq!(out.capacity(), out.len(), "sized up front, so no unwiped copy was freed");
    }

    #[test]
    fn primes_from_elsewhere_make_the_same_files() {
        let mut rng = ChaCha8Rng::from_seed([4; 32]);
        let p = crate::keys::primes::generate_prime(&mut rng, 1024).unwrap().to_be_bytes();
        let q = crate::keys::primes::generate_prime(&mut rng, 1024).unwrap().to_be_bytes();
        let params = Params::client();
        let b = build_from_primes(&mut rng, &params, &p, &q, 1_795_000_000, &mut Derived::default()).unwrap().unwrap();
        assert_eq!(b.files.len(), 6);
        // The same prime twice is refused (|p - q| = 0), a composite is an error.
        assert!(build_from_primes(&mut rng, &params, &p, &p, 1_795_000_000, &mut Derived::default()).unwrap().is_none());
        let mut composite = p.to_vec();
        *composite.last_mut().unwrap() ^= 2;
        assert!(build_from_primes(&mut rng, &params, &composite, &q, 1_795_000_000, &mut Derived::default()).is_err());
        assert!(build_from_primes(&mut rng, &params, &p[1..], &q, 1_795_000_000, &mut Derived::default()).is_err());
    }

    #[test]
    fn derive_keys_makes_what_the_files_use() {
        let mut rng = ChaCha8Rng::from_seed([5; 32]);
        let p = crate::keys::primes::generate_prime(&mut rng, 1024).unwrap().to_be_bytes();
        let q = crate::keys::primes::generate_prime(&mut rng, 1024).unwrap().to_be_bytes();
        let mut server = Params::server();
        let mut legacy_client = Params::client();
        legacy_client.legacy_pkcs12 = true;
        // The .p12 key bag's (modern form only) and the client .pem key's.
        for (params, made) in [(Params::client(), 3), (server.clone(), 2), (legacy_client, 1)] {
            let mut derived = derive_keys(&mut rng, &params);
            assert_eq!(derived.len(), made);
            build_from_primes(&mut rng, &params, &p, &q, 1_795_000_000, &mut derived).unwrap().unwrap();
            assert!(derived.is_empty(), "{made} keys made, all used");
        }
        // Keys made for other passwords are left alone.
        let mut derived = derive_keys(&mut rng, &Params::client());
        server.store_password = "another-one".to_string().into();
        build_from_primes(&mut rng, &server, &p, &q, 1_795_000_000, &mut derived).unwrap().unwrap();
        assert_eq!(derived.len(), 3);
    }
}
