//! A true JKS key store (magic 0xFEEDFEED, version 2), as Java 7/8 clients need it; modern
//! keytool writes PKCS#12 even into a file named `.jks`. Layout and key protector per
//! ../shared/docs/jks-format.md. Not ASN.1 except for the protected key, so written by hand.
//! SHA-1 here is the format's, not a choice.

use crate::error::{Error, Result};
use crate::oid;
use der::asn1::{Any, OctetString};
use der::{Encode, Sequence};
use rand_core::CryptoRng;
use sha1::{Digest, Sha1};
use spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

const MAGIC: u32 = 0xFEED_FEED;
const VERSION: u32 = 2;
const PRIVATE_KEY_ENTRY: u32 = 1;
const TRUSTED_CERT_ENTRY: u32 = 2;
const WHITENER: &[u8] = b"Mighty Aphrodite";

#[derive(Sequence)]
struct EncryptedPrivateKeyInfo {
    algorithm: AlgorithmIdentifierOwned,
    data: OctetString,
}

/// One entry of a key store.
pub enum Entry<'a> {
    PrivateKey { alias: &'a str, key_pkcs8: &'a [u8], key_password: &'a str, chain: &'a [&'a [u8]] },
    TrustedCert { alias: &'a str, certificate: &'a [u8] },
}

/// Java's `char[]` password as bytes: UTF-16BE, two bytes per char.
fn utf16be(password: &str) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(password.encode_utf16().flat_map(u16::to_be_bytes).collect())
}

/// Java's writeUTF: u16 length + modified UTF-8 (plain UTF-8 without NUL, which aliases never hold).
fn put_utf(out: &mut Vec<u8>, s: &str) -> Result<()> {
    let len = u16::try_from(s.len()).map_err(|_| Error::Internal(format!("\"{s}\" is too long for JKS")))?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(s.as_bytes());
    Ok(())
}

fn put_len_bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u32).to_be_bytes());
    out.extend_from_slice(b);
}

/// The JKS key protector: XOR with a SHA-1 keystream, then an integrity check.
pub fn protect_key(salt: &[u8; 20], password: &str, key_pkcs8: &[u8]) -> Result<Vec<u8>> {
    let p = utf16be(password);
    let mut r = Vec::with_capacity(20 + key_pkcs8.len() + 20);
    r.extend_from_slice(salt);
    let mut d: [u8; 20] = *salt;
    for chunk in key_pkcs8.chunks(20) {
        d = Sha1::new().chain_update(&*p).chain_update(d).finalize().into();
        r.extend(chunk.iter().zip(d.iter()).map(|(a, b)| a ^ b));
    }
    r.extend_from_slice(&Sha1::new().chain_update(&*p).chain_update(key_pkcs8).finalize());
    EncryptedPrivateKeyInfo {
        algorithm: AlgorithmIdentifierOwned { oid: oid::JKS_KEY_PROTECTOR, parameters: Some(Any::null()) },
        data: OctetString::new(r).map_err(|e| Error::internal("encoding the JKS key", e))?,
    }
    .to_der()
    .map_err(|e| Error::internal("encoding the JKS key", e))
}

