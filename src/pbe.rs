//! Password-based encryption for the `.pem` key, the `.p12` and its MAC.
//!
//! - PBES2 (RFC 8018): PBKDF2-HMAC-SHA256 + AES-256-CBC, what OpenSSL 3 writes by default;
//! - the PKCS#12 PBE `pbeWithSHAAnd3-KeyTripleDES-CBC` and the PKCS#12 key derivation
//!   (RFC 7292 Appendix B), for the legacy `.p12` form and for every PKCS#12 MAC.
//! Written here rather than taken from `pkcs5`, whose PBES2 feature also links scrypt and
//! AES-GCM into the wasm module.

use crate::error::{Error, Result};
use aes::Aes256;
use cbc::cipher::{block_padding::Pkcs7, BlockModeEncrypt, KeyIvInit};
use der::asn1::{Any, ObjectIdentifier, OctetString};
use der::{Decode, Encode, Sequence};
use des::TdesEde3;
use rand_core::CryptoRng;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

pub const PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");
const PBKDF2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.12");
const HMAC_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.2.9");
const AES256_CBC: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.42");
const PBE_SHA1_3DES: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.3");
pub const SHA1_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
pub const SHA256_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");

/// PBKDF2 rounds: Java's PKCS12 default (10000); OpenSSL 3 writes 2048.
pub const PBKDF2_ITERATIONS: u32 = 10_000;
/// PKCS#12 KDF rounds for the legacy form and the MAC, as OpenSSL 3 writes them.
pub const PKCS12_ITERATIONS: u32 = 2048;

#[derive(Sequence)]
struct Pbkdf2Params {
    salt: OctetString,
    iteration_count: u32,
    prf: AlgorithmIdentifierOwned,
}

#[derive(Sequence)]
struct Pbes2Params {
    key_derivation_func: AlgorithmIdentifierOwned,
    encryption_scheme: AlgorithmIdentifierOwned,
}

#[derive(Sequence)]
struct Pkcs12PbeParams {
    salt: OctetString,
    iterations: u32,
}

/// Which encryption a `.p12` (and its MAC) uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// PBES2 AES-256-CBC / PBKDF2-HMAC-SHA256, MAC HMAC-SHA256 (OpenSSL 3's default).
    Modern,
    /// pbeWithSHAAnd3-KeyTripleDES-CBC, MAC HMAC-SHA1: for Java 8 and Windows imports.
    Legacy,
}

/// Ciphertext and the AlgorithmIdentifier that says how to decrypt it.
pub struct Encrypted {
    pub algorithm: AlgorithmIdentifierOwned,
    pub data: Vec<u8>,
}

fn enc_err(e: der::Error) -> Error {
    Error::internal("encoding encryption parameters", e)
}

fn any<T: Encode>(value: &T) -> Result<Any> {
    Any::from_der(&value.to_der().map_err(enc_err)?).map_err(enc_err)
}

fn octets(bytes: &[u8]) -> Result<OctetString> {
    OctetString::new(bytes).map_err(enc_err)
}

/// Encrypt with `scheme`; `password` as the person typed it.
pub fn encrypt<R: CryptoRng + ?Sized>(
    rng: &mut R,
    scheme: Scheme,
    password: &str,
    plaintext: &[u8],
) -> Result<Encrypted> {
    match scheme {
        Scheme::Modern => pbes2_encrypt(rng, password, plaintext),
        Scheme::Legacy => pkcs12_3des_encrypt(rng, password, plaintext),
    }
}

pub fn pbes2_encrypt<R: CryptoRng + ?Sized>(rng: &mut R, password: &str, plaintext: &[u8]) -> Result<Encrypted> {
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    rng.fill_bytes(&mut salt);
    rng.fill_bytes(&mut iv);
    // PBKDF2 takes the password's UTF-8 bytes (OpenSSL and Java agree).
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), &salt, PBKDF2_ITERATIONS, &mut *key);
    let data = cbc::Encryptor::<Aes256>::new_from_slices(key.as_ref(), &iv)
        .map_err(|e| Error::internal("AES key", e))?
        .encrypt_padded_vec::<Pkcs7>(plaintext);
    let kdf = Pbkdf2Params {
        salt: octets(&salt)?,
        iteration_count: PBKDF2_ITERATIONS,
        prf: AlgorithmIdentifierOwned { oid: HMAC_SHA256, parameters: Some(Any::null()) },
    };
    let params = Pbes2Params {
        key_derivation_func: AlgorithmIdentifierOwned { oid: PBKDF2, parameters: Some(any(&kdf)?) },
        encryption_scheme: AlgorithmIdentifierOwned { oid: AES256_CBC, parameters: Some(any(&octets(&iv)?)?) },
    };
    Ok(Encrypted { algorithm: AlgorithmIdentifierOwned { oid: PBES2, parameters: Some(any(&params)?) }, data })
}

