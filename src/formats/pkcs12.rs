//! PKCS#12 (RFC 7292) key stores: one private key with its certificate, and for a client the
//! server certificate as a trusted entry.
//!
//! Modern form, as OpenSSL 3 writes it: key and certificates encrypted with PBES2 AES-256-CBC
//! (PBKDF2-HMAC-SHA256), MAC HMAC-SHA256. Legacy form: pbeWithSHAAnd3-KeyTripleDES-CBC and
//! HMAC-SHA1, which Java 8 and Windows imports need. PKCS#12 tools use one password, and keytool
//! ignores a separate key password for PKCS12, so the key inside is protected with the store
//! password (for `key_store_type: PKCS12` the platform's key password is the store password).
//! Trusted certificates carry Oracle's trusted-key-usage attribute, without which Java does not
//! load a certificate-only bag as a trustedCertEntry.

use crate::error::{Error, Result};
use crate::oid;
use crate::formats::pbe::{self, bmp_password, pkcs12_kdf, Scheme};
use der::asn1::{Any, BmpString, ObjectIdentifier, OctetString, SetOfVec};
use der::{Decode, Encode, Sequence};
use hmac::{Hmac, KeyInit, Mac};
use rand_core::CryptoRng;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;


#[derive(Sequence)]
struct ContentInfo {
    content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    content: Any,
}

#[derive(Sequence)]
struct EncryptedContentInfo {
    content_type: ObjectIdentifier,
    content_encryption_algorithm: AlgorithmIdentifierOwned,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT")]
    encrypted_content: OctetString,
}

#[derive(Sequence)]
struct EncryptedData {
    version: u8,
    encrypted_content_info: EncryptedContentInfo,
}

#[derive(Sequence)]
struct SafeBag {
    bag_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    bag_value: Any,
    bag_attributes: SetOfVec<Attribute>,
}

#[derive(Sequence)]
struct CertBag {
    cert_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    cert_value: OctetString,
}

#[derive(Sequence)]
struct EncryptedPrivateKeyInfo {
    encryption_algorithm: AlgorithmIdentifierOwned,
    encrypted_data: OctetString,
}

#[derive(Sequence)]
struct DigestInfo {
    digest_algorithm: AlgorithmIdentifierOwned,
    digest: OctetString,
}

#[derive(Sequence)]
struct MacData {
    mac: DigestInfo,
    mac_salt: OctetString,
    iterations: u32,
}

#[derive(Sequence)]
struct Pfx {
    version: u8,
    auth_safe: ContentInfo,
    mac_data: MacData,
}

/// The PKCS#12 MAC over `data`: HMAC with the key RFC 7292 B.2 derives (id 3) from the
/// BMPString password, as long as the digest's output.
fn pkcs12_mac<D>(bmp_password: &[u8], salt: &[u8], iterations: u32, data: &[u8]) -> Hmac<D>
where
    D: Digest + Default + hmac::EagerHash,
    Hmac<D>: KeyInit + Mac,
{
    let key = pkcs12_kdf::<D>(bmp_password, salt, 3, iterations, <D as Digest>::output_size());
    let mut m = <Hmac<D> as KeyInit>::new_from_slice(&key).expect("HMAC takes a key of any length");
    m.update(data);
    m
}

fn e(err: der::Error) -> Error {
    Error::internal("encoding PKCS#12", err)
}