/// The key store's bytes. `created` is the entries' creation time in milliseconds.
pub fn to_jks<R: CryptoRng + ?Sized>(rng: &mut R, store_password: &str, created: u64, entries: &[Entry<'_>]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice(&MAGIC.to_be_bytes());
    out.extend_from_slice(&VERSION.to_be_bytes());
    out.extend_from_slice(&(entries.len() as u32).to_be_bytes());
    for entry in entries {
        match entry {
            Entry::PrivateKey { alias, key_pkcs8, key_password, chain } => {
                out.extend_from_slice(&PRIVATE_KEY_ENTRY.to_be_bytes());
                // Java stores aliases in lower case and looks them up that way.
                put_utf(&mut out, &alias.to_lowercase())?;
                out.extend_from_slice(&created.to_be_bytes());
                let mut salt = [0u8; 20];
                rng.fill_bytes(&mut salt);
                put_len_bytes(&mut out, &protect_key(&salt, key_password, key_pkcs8)?);
                out.extend_from_slice(&(chain.len() as u32).to_be_bytes());
                for cert in chain.iter() {
                    put_utf(&mut out, "X.509")?;
                    put_len_bytes(&mut out, cert);
                }
            }
            Entry::TrustedCert { alias, certificate } => {
                out.extend_from_slice(&TRUSTED_CERT_ENTRY.to_be_bytes());
                put_utf(&mut out, &alias.to_lowercase())?;
                out.extend_from_slice(&created.to_be_bytes());
                put_utf(&mut out, "X.509")?;
                put_len_bytes(&mut out, certificate);
            }
        }
    }
    let digest = Sha1::new()
        .chain_update(&*utf16be(store_password))
        .chain_update(WHITENER)
        .chain_update(&out)
        .finalize();
    out.extend_from_slice(&digest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Decode;

    const VECTOR: &[u8] = include_bytes!("../../tests/vectors/keytool-mqttserver.jks");

    fn u32_at(b: &[u8], i: usize) -> u32 {
        u32::from_be_bytes(b[i..i + 4].try_into().unwrap())
    }

    /// Undo the key protector, as keytool does, checking its integrity hash.
    fn recover(protected: &[u8], password: &str) -> Option<Vec<u8>> {
        let info = EncryptedPrivateKeyInfo::from_der(protected).ok()?;
        assert_eq!(info.algorithm.oid, oid::JKS_KEY_PROTECTOR);
        let r = info.data.as_bytes();
        let (salt, rest) = r.split_at(20);
        let (enc, check) = rest.split_at(rest.len() - 20);
        let p = utf16be(password);
        let mut d: [u8; 20] = salt.try_into().unwrap();
        let mut plain = Vec::new();
        for chunk in enc.chunks(20) {
            d = Sha1::new().chain_update(&*p).chain_update(d).finalize().into();
            plain.extend(chunk.iter().zip(d.iter()).map(|(a, b)| a ^ b));
        }
        let ok = Sha1::new().chain_update(&*p).chain_update(&plain).finalize().as_slice() == check;
        ok.then_some(plain)
    }

    #[test]
    fn keytool_vector_layout_integrity_and_key_protector() {
        let v = VECTOR;
        assert_eq!((u32_at(v, 0), u32_at(v, 4), u32_at(v, 8)), (MAGIC, VERSION, 1));
        assert_eq!(u32_at(v, 12), PRIVATE_KEY_ENTRY);
        let alias_len = u16::from_be_bytes([v[16], v[17]]) as usize;
        assert_eq!(&v[18..18 + alias_len], b"serveralias");
        let at = 18 + alias_len + 8;
        let key_len = u32_at(v, at) as usize;
        let protected = &v[at + 4..at + 4 + key_len];
        // Our integrity hash over keytool's bytes matches keytool's.
        let body = &v[..v.len() - 20];
        let digest = Sha1::new()
            .chain_update(&*utf16be("server_ks_password"))
            .chain_update(WHITENER)
            .chain_update(body)
            .finalize();
        assert_eq!(digest.as_slice(), &v[v.len() - 20..]);
        // The key comes back with the key password only, and re-protecting it with keytool's
        // salt gives keytool's bytes exactly.
        assert!(recover(protected, "server_ks_password").is_none());
        let key = recover(protected, "server_key_password").expect("key password opens the key");
        let info = EncryptedPrivateKeyInfo::from_der(protected).unwrap();
        let salt: [u8; 20] = info.data.as_bytes()[..20].try_into().unwrap();
        assert_eq!(protect_key(&salt, "server_key_password", &key).unwrap(), protected);
    }

    #[test]
    fn our_store_has_the_documented_layout() {
        let mut rng = rand_chacha::ChaCha8Rng::from_seed([9; 32]);
        use rand_core::SeedableRng;
        let key = b"not really a key but bytes of some length, 47 b";
        let cert = b"cert";
        let jks = to_jks(
            &mut rng,
            "storepass",
            1_700_000_000_000,
            &[
                Entry::PrivateKey { alias: "ClientAlias", key_pkcs8: key, key_password: "keypass", chain: &[cert] },
                Entry::TrustedCert { alias: "serveralias", certificate: cert },
            ],
        )
        .unwrap();
        assert_eq!((u32_at(&jks, 0), u32_at(&jks, 4), u32_at(&jks, 8)), (MAGIC, VERSION, 2));
        assert_eq!(&jks[18..29], b"clientalias");
        let at = 29 + 8;
        let len = u32_at(&jks, at) as usize;
        assert_eq!(recover(&jks[at + 4..at + 4 + len], "keypass").unwrap(), key);
        let digest = Sha1::new()
            .chain_update(&*utf16be("storepass"))
            .chain_update(WHITENER)
            .chain_update(&jks[..jks.len() - 20])
            .finalize();
        assert_eq!(digest.as_slice(), &jks[jks.len() - 20..]);
    }
}
