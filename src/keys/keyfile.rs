//! Reading a private key file a person supplies (a device CA's key, or later a key made for a
//! certificate request): this tool's `.key.pem` and `.p12`, and what other tools write.
//!
//! | form | labels / shape | encrypted |
//! |---|---|---|
//! | PKCS#8 | `PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, or DER | PBES2 / PKCS#12 3DES (`pbe::decrypt`) |
//! | PKCS#1 | `RSA PRIVATE KEY`, or DER | OpenSSL's PEM headers (`Proc-Type`, `DEK-Info`) |
//! | SEC1 | `EC PRIVATE KEY`, or DER | OpenSSL's PEM headers |
//! | PKCS#12 | DER `.p12` / `.pfx` | its password |
//!
//! Keys are RSA (2048 bits or more) or EC P-256; anything else is refused with an error that
//! names what was found, so a person knows what to convert.

use crate::error::{Error, Field, Result};
use crate::formats::pem::{self, Block, Input};
use crate::formats::pkcs12::{self, ReadError};
use crate::formats::{hex, pbe};
use crate::keys::pair::{KeyPair, MIN_RSA_BITS};
use crate::oid;
use der::asn1::ObjectIdentifier;
use der::Decode;
use zeroize::Zeroizing;

/// Which fields the messages name: the key file's and its password's.
#[derive(Clone, Copy)]
pub struct Fields {
    pub key: Field,
    pub password: Field,
}

/// A private key from `input` (PEM text, DER, or a `.p12`), opened with `password` when it is
/// encrypted.
pub fn read_private_key(input: &[u8], password: Option<&str>, fields: Fields) -> Result<KeyPair> {
    let bad = |reason: String| Error::invalid(fields.key, reason);
    let input = match pem::read(input, fields.key, "a private key file", Error::invalid)? {
        Input::Pem(blocks) => return read_pem(&blocks, password, fields),
        Input::Other(bytes) => bytes,
    };
    if pkcs12::is_pkcs12(input) {
        let password = password.ok_or_else(|| needs_password(fields, "the PKCS#12 file"))?;
        let keys = pkcs12::read_private_keys(input, password).map_err(|e| read_error(e, fields, "the PKCS#12 file"))?;
        if keys.len() > 1 {
            return Err(bad(format!("the PKCS#12 file holds {} private keys; export the CA's alone", keys.len())));
        }
        return from_pkcs8(&keys[0], fields);
    }
    // DER: PKCS#8, encrypted PKCS#8, PKCS#1, SEC1; their shapes do not overlap.
    if pkcs8::PrivateKeyInfoRef::from_der(input).is_ok() {
        return from_pkcs8(input, fields);
    }
    if pkcs12::is_encrypted_private_key_info(input) {
        return encrypted_pkcs8(input, password, fields);
    }
    if pkcs1::RsaPrivateKeyRef::from_der(input).is_ok() {
        return from_pkcs1(input, fields);
    }
    if sec1::EcPrivateKey::from_der(input).is_ok() {
        return from_sec1(input, fields);
    }
    if x509_cert::Certificate::from_der(input).is_ok() {
        return Err(bad("holds a certificate, not a private key".into()));
    }
    Err(bad("is not a private key this tool reads: give a PEM key (PKCS#8, PKCS#1 RSA or SEC1 EC, encrypted or not), its DER, or a PKCS#12 (.p12) file".into()))
}

fn needs_password(fields: Fields, what: &str) -> Error {
    Error::invalid(fields.password, format!("{what} is encrypted: give its password"))
}

fn read_error(e: ReadError, fields: Fields, what: &str) -> Error {
    match e {
        ReadError::WrongPassword => Error::WrongPassword { field: fields.password, what: what.into() },
        ReadError::Malformed(why) => Error::invalid(fields.key, format!("{what} is damaged: {why}")),
        ReadError::Unsupported(why) => Error::invalid(fields.key, format!("{what} uses {why}")),
    }
}

fn encrypted_pkcs8(der: &[u8], password: Option<&str>, fields: Fields) -> Result<KeyPair> {
    const WHAT: &str = "the encrypted private key";
    let password = password.ok_or_else(|| needs_password(fields, WHAT))?;
    let plain = pkcs12::decrypt_private_key_info(der, password).map_err(|e| read_error(e, fields, WHAT))?;
    // A wrong password gets past the padding check once in ~256 tries; the DER then fails.
    if pkcs8::PrivateKeyInfoRef::from_der(&plain).is_err() {
        return Err(Error::WrongPassword { field: fields.password, what: WHAT.into() });
    }
    from_pkcs8(&plain, fields)
}