/// A PKCS#8 EncryptedPrivateKeyInfo (the `.pem` key and the `.p12`'s key bag).
pub fn encrypted_private_key_info<R: CryptoRng + ?Sized>(
    rng: &mut R,
    scheme: Scheme,
    password: &str,
    pkcs8: &[u8],
    derived: &mut pbe::Derived,
) -> Result<Vec<u8>> {
    let enc = pbe::encrypt(rng, scheme, password, pkcs8, pbe::PBKDF2_ITERATIONS, derived)?;
    EncryptedPrivateKeyInfo {
        encryption_algorithm: enc.algorithm,
        encrypted_data: OctetString::new(enc.data).map_err(e)?,
    }
    .to_der()
    .map_err(e)
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute> {
    let mut values = SetOfVec::new();
    values.insert(value).map_err(e)?;
    Ok(Attribute { oid, values })
}

fn friendly_name(alias: &str) -> Result<Attribute> {
    attribute(oid::FRIENDLY_NAME, Any::encode_from(&BmpString::from_utf8(alias).map_err(e)?).map_err(e)?)
}

fn attributes(list: Vec<Attribute>) -> Result<SetOfVec<Attribute>> {
    let mut set = SetOfVec::new();
    for a in list {
        set.insert(a).map_err(e)?;
    }
    Ok(set)
}

fn cert_bag(der: &[u8], attrs: Vec<Attribute>) -> Result<SafeBag> {
    let bag = CertBag { cert_id: oid::X509_CERTIFICATE, cert_value: OctetString::new(der).map_err(e)? };
    Ok(SafeBag { bag_id: oid::CERT_BAG, bag_value: Any::encode_from(&bag).map_err(e)?, bag_attributes: attributes(attrs)? })
}

/// The `.p12`: `key_pkcs8` with its `chain` (the key's certificate first, then its CA's) under
/// `alias`, plus `trusted` (alias, DER) certificates, all under `password`.
#[allow(clippy::too_many_arguments)]
pub fn to_pkcs12<R: CryptoRng + ?Sized>(
    rng: &mut R,
    scheme: Scheme,
    password: &str,
    alias: &str,
    key_pkcs8: &[u8],
    chain: &[&[u8]],
    trusted: &[(&str, &[u8])],
    derived: &mut pbe::Derived,
) -> Result<Vec<u8>> {
    let (certificate, cas) = chain.split_first().ok_or_else(|| Error::Internal("a key entry without its certificate".into()))?;
    // localKeyId ties the key to its certificate: SHA-1 of the certificate, as OpenSSL does.
    let key_id = Any::encode_from(&OctetString::new(Sha1::digest(certificate).to_vec()).map_err(e)?).map_err(e)?;
    let key_attrs = || -> Result<Vec<Attribute>> {
        Ok(vec![friendly_name(alias)?, attribute(oid::LOCAL_KEY_ID, key_id.clone())?])
    };

    let mut cert_bags = vec![cert_bag(certificate, key_attrs()?)?];
    // The CAs above the key's certificate carry no attributes, as OpenSSL writes them; Java and
    // OpenSSL build the key entry's chain from them by issuer name.
    for ca in cas {
        cert_bags.push(cert_bag(ca, Vec::new())?);
    }
    for (trusted_alias, der) in trusted {
        let usage = attribute(oid::ORACLE_TRUSTED_KEY_USAGE, Any::encode_from(&oid::ANY_EXTENDED_KEY_USAGE).map_err(e)?)?;
        cert_bags.push(cert_bag(der, vec![friendly_name(trusted_alias)?, usage])?);
    }
    let certs_plain = cert_bags.to_der().map_err(e)?;
    let certs_enc = pbe::encrypt(rng, scheme, password, &certs_plain, pbe::PBKDF2_ITERATIONS, derived)?;
    let certs = ContentInfo {
        content_type: oid::ENCRYPTED_DATA,
        content: Any::encode_from(&EncryptedData {
            version: 0,
            encrypted_content_info: EncryptedContentInfo {
                content_type: oid::DATA,
                content_encryption_algorithm: certs_enc.algorithm,
                encrypted_content: OctetString::new(certs_enc.data).map_err(e)?,
            },
        })
        .map_err(e)?,
    };

    let shrouded = encrypted_private_key_info(rng, scheme, password, key_pkcs8, derived)?;
    let key_bag = SafeBag {
        bag_id: oid::SHROUDED_KEY_BAG,
        bag_value: Any::from_der(&shrouded).map_err(e)?,
        bag_attributes: attributes(key_attrs()?)?,
    };
    let keys = ContentInfo {
        content_type: oid::DATA,
        content: Any::encode_from(&OctetString::new(vec![key_bag].to_der().map_err(e)?).map_err(e)?).map_err(e)?,
    };

    let auth_safe = vec![certs, keys].to_der().map_err(e)?;
    let mut salt = [0u8; 16];
    rng.fill_bytes(&mut salt);
    let pw = bmp_password(password);
    let (digest_oid, mac) = match scheme {
        Scheme::Modern => (oid::SHA256, pkcs12_mac::<Sha256>(&pw, &salt, pbe::PKCS12_ITERATIONS, &auth_safe).finalize().into_bytes().to_vec()),
        Scheme::Legacy => (oid::SHA1, pkcs12_mac::<Sha1>(&pw, &salt, pbe::PKCS12_ITERATIONS, &auth_safe).finalize().into_bytes().to_vec()),
    };
    Pfx {
        version: 3,
        auth_safe: ContentInfo {
            content_type: oid::DATA,
            content: Any::encode_from(&OctetString::new(auth_safe).map_err(e)?).map_err(e)?,
        },
        mac_data: MacData {
            mac: DigestInfo {
                digest_algorithm: AlgorithmIdentifierOwned { oid: digest_oid, parameters: Some(Any::null()) },
                digest: OctetString::new(mac).map_err(e)?,
            },
            mac_salt: OctetString::new(salt.to_vec()).map_err(e)?,
            iterations: pbe::PKCS12_ITERATIONS,
        },
    }
    .to_der()
    .map_err(e)
}

// Reading a `.p12` (a device CA's, made here or by OpenSSL, Java, easy-rsa): only its private
// keys are wanted; the CA certificate is given on its own.


#[derive(Sequence)]
struct MacDataIn {
    mac: DigestInfo,
    mac_salt: OctetString,
    #[asn1(optional = "true")]
    iterations: Option<u32>,
}

#[derive(Sequence)]
struct PfxIn {
    version: u8,
    auth_safe: ContentInfo,
    #[asn1(optional = "true")]
    mac_data: Option<MacDataIn>,
}

#[derive(Sequence)]
struct EncryptedContentInfoIn {
    content_type: ObjectIdentifier,
    content_encryption_algorithm: AlgorithmIdentifierOwned,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    encrypted_content: Option<OctetString>,
}

#[derive(Sequence)]
struct EncryptedDataIn {
    version: u8,
    encrypted_content_info: EncryptedContentInfoIn,
}

#[derive(Sequence)]
struct SafeBagIn {
    bag_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    bag_value: Any,
    #[asn1(optional = "true")]
    bag_attributes: Option<SetOfVec<Attribute>>,
}

/// Why a `.p12`'s keys could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum ReadError {
    /// Not a PKCS#12 file, or a damaged one; says what was wrong.
    Malformed(String),
    WrongPassword,
    Unsupported(String),
}

