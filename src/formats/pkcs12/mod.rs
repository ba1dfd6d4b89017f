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
        #[cfg(feature = "full")]
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

mod read;
pub use read::*;