pub fn pkcs12_3des_encrypt<R: CryptoRng + ?Sized>(rng: &mut R, password: &str, plaintext: &[u8]) -> Result<Encrypted> {
    let mut salt = [0u8; 8];
    rng.fill_bytes(&mut salt);
    let pw = bmp_password(password);
    let key = pkcs12_kdf::<Sha1>(&pw, &salt, 1, PKCS12_ITERATIONS, 24);
    let iv = pkcs12_kdf::<Sha1>(&pw, &salt, 2, PKCS12_ITERATIONS, 8);
    let data = cbc::Encryptor::<TdesEde3>::new_from_slices(&key, &iv)
        .map_err(|e| Error::internal("3DES key", e))?
        .encrypt_padded_vec::<Pkcs7>(plaintext);
    let params = Pkcs12PbeParams { salt: octets(&salt)?, iterations: PKCS12_ITERATIONS };
    Ok(Encrypted { algorithm: AlgorithmIdentifierOwned { oid: PBE_SHA1_3DES, parameters: Some(any(&params)?) }, data })
}

/// The password as PKCS#12 wants it: BMPString (UTF-16BE) with a two-byte NUL terminator.
pub fn bmp_password(password: &str) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(password.len() * 2 + 2));
    for unit in password.encode_utf16() {
        out.extend_from_slice(&unit.to_be_bytes());
    }
    out.extend_from_slice(&[0, 0]);
    out
}

/// RFC 7292 Appendix B.2: the PKCS#12 key derivation; `id` 1 = key, 2 = IV, 3 = MAC key.
pub fn pkcs12_kdf<D: Digest + Default>(
    password: &[u8],
    salt: &[u8],
    id: u8,
    iterations: u32,
    out_len: usize,
) -> Zeroizing<Vec<u8>> {
    // Both digests used here (SHA-1, SHA-256) have 64-byte blocks.
    const V: usize = 64;
    let u = <D as Digest>::output_size();
    let fill = |src: &[u8]| -> Vec<u8> {
        if src.is_empty() {
            return Vec::new();
        }
        let len = V * src.len().div_ceil(V);
        src.iter().copied().cycle().take(len).collect()
    };
    let d = [id; V];
    let mut i = Zeroizing::new([fill(salt), fill(password)].concat());
    let mut out = Zeroizing::new(Vec::with_capacity(out_len + u));
    while out.len() < out_len {
        let mut a = D::new().chain_update(d).chain_update(&*i).finalize();
        for _ in 1..iterations {
            a = D::digest(&a);
        }
        out.extend_from_slice(&a);
        if out.len() >= out_len {
            break;
        }
        // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block I_j of I.
        let b: Vec<u8> = a.iter().copied().cycle().take(V).collect();
        for block in i.chunks_mut(V) {
            let mut carry = 1u16;
            for k in (0..V).rev() {
                let sum = block[k] as u16 + b[k] as u16 + carry;
                block[k] = sum as u8;
                carry = sum >> 8;
            }
        }
    }
    out.truncate(out_len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn pkcs12_kdf_known_answers() {
        // Test vectors used by OpenSSL's and BouncyCastle's test suites for RFC 7292 B.2:
        // password "smeg", salt 0A58CF64530D823F, 1 iteration, SHA-1.
        let pw = bmp_password("smeg");
        let salt = [0x0a, 0x58, 0xcf, 0x64, 0x53, 0x0d, 0x82, 0x3f];
        assert_eq!(hex(&pkcs12_kdf::<Sha1>(&pw, &salt, 1, 1, 24)), "8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3");
        assert_eq!(hex(&pkcs12_kdf::<Sha1>(&pw, &salt, 2, 1, 8)), "79993dfe048d3b76");
    }

    #[test]
    fn bmp_password_is_utf16be_with_terminator() {
        assert_eq!(&*bmp_password("ab"), &[0, b'a', 0, b'b', 0, 0]);
    }
}