impl From<pbe::DecryptError> for ReadError {
    fn from(e: pbe::DecryptError) -> Self {
        match e {
            pbe::DecryptError::WrongPassword => ReadError::WrongPassword,
            pbe::DecryptError::Unsupported(what) => ReadError::Unsupported(what),
        }
    }
}

/// Whether `bytes` look like a PKCS#12 file (a PFX of version 3), before any password.
pub fn is_pkcs12(bytes: &[u8]) -> bool {
    PfxIn::from_der(bytes).is_ok_and(|p| p.version == 3)
}

/// Every private key in the `.p12` (PKCS#8 DER, wiped when dropped), after checking its MAC
/// with `password`. Parts encrypted with an algorithm this tool does not read are skipped when
/// they hold no key (OpenSSL 1.x encrypts the certificates with RC2, which is not needed here).
pub fn read_private_keys(p12: &[u8], password: &str) -> core::result::Result<Vec<Zeroizing<Vec<u8>>>, ReadError> {
    let malformed = |what: &str| ReadError::Malformed(what.to_string());
    let pfx = PfxIn::from_der(p12).map_err(|_| malformed("not a PKCS#12 file"))?;
    if pfx.version != 3 || pfx.auth_safe.content_type != oid::DATA {
        return Err(malformed("a PKCS#12 file that is not password-integrity protected (public-key mode is not read)"));
    }
    let auth_safe = pfx.auth_safe.content.decode_as::<OctetString>().map_err(|_| malformed("damaged authSafe"))?;
    let auth_safe = auth_safe.as_bytes();
    let mac = pfx.mac_data.ok_or_else(|| malformed("a PKCS#12 file without a MAC"))?;
    let iterations = mac.iterations.unwrap_or(1);
    pbe::check_iterations(iterations)?;
    let contents = Vec::<ContentInfo>::from_der(auth_safe).map_err(|_| malformed("damaged authSafe"))?;
    // What the whole file asks for, counted before any derivation runs (parts inside an
    // encrypted part are counted as they are reached, against the same budget).
    let mut budget = Budget::new(iterations, &contents)?;
    let pw = bmp_password(password);
    let salt = mac.mac_salt.as_bytes();
    let expected = mac.mac.digest.as_bytes();
    // verify_slice compares in constant time.
    let ok = match mac.mac.digest_algorithm.oid {
        oid if oid == oid::SHA256 => pkcs12_mac::<Sha256>(&pw, salt, iterations, auth_safe).verify_slice(expected).is_ok(),
        oid if oid == oid::SHA1 => pkcs12_mac::<Sha1>(&pw, salt, iterations, auth_safe).verify_slice(expected).is_ok(),
        other => return Err(ReadError::Unsupported(format!("a MAC with the digest {other}; this tool reads SHA-1 and SHA-256 MACs (OpenSSL's and Java's)"))),
    };
    if !ok {
        return Err(ReadError::WrongPassword);
    }

    let mut keys = Vec::new();
    let mut skipped = None;
    for info in contents {
        let safe_contents: Zeroizing<Vec<u8>> = if info.content_type == oid::DATA {
            let octets = info.content.decode_as::<OctetString>().map_err(|_| malformed("damaged SafeContents"))?;
            Zeroizing::new(octets.as_bytes().to_vec())
        } else if info.content_type == oid::ENCRYPTED_DATA {
            let enc = info.content.decode_as::<EncryptedDataIn>().map_err(|_| malformed("damaged EncryptedData"))?;
            let eci = enc.encrypted_content_info;
            let Some(data) = eci.encrypted_content else { continue };
            match budget.spend(&eci.content_encryption_algorithm).and_then(|()| pbe::decrypt(&eci.content_encryption_algorithm, password, data.as_bytes())) {
                Ok(plain) => plain,
                Err(pbe::DecryptError::Unsupported(what)) => {
                    skipped = Some(what);
                    continue;
                }
                // The MAC matched, so the password is right: a padding error is damage.
                Err(pbe::DecryptError::WrongPassword) => return Err(malformed("a damaged encrypted part")),
            }
        } else {
            continue; // enveloped data (public-key privacy mode): not read
        };
        let bags = Vec::<SafeBagIn>::from_der(&safe_contents).map_err(|_| malformed("damaged SafeContents (or a wrong password)"))?;
        for bag in bags {
            if bag.bag_id == oid::KEY_BAG {
                keys.push(Zeroizing::new(bag.bag_value.to_der().map_err(|_| malformed("damaged key bag"))?));
            } else if bag.bag_id == oid::SHROUDED_KEY_BAG {
                let epki = bag.bag_value.decode_as::<EncryptedPrivateKeyInfo>().map_err(|_| malformed("damaged key bag"))?;
                budget.spend(&epki.encryption_algorithm)?;
                keys.push(pbe::decrypt(&epki.encryption_algorithm, password, epki.encrypted_data.as_bytes())?);
            }
        }
    }
    if keys.is_empty() {
        return Err(match skipped {
            Some(what) => ReadError::Unsupported(what),
            None => malformed("a PKCS#12 file without a private key"),
        });
    }
    Ok(keys)
}

