//! Password-based encryption for the `.pem` key, the `.p12` and its MAC.
//!
//! - PBES2 (RFC 8018): PBKDF2-HMAC-SHA256 + AES-256-CBC, what OpenSSL 3 writes by default;
//! - the PKCS#12 PBE `pbeWithSHAAnd3-KeyTripleDES-CBC` and the PKCS#12 key derivation
//!   (RFC 7292 Appendix B), for the legacy `.p12` form and for every PKCS#12 MAC.
//! Written here rather than taken from `pkcs5`, whose PBES2 feature also links scrypt and
//! AES-GCM into the wasm module.
//!
//! Decryption (a device CA's key made here or by other tools) reads what OpenSSL, Java and
//! easy-rsa write: PBES2 with PBKDF2 (HMAC-SHA-1, -224, -256, -384, -512) and AES-128/192/256-CBC
//! or DES-EDE3-CBC, and the PKCS#12 3DES scheme; anything else is named in the error.

use crate::error::{Error, Result};
use crate::oid;
pub use crate::formats::derived::Derived;
use crate::formats::derived::pbkdf2_key;
use aes::Aes256;
use cbc::cipher::{block_padding::Pkcs7, BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use der::asn1::{Any, ObjectIdentifier, OctetString};
use der::{Decode, Encode, Sequence};
use des::TdesEde3;
use rand_core::CryptoRng;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use zeroize::{Zeroize, Zeroizing};

/// The most rounds one key derivation of a file read may ask for: OpenSSL and Java write 2,048
/// to 10,000, OWASP's 2023 figure for PBKDF2-SHA256 is 600,000. A file asking for more is
/// refused before any derivation runs, rather than left to hang the page.
pub const MAX_ITERATIONS: u32 = 1_000_000;
/// The most rounds one file read may ask for altogether (its MAC and every encrypted part).
pub const MAX_FILE_ITERATIONS: u64 = 2_000_000;

/// Rounds for every password-derived key this tool writes (the `.pem` key, the `.p12`'s key
/// and certificate bags and its MAC, the legacy form's 3DES): Java's PKCS12 default. A guess
/// at any of them costs the same.
pub const PBKDF2_ITERATIONS: u32 = 10_000;
/// The PKCS#12 KDF's rounds (the MAC, the legacy form): the same cost.
pub const PKCS12_ITERATIONS: u32 = PBKDF2_ITERATIONS;

#[derive(Sequence)]
struct Pbkdf2Params {
    salt: OctetString,
    iteration_count: u32,
    prf: AlgorithmIdentifierOwned,
}

/// PBKDF2-params as read (RFC 8018 A.2): keyLength optional, prf defaults to HMAC-SHA-1.
#[derive(Sequence)]
struct Pbkdf2ParamsIn {
    salt: OctetString,
    iteration_count: u32,
    #[asn1(optional = "true")]
    key_length: Option<u32>,
    #[asn1(optional = "true")]
    prf: Option<AlgorithmIdentifierOwned>,
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
    /// pbeWithSHAAnd3-KeyTripleDES-CBC, MAC HMAC-SHA1: for Java 8 and Windows imports (full module only).
    #[cfg(feature = "full")]
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
/// `iterations` is the PBKDF2 count of the modern scheme (the legacy one has its own), whose
/// key may come from `derived`.
pub fn encrypt<R: CryptoRng + ?Sized>(
    rng: &mut R,
    scheme: Scheme,
    password: &str,
    plaintext: &[u8],
    iterations: u32,
    derived: &mut Derived,
) -> Result<Encrypted> {
    match scheme {
        Scheme::Modern => pbes2_encrypt(rng, password, plaintext, iterations, derived),
        #[cfg(feature = "full")]
        Scheme::Legacy => pkcs12_3des_encrypt(rng, password, plaintext),
    }
}

/// PBES2 with PBKDF2-HMAC-SHA256 (`iterations` rounds) and AES-256-CBC; the key comes from
/// `derived` when it holds one for this password and count.
pub fn pbes2_encrypt<R: CryptoRng + ?Sized>(
    rng: &mut R,
    password: &str,
    plaintext: &[u8],
    iterations: u32,
    derived: &mut Derived,
) -> Result<Encrypted> {
    let (salt, key) = match derived.take(password, iterations) {
        Some(made) => made,
        None => pbkdf2_key(rng, password.as_bytes(), iterations),
    };
    let mut iv = [0u8; 16];
    rng.fill_bytes(&mut iv);
    let data = cbc::Encryptor::<Aes256>::new_from_slices(key.as_ref(), &iv)
        .map_err(|e| Error::internal("AES key", e))?
        .encrypt_padded_vec::<Pkcs7>(plaintext);
    let kdf = Pbkdf2Params {
        salt: octets(&salt)?,
        iteration_count: iterations,
        prf: AlgorithmIdentifierOwned { oid: oid::HMAC_SHA256, parameters: Some(Any::null()) },
    };
    let params = Pbes2Params {
        key_derivation_func: AlgorithmIdentifierOwned { oid: oid::PBKDF2, parameters: Some(any(&kdf)?) },
        encryption_scheme: AlgorithmIdentifierOwned { oid: oid::AES256_CBC, parameters: Some(any(&octets(&iv)?)?) },
    };
    Ok(Encrypted { algorithm: AlgorithmIdentifierOwned { oid: oid::PBES2, parameters: Some(any(&params)?) }, data })
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
    Ok(Encrypted { algorithm: AlgorithmIdentifierOwned { oid: oid::PBE_SHA1_3DES, parameters: Some(any(&params)?) }, data })
}

/// Why something could not be decrypted.
#[derive(Debug, PartialEq, Eq)]
pub enum DecryptError {
    /// The padding (or what the caller then reads) is wrong: almost surely the password.
    WrongPassword,
    /// An algorithm or parameter this tool does not read, named for the person.
    Unsupported(String),
}

fn algorithm_name(oid: &ObjectIdentifier) -> String {
    match *oid {
        oid::PBE_SHA1_RC2_40 => "pbeWithSHAAnd40BitRC2-CBC".into(),
        oid::PBE_SHA1_RC2_128 => "pbeWithSHAAnd128BitRC2-CBC".into(),
        oid::PBE_SHA1_RC4_128 | oid::PBE_SHA1_RC4_40 => "pbeWithSHAAndRC4".into(),
        oid::PBE_MD5_DES | oid::PBE_SHA1_DES => "PBES1 with DES (pbeWithMD5AndDES / pbeWithSHA1AndDES)".into(),
        oid::SCRYPT => "scrypt".into(),
        other => format!("the algorithm {other}"),
    }
}

/// Decrypt what [`encrypt`] (or OpenSSL, Java, easy-rsa) wrote under `algorithm`.
pub fn decrypt(algorithm: &AlgorithmIdentifierOwned, password: &str, data: &[u8]) -> core::result::Result<Zeroizing<Vec<u8>>, DecryptError> {
    let bad = |what: &str| DecryptError::Unsupported(format!("damaged encryption parameters ({what})"));
    let params = |what| algorithm.parameters.as_ref().and_then(|p| p.to_der().ok()).ok_or_else(|| bad(what));
    if algorithm.oid == oid::PBE_SHA1_3DES {
        let p = Pkcs12PbeParams::from_der(&params("PKCS#12 PBE")?).map_err(|_| bad("PKCS#12 PBE"))?;
        check_iterations(p.iterations)?;
        let pw = bmp_password(password);
        let key = pkcs12_kdf::<Sha1>(&pw, p.salt.as_bytes(), 1, p.iterations, 24);
        let iv = pkcs12_kdf::<Sha1>(&pw, p.salt.as_bytes(), 2, p.iterations, 8);
        return Cipher::Tdes.decrypt(&key, &iv, data);
    }
    if algorithm.oid != oid::PBES2 {
        return Err(DecryptError::Unsupported(format!(
            "{}, a legacy encryption this tool does not read; convert it with OpenSSL 3 (openssl pkcs8 -topk8 -v2 aes-256-cbc, \
             or openssl pkcs12 -export without -legacy)",
            algorithm_name(&algorithm.oid)
        )));
    }
    let p = Pbes2Params::from_der(&params("PBES2")?).map_err(|_| bad("PBES2"))?;
    if p.key_derivation_func.oid != oid::PBKDF2 {
        return Err(DecryptError::Unsupported(format!("PBES2 with {}, which this tool does not read; use PBKDF2", algorithm_name(&p.key_derivation_func.oid))));
    }
    let kdf_der = p.key_derivation_func.parameters.as_ref().and_then(|a| a.to_der().ok()).ok_or_else(|| bad("PBKDF2"))?;
    let kdf = Pbkdf2ParamsIn::from_der(&kdf_der).map_err(|_| bad("PBKDF2"))?;
    check_iterations(kdf.iteration_count)?;
    let iv_der = p.encryption_scheme.parameters.as_ref().and_then(|a| a.to_der().ok()).ok_or_else(|| bad("IV"))?;
    let iv = OctetString::from_der(&iv_der).map_err(|_| bad("IV"))?;
    let cipher = match p.encryption_scheme.oid {
        c if c == oid::AES128_CBC => Cipher::Aes128,
        c if c == oid::AES192_CBC => Cipher::Aes192,
        c if c == oid::AES256_CBC => Cipher::Aes256,
        c if c == oid::DES_EDE3_CBC => Cipher::Tdes,
        other => return Err(DecryptError::Unsupported(format!("PBES2 with the cipher {other}; this tool reads AES-CBC and DES-EDE3-CBC"))),
    };
    let key_len = cipher.key_len();
    if kdf.key_length.is_some_and(|n| n as usize != key_len) {
        return Err(bad("key length"));
    }
    let mut key = Zeroizing::new(vec![0u8; key_len]);
    let (pw, salt, n) = (password.as_bytes(), kdf.salt.as_bytes(), kdf.iteration_count);
    match kdf.prf.as_ref().map(|a| a.oid).unwrap_or(oid::HMAC_SHA1) {
        prf if prf == oid::HMAC_SHA1 => pbkdf2::pbkdf2_hmac::<Sha1>(pw, salt, n, &mut key),
        prf if prf == oid::HMAC_SHA224 => pbkdf2::pbkdf2_hmac::<sha2::Sha224>(pw, salt, n, &mut key),
        prf if prf == oid::HMAC_SHA256 => pbkdf2::pbkdf2_hmac::<Sha256>(pw, salt, n, &mut key),
        prf if prf == oid::HMAC_SHA384 => pbkdf2::pbkdf2_hmac::<sha2::Sha384>(pw, salt, n, &mut key),
        prf if prf == oid::HMAC_SHA512 => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(pw, salt, n, &mut key),
        other => return Err(DecryptError::Unsupported(format!("PBKDF2 with the function {other}; this tool reads HMAC-SHA-1 and HMAC-SHA-2"))),
    }
    cipher.decrypt(&key, iv.as_bytes(), data)
}

/// The CBC ciphers keys are found encrypted with (PBES2, and OpenSSL's PEM encryption).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cipher {
    Aes128,
    Aes192,
    Aes256,
    Tdes,
}

impl Cipher {
    pub fn key_len(self) -> usize {
        match self {
            Cipher::Aes128 => 16,
            Cipher::Aes192 | Cipher::Tdes => 24,
            Cipher::Aes256 => 32,
        }
    }

    pub fn decrypt(self, key: &[u8], iv: &[u8], data: &[u8]) -> core::result::Result<Zeroizing<Vec<u8>>, DecryptError> {
        match self {
            Cipher::Aes128 => cbc_decrypt::<aes::Aes128>(key, iv, data),
            Cipher::Aes192 => cbc_decrypt::<aes::Aes192>(key, iv, data),
            Cipher::Aes256 => cbc_decrypt::<Aes256>(key, iv, data),
            Cipher::Tdes => cbc_decrypt::<TdesEde3>(key, iv, data),
        }
    }
}

/// Refuses a count of 0, or more than [`MAX_ITERATIONS`], naming it.
pub fn check_iterations(n: u32) -> core::result::Result<(), DecryptError> {
    if n == 0 || n > MAX_ITERATIONS {
        return Err(DecryptError::Unsupported(format!(
            "{n} key derivation rounds, more than the {MAX_ITERATIONS} this tool reads for one key (OpenSSL and Java write 2,048 to 10,000)"
        )));
    }
    Ok(())
}

/// How many rounds decrypting under `algorithm` takes (before any is run): PBES2's PBKDF2
/// count, or the PKCS#12 PBE's; 0 for an algorithm this tool does not read (it is refused
/// without running anything).
pub fn iterations(algorithm: &AlgorithmIdentifierOwned) -> u32 {
    let params = || algorithm.parameters.as_ref().and_then(|p| p.to_der().ok());
    if algorithm.oid == oid::PBE_SHA1_3DES {
        return params().and_then(|d| Pkcs12PbeParams::from_der(&d).ok()).map_or(0, |p| p.iterations);
    }
    if algorithm.oid != oid::PBES2 {
        return 0;
    }
    let kdf = params()
        .and_then(|d| Pbes2Params::from_der(&d).ok())
        .and_then(|p| p.key_derivation_func.parameters.as_ref().and_then(|a| a.to_der().ok()))
        .and_then(|d| Pbkdf2ParamsIn::from_der(&d).ok());
    kdf.map_or(0, |k| k.iteration_count)
}

/// CBC with PKCS#7 padding; a bad padding means a wrong key, so a wrong password.
fn cbc_decrypt<C>(key: &[u8], iv: &[u8], data: &[u8]) -> core::result::Result<Zeroizing<Vec<u8>>, DecryptError>
where
    C: cbc::cipher::BlockCipherDecrypt + cbc::cipher::KeyInit,
{
    let dec = cbc::Decryptor::<C>::new_from_slices(key, iv).map_err(|_| DecryptError::Unsupported("an IV of the wrong length".into()))?;
    // Decrypted in place in a wiped buffer.
    let mut buf = Zeroizing::new(data.to_vec());
    let len = dec.decrypt_padded::<Pkcs7>(&mut buf).map_err(|_| DecryptError::WrongPassword)?.len();
    buf.truncate(len);
    Ok(buf)
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
    // I = S || P, each repeated to a multiple of V bytes; built in place in one wiped buffer
    // (the password's copies must not outlive the call).
    let filled = |src: &[u8]| if src.is_empty() { 0 } else { V * src.len().div_ceil(V) };
    let mut i = Zeroizing::new(Vec::with_capacity(filled(salt) + filled(password)));
    for src in [salt, password] {
        i.extend(src.iter().copied().cycle().take(filled(src)));
    }
    let d = [id; V];
    let mut out = Zeroizing::new(Vec::with_capacity(out_len + u));
    while out.len() < out_len {
        let mut a = D::new().chain_update(d).chain_update(&*i).finalize();
        for _ in 1..iterations {
            a = D::digest(&a);
        }
        out.extend_from_slice(&a);
        let done = out.len() >= out_len;
        // I_j = (I_j + B + 1) mod 2^(8v) for every v-byte block I_j of I.
        let mut b = Zeroizing::new([0u8; V]);
        for (k, byte) in a.iter().copied().cycle().take(V).enumerate() {
            b[k] = byte;
        }
        a.as_mut_slice().zeroize();
        if done {
            break;
        }
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
    use crate::formats::hex::lower as hex;

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
    fn keys_made_ahead_are_used_once_for_their_own_password_and_count() {
        use rand_chacha::ChaCha8Rng;
        use rand_core::SeedableRng;
        let mut rng = ChaCha8Rng::from_seed([7; 32]);
        let made = Derived::derive(&mut rng, &["store-pw", "key-pw"], 1000);
        // The bytes that cross between workers give the same pool back; foreign bytes none.
        let bytes = made.to_bytes();
        let mut pool = Derived::from_bytes(&bytes).unwrap();
        assert_eq!(pool.len(), 2);
        assert!(Derived::from_bytes(&bytes[..bytes.len() - 1]).is_none());
        assert!(Derived::from_bytes(&[0; 10]).is_none());
        assert!(Derived::from_bytes(&[]).unwrap().is_empty());
        // Another count or password finds nothing; the right one takes the key, once.
        assert!(pool.take("key-pw", 2048).is_none());
        assert!(pool.take("other", 1000).is_none());
        let (salt, key) = pool.take("key-pw", 1000).unwrap();
        let mut expected = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(b"key-pw", &salt, 1000, &mut expected);
        assert_eq!(*key, expected);
        assert!(pool.take("key-pw", 1000).is_none());
        assert_eq!(pool.len(), 1);
    }

    #[test]
    fn pbes2_with_a_key_made_ahead_decrypts_with_the_password() {
        use cbc::cipher::BlockModeDecrypt;
        use rand_chacha::ChaCha8Rng;
        use rand_core::SeedableRng;
        let mut rng = ChaCha8Rng::from_seed([8; 32]);
        let mut pool = Derived::derive(&mut rng, &["secret-pw"], 1000);
        let made_salt = pool.entries[0].salt;
        let enc = pbes2_encrypt(&mut rng, "secret-pw", b"plain text", 1000, &mut pool).unwrap();
        assert!(pool.is_empty());
        // The parameters name the salt the key was made with; the password alone decrypts.
        let params = Pbes2Params::from_der(&enc.algorithm.parameters.unwrap().to_der().unwrap()).unwrap();
        let kdf = Pbkdf2Params::from_der(&params.key_derivation_func.parameters.unwrap().to_der().unwrap()).unwrap();
        assert_eq!(kdf.salt.as_bytes(), made_salt);
        assert_eq!(kdf.iteration_count, 1000);
        let iv = OctetString::from_der(&params.encryption_scheme.parameters.unwrap().to_der().unwrap()).unwrap();
        let mut key = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(b"secret-pw", kdf.salt.as_bytes(), 1000, &mut key);
        let plain = cbc::Decryptor::<Aes256>::new_from_slices(&key, iv.as_bytes())
            .unwrap()
            .decrypt_padded_vec::<Pkcs7>(&enc.data)
            .unwrap();
        assert_eq!(plain, b"plain text");
    }

    #[test]
    fn bmp_password_is_utf16be_with_terminator() {
        assert_eq!(&*bmp_password("ab"), &[0, b'a', 0, b'b', 0, 0]);
    }
}