fn read_pem(blocks: &[Block<'_>], password: Option<&str>, fields: Fields) -> Result<KeyPair> {
    let bad = |reason: String| Error::invalid(fields.key, reason);
    let keys: Vec<&Block> = blocks.iter().filter(|b| b.label.contains("PRIVATE KEY")).collect();
    let block = match keys.as_slice() {
        [one] => *one,
        [] => {
            let found = blocks.iter().map(|b| b.label).collect::<Vec<_>>().join(", ");
            return Err(bad(if found == "CERTIFICATE" || found.starts_with("CERTIFICATE,") {
                "holds a certificate, not a private key".into()
            } else {
                format!("holds no private key (found: {found})")
            }));
        }
        many => return Err(bad(format!("holds {} private keys; give the CA's alone", many.len()))),
    };
    let encrypted = block.header("Proc-Type").is_some_and(|v| v.contains("ENCRYPTED"));
    match block.label {
        "PRIVATE KEY" => from_pkcs8(&block.der, fields),
        "ENCRYPTED PRIVATE KEY" => encrypted_pkcs8(&block.der, password, fields),
        "RSA PRIVATE KEY" | "EC PRIVATE KEY" => {
            let what = if block.label == "RSA PRIVATE KEY" { "the PKCS#1 RSA key" } else { "the SEC1 EC key" };
            let der = if encrypted {
                let password = password.ok_or_else(|| needs_password(fields, what))?;
                openssl_pem_decrypt(block, password).map_err(|e| read_error(e, fields, what))?
            } else {
                block.der.clone()
            };
            let key = if block.label == "RSA PRIVATE KEY" { from_pkcs1(&der, fields) } else { from_sec1(&der, fields) };
            // A wrong password that passed the padding check leaves DER that does not parse.
            match key {
                Err(Error::Invalid { .. }) if encrypted => Err(Error::WrongPassword { field: fields.password, what: what.into() }),
                other => other,
            }
        }
        "OPENSSH PRIVATE KEY" => Err(bad("is an OpenSSH private key; convert it with ssh-keygen -p -m PKCS8 -f FILE".into())),
        "DSA PRIVATE KEY" => Err(bad("is a DSA key; a device CA's key is RSA or EC P-256".into())),
        other => Err(bad(format!("holds a \"{other}\" block, which this tool does not read"))),
    }
}

/// OpenSSL's "traditional" PEM encryption: key = EVP_BytesToKey(MD5, password, IV[..8], 1).
fn openssl_pem_decrypt(block: &Block<'_>, password: &str) -> core::result::Result<Zeroizing<Vec<u8>>, ReadError> {
    use md5::{Digest, Md5};
    let dek = block
        .header("DEK-Info")
        .ok_or_else(|| ReadError::Malformed("an encrypted PEM block without a DEK-Info header".into()))?;
    let (cipher, iv_hex) = dek.split_once(',').ok_or_else(|| ReadError::Malformed("a damaged DEK-Info header".into()))?;
    let iv = hex::decode(iv_hex.trim()).ok_or_else(|| ReadError::Malformed("a damaged DEK-Info IV".into()))?;
    let cipher = match cipher.trim().to_ascii_uppercase().as_str() {
        "AES-128-CBC" => pbe::Cipher::Aes128,
        "AES-192-CBC" => pbe::Cipher::Aes192,
        "AES-256-CBC" => pbe::Cipher::Aes256,
        "DES-EDE3-CBC" => pbe::Cipher::Tdes,
        other => return Err(ReadError::Unsupported(format!("the PEM cipher {other}; convert the key with openssl pkcs8 -topk8 -v2 aes-256-cbc"))),
    };
    let key_len = cipher.key_len();
    if iv.len() < 8 {
        return Err(ReadError::Malformed("a DEK-Info IV that is too short".into()));
    }
    let mut key = Zeroizing::new(Vec::with_capacity(key_len + 16));
    let mut last: Option<Zeroizing<[u8; 16]>> = None;
    while key.len() < key_len {
        let mut h = Md5::new();
        if let Some(prev) = &last {
            h.update(prev.as_ref());
        }
        h.update(password.as_bytes());
        h.update(&iv[..8]);
        let digest = Zeroizing::new(<[u8; 16]>::from(h.finalize()));
        key.extend_from_slice(digest.as_ref());
        last = Some(digest);
    }
    key.truncate(key_len);
    cipher.decrypt(&key, &iv, &block.der).map_err(ReadError::from)
}

fn check_rsa(key: rsa::PrivateKey, fields: Fields) -> Result<KeyPair> {
    use rsa::traits::PublicKeyParts;
    let bits = key.n().bit_width_vartime();
    if bits < MIN_RSA_BITS {
        return Err(Error::invalid(fields.key, format!("is an RSA key of {bits} bits; at least {MIN_RSA_BITS} are needed to sign certificates")));
    }
    Ok(KeyPair::Rsa(key))
}

fn from_pkcs1(der: &[u8], fields: Fields) -> Result<KeyPair> {
    use pkcs1::DecodeRsaPrivateKey;
    let key = rsa::PrivateKey::from_pkcs1_der(der).map_err(|e| Error::invalid(fields.key, format!("holds a damaged RSA key ({e})")))?;
    check_rsa(key, fields)
}

/// An EC key read (the lean wasm module, which never reads key files, has no EC keys).
#[cfg(feature = "full")]
fn ec_key(key: p256::ecdsa::SigningKey, _: Fields) -> Result<KeyPair> {
    Ok(KeyPair::EcP256(key))
}

#[cfg(not(feature = "full"))]
fn ec_key(_: p256::ecdsa::SigningKey, fields: Fields) -> Result<KeyPair> {
    Err(Error::invalid(fields.key, crate::keys::pair::LEAN))
}

fn from_sec1(der: &[u8], fields: Fields) -> Result<KeyPair> {
    let parsed = sec1::EcPrivateKey::from_der(der).map_err(|e| Error::invalid(fields.key, format!("holds a damaged EC key ({e})")))?;
    if let Some(curve) = parsed.parameters.as_ref().and_then(|p| p.named_curve()) {
        check_curve(curve, fields)?;
    }
    let secret = p256::SecretKey::from_sec1_der(der).map_err(|e| Error::invalid(fields.key, format!("holds a damaged EC key ({e})")))?;
    ec_key(secret.into(), fields)
}

fn check_curve(curve: ObjectIdentifier, fields: Fields) -> Result<()> {
    if curve == oid::PRIME256V1 {
        return Ok(());
    }
    let name = match curve {
        oid::SECP384R1 => "P-384 (secp384r1)".to_string(),
        oid::SECP521R1 => "P-521 (secp521r1)".to_string(),
        oid::SECP256K1 => "secp256k1".to_string(),
        other => other.to_string(),
    };
    Err(Error::invalid(fields.key, format!("is an EC key on the curve {name}; this tool signs with EC P-256 (prime256v1) and RSA keys")))
}

/// A PKCS#8 PrivateKeyInfo: RSA or EC P-256.
fn from_pkcs8(der: &[u8], fields: Fields) -> Result<KeyPair> {
    use pkcs8::DecodePrivateKey;
    let bad = |e: &dyn core::fmt::Display| Error::invalid(fields.key, format!("holds a damaged PKCS#8 key ({e})"));
    let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|e| bad(&e))?;
    let algorithm = info.algorithm.oid;
    if algorithm == oid::RSA_ENCRYPTION {
        let key = rsa::PrivateKey::from_pkcs8_der(der).map_err(|e| bad(&e))?;
        return check_rsa(key, fields);
    }
    if algorithm == oid::EC_PUBLIC_KEY {
        let curve = info
            .algorithm
            .parameters
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
            .ok_or_else(|| Error::invalid(fields.key, "is an EC key without a named curve"))?;
        check_curve(curve, fields)?;
        let key = p256::ecdsa::SigningKey::from_pkcs8_der(der).map_err(|e| bad(&e))?;
        return ec_key(key, fields);
    }
    let name = match algorithm {
        oid::ED25519 => "an Ed25519 key".to_string(),
        oid::ED448 => "an Ed448 key".to_string(),
        oid::RSA_PSS => "an RSA-PSS key".to_string(),
        oid::DSA => "a DSA key".to_string(),
        other => format!("a key of the algorithm {other}"),
    };
    Err(Error::invalid(fields.key, format!("is {name}; this tool signs with RSA and EC P-256 keys")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::pair::KeyType;
    use base64ct::{Base64, Encoding};
    use rand_chacha::ChaCha8Rng;
    use rand_core::SeedableRng;

    const F: Fields = Fields { key: Field::CaKey, password: Field::CaPassword };

    #[test]
    fn plain_and_encrypted_pkcs8_round_trip() {
        let mut rng = ChaCha8Rng::from_seed([9; 32]);
        let key = KeyPair::generate(&mut rng, KeyType::EcP256, 0).unwrap();
        let der = key.to_pkcs8_der().unwrap();
        let pem = crate::formats::pem::encode(crate::formats::pem::PRIVATE_KEY, der.as_bytes()).unwrap();
        let back = read_private_key(pem.as_bytes(), None, F).unwrap();
        assert_eq!(back.public_key_der().unwrap(), key.public_key_der().unwrap());
        assert_eq!(read_private_key(der.as_bytes(), None, F).unwrap().public_key_der().unwrap(), key.public_key_der().unwrap());

        let enc = pkcs12::encrypted_private_key_info(&mut rng, pbe::Scheme::Modern, "ca-secret", der.as_bytes(), &mut Default::default()).unwrap();
        let pem = crate::formats::pem::encode(crate::formats::pem::ENCRYPTED_PRIVATE_KEY, &enc).unwrap();
        let back = read_private_key(pem.as_bytes(), Some("ca-secret"), F).unwrap();
        assert_eq!(back.public_key_der().unwrap(), key.public_key_der().unwrap());
        let e = read_private_key(pem.as_bytes(), Some("wrong-one"), F).err().unwrap();
        assert_eq!((e.code(), e.field()), ("wrong_password", Some(Field::CaPassword)));
        let e = read_private_key(pem.as_bytes(), None, F).err().unwrap();
        assert_eq!(e.field(), Some(Field::CaPassword));
        assert!(e.to_string().contains("encrypted"), "{e}");
    }

    #[test]
    fn other_things_are_named() {
        let cases: [(&str, &str); 5] = [
            ("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n", "certificate, not a private key"),
            ("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n", "OpenSSH"),
            ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "no private key"),
            ("not a key at all", "not a private key this tool reads"),
            ("-----BEGIN PRIVATE KEY-----\nAAAA\n", "no END line"),
        ];
        for (input, says) in cases {
            let e = read_private_key(input.as_bytes(), None, F).err().unwrap();
            assert_eq!(e.field(), Some(Field::CaKey), "{input}");
            assert!(e.to_string().contains(says), "{input}: {e}");
        }
        assert_eq!(read_private_key(b" \n", None, F).err().unwrap().code(), "empty");
    }

    #[test]
    fn openssl_traditional_encryption_is_read() {
        // EVP_BytesToKey(MD5) for AES-128: one MD5 over password and the IV's first 8 bytes.
        let mut rng = ChaCha8Rng::from_seed([10; 32]);
        let key = KeyPair::generate(&mut rng, KeyType::EcP256, 0).unwrap();
        let KeyPair::EcP256(k) = &key else { unreachable!() };
        let sec1 = p256::SecretKey::from(k).to_sec1_der().unwrap();
        let iv = [7u8; 16];
        let dk = {
            use md5::{Digest, Md5};
            let mut h = Md5::new();
            h.update(b"legacy-pw");
            h.update(&iv[..8]);
            <[u8; 16]>::from(h.finalize())
        };
        use cbc::cipher::{block_padding::Pkcs7, BlockModeEncrypt, KeyIvInit};
        let enc = cbc::Encryptor::<aes::Aes128>::new_from_slices(&dk, &iv).unwrap().encrypt_padded_vec::<Pkcs7>(&sec1);
        let body = Base64::encode_string(&enc);
        let iv_hex: String = iv.iter().map(|b| format!("{b:02X}")).collect();
        let pem = format!("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,{iv_hex}\n\n{body}\n-----END EC PRIVATE KEY-----\n");
        let back = read_private_key(pem.as_bytes(), Some("legacy-pw"), F).unwrap();
        assert_eq!(back.public_key_der().unwrap(), key.public_key_der().unwrap());
        assert_eq!(read_private_key(pem.as_bytes(), Some("other-pw"), F).err().unwrap().code(), "wrong_password");
    }
}