/// The rounds a `.p12` may still ask for: [`pbe::MAX_FILE_ITERATIONS`] in all, each derivation at
/// most [`pbe::MAX_ITERATIONS`].
struct Budget {
    /// Rounds counted ahead (the MAC's, the encrypted parts' and the plain parts' key bags').
    counted: u64,
    /// Rounds run or about to run that were not counted ahead.
    extra: u64,
    /// Algorithms counted ahead, each spent once without counting it again.
    ahead: Vec<AlgorithmIdentifierOwned>,
}

impl Budget {
    fn new(mac: u32, contents: &[ContentInfo]) -> core::result::Result<Self, ReadError> {
        let mut ahead = Vec::new();
        for info in contents {
            if info.content_type == oid::ENCRYPTED_DATA {
                if let Ok(enc) = info.content.decode_as::<EncryptedDataIn>() {
                    ahead.push(enc.encrypted_content_info.content_encryption_algorithm);
                }
            } else if info.content_type == oid::DATA {
                let bags = info.content.decode_as::<OctetString>().ok().and_then(|o| Vec::<SafeBagIn>::from_der(o.as_bytes()).ok());
                for bag in bags.unwrap_or_default().iter().filter(|b| b.bag_id == oid::SHROUDED_KEY_BAG) {
                    if let Ok(epki) = bag.bag_value.decode_as::<EncryptedPrivateKeyInfo>() {
                        ahead.push(epki.encryption_algorithm);
                    }
                }
            }
        }
        let mut budget = Budget { counted: mac as u64, extra: 0, ahead: Vec::new() };
        for algorithm in &ahead {
            let n = pbe::iterations(algorithm);
            pbe::check_iterations(n.max(1))?;
            budget.counted += n as u64;
        }
        budget.ahead = ahead;
        budget.check()?;
        Ok(budget)
    }

    fn check(&self) -> core::result::Result<(), ReadError> {
        let total = self.counted + self.extra;
        if total > pbe::MAX_FILE_ITERATIONS {
            return Err(ReadError::Unsupported(format!(
                "{total} key derivation rounds in all, more than the {} this tool reads for one file",
                pbe::MAX_FILE_ITERATIONS
            )));
        }
        Ok(())
    }

    /// Before decrypting under `algorithm`: within budget, or refused.
    fn spend(&mut self, algorithm: &AlgorithmIdentifierOwned) -> core::result::Result<(), pbe::DecryptError> {
        if let Some(i) = self.ahead.iter().position(|a| a == algorithm) {
            self.ahead.swap_remove(i);
            return Ok(());
        }
        let n = pbe::iterations(algorithm);
        pbe::check_iterations(n.max(1))?;
        self.extra += n as u64;
        self.check().map_err(|e| match e {
            ReadError::Unsupported(why) => pbe::DecryptError::Unsupported(why),
            _ => pbe::DecryptError::Unsupported("too many key derivation rounds".into()),
        })
    }
}

/// Whether `der` has the shape of a PKCS#8 EncryptedPrivateKeyInfo.
pub fn is_encrypted_private_key_info(der: &[u8]) -> bool {
    EncryptedPrivateKeyInfo::from_der(der).is_ok()
}

/// A PKCS#8 EncryptedPrivateKeyInfo (an `ENCRYPTED PRIVATE KEY` PEM's DER) decrypted.
pub fn decrypt_private_key_info(der: &[u8], password: &str) -> core::result::Result<Zeroizing<Vec<u8>>, ReadError> {
    let epki = EncryptedPrivateKeyInfo::from_der(der).map_err(|_| ReadError::Malformed("a damaged ENCRYPTED PRIVATE KEY".into()))?;
    Ok(pbe::decrypt(&epki.encryption_algorithm, password, epki.encrypted_data.as_bytes())?)
}
