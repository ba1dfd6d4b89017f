//! A key pair of either kind this tool makes and signs with: RSA (the recipe's) or EC P-256.
//! Every format that depends on the kind (the public key, the PKCS#8 encoding, the signature,
//! the key usages) matches on it here and nowhere else.

use crate::error::{Error, Result};
use crate::keys::primes;
use crate::oid;
use rand_core::CryptoRng;
use rsa::PrivateKey as RsaPrivateKey;

/// Keys smaller than this do not sign certificates, and requests with them are refused.
pub const MIN_RSA_BITS: u32 = 2048;

/// The kinds of key pair: the recipe's RSA, or NIST P-256 (what ThingsBoard's X.509 guides use).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    Rsa,
    EcP256,
}

impl KeyType {
    /// As the options spell it: `rsa`, `ec-p256`.
    pub fn parse(s: &str) -> Option<KeyType> {
        match s.trim().to_ascii_lowercase().as_str() {
            "rsa" => Some(KeyType::Rsa),
            "ec-p256" => Some(KeyType::EcP256),
            _ => None,
        }
    }
}

/// A private key of either kind. Every format that depends on the kind (the public key, the
/// PKCS#8 encoding, the certificate's signature, the key usages) matches on it here and nowhere
/// else; JKS and PKCS#12 only carry the PKCS#8 bytes.
/// What the lean wasm module says when asked for what only the full one does (the JS API loads
/// the full module for such calls, so a person should never see it).
pub const LEAN: &str = "needs the full wasm module (EC keys, device CAs, a server certificate to trust, legacy PKCS#12)";

pub enum KeyPair {
    Rsa(RsaPrivateKey),
    /// Not in the lean wasm module (no feature "full"): its generation asks for RSA.
    #[cfg(feature = "full")]
    EcP256(p256::ecdsa::SigningKey),
}

impl KeyPair {
    /// A new key pair: RSA of `rsa_bits` bits (2048, 3072, 4096), or P-256 (`rsa_bits` unused).
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R, key_type: KeyType, rsa_bits: u32) -> Result<KeyPair> {
        Ok(match key_type {
            KeyType::Rsa => KeyPair::Rsa(primes::generate(rng, rsa_bits)?),
            #[cfg(not(feature = "full"))]
            KeyType::EcP256 => return Err(crate::error::Error::invalid(crate::error::Field::KeyType, LEAN)),
            #[cfg(feature = "full")]
            KeyType::EcP256 => {
                use p256::elliptic_curve::Generate;
                // A uniformly random non-zero scalar (rejection sampling), from the given CSPRNG.
                KeyPair::EcP256(p256::ecdsa::SigningKey::generate_from_rng(rng))
            }
        })
    }

    /// PKCS#8 PrivateKeyInfo DER (wiped when dropped). EC: id-ecPublicKey with the named curve
    /// prime256v1, the public point included.
    pub fn to_pkcs8_der(&self) -> Result<pkcs8::SecretDocument> {
        use pkcs8::EncodePrivateKey;
        match self {
            KeyPair::Rsa(k) => k.to_pkcs8_der(),
            #[cfg(feature = "full")]
            KeyPair::EcP256(k) => k.to_pkcs8_der(),
        }
        .map_err(|e| Error::internal("encoding the private key", e))
    }

    /// SubjectPublicKeyInfo DER (EC: uncompressed point, named curve).
    pub fn public_key_der(&self) -> Result<Vec<u8>> {
        use spki::EncodePublicKey;
        match self {
            KeyPair::Rsa(k) => k.to_public_key().to_public_key_der(),
            #[cfg(feature = "full")]
            KeyPair::EcP256(k) => k.verifying_key().to_public_key_der(),
        }
        .map(|d| d.into_vec())
        .map_err(|e| Error::internal("encoding the public key", e))
    }

    /// Whether the key can encipher (RSA key transport: keyUsage keyEncipherment); an EC key
    /// only signs (digitalSignature).
    pub fn enciphers(&self) -> bool {
        matches!(self, KeyPair::Rsa(_))
    }

    /// Sign a certificate (or a request) with this key: SHA256withRSA, or ecdsa-with-SHA256 (no
    /// parameters).
    pub fn sign<B: x509_cert::builder::Builder>(&self, builder: B) -> Result<B::Output> {
        match self {
            KeyPair::Rsa(k) => {
                let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(k.clone());
                builder.build::<_, rsa::pkcs1v15::Signature>(&signer)
            }
            #[cfg(feature = "full")]
            KeyPair::EcP256(k) => builder.build::<_, p256::ecdsa::DerSignature>(k),
        }
        .map_err(|e| Error::internal("signing the certificate", e))
    }

    /// A signature over `message` (SHA256withRSA, or ecdsa-with-SHA256 DER), with the
    /// AlgorithmIdentifier that names it: for what no x509-cert builder signs (a CRL).
    pub fn sign_message(&self, message: &[u8]) -> Result<(spki::AlgorithmIdentifierOwned, Vec<u8>)> {
        use rsa::signature::{SignatureEncoding, Signer};
        let fail = |e: &dyn core::fmt::Display| Error::internal("signing", e);
        Ok(match self {
            KeyPair::Rsa(k) => {
                let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(k.clone());
                let sig: rsa::pkcs1v15::Signature = signer.try_sign(message).map_err(|e| fail(&e))?;
                let null = der::asn1::Any::null();
                (spki::AlgorithmIdentifierOwned { oid: oid::SHA256_WITH_RSA, parameters: Some(null) }, sig.to_vec())
            }
            #[cfg(feature = "full")]
            KeyPair::EcP256(k) => {
                let sig: p256::ecdsa::Signature = k.try_sign(message).map_err(|e| fail(&e))?;
                (spki::AlgorithmIdentifierOwned { oid: oid::ECDSA_WITH_SHA256, parameters: None }, sig.to_der().as_bytes().to_vec())
            }
        })
    }

    /// Whether this is the private half of the public key `spki_der` (SubjectPublicKeyInfo),
    /// compared after decoding, so an EC point given compressed still matches.
    pub fn matches(&self, spki_der: &[u8]) -> Result<bool> {
        use spki::{DecodePublicKey, EncodePublicKey};
        let normalised = match self {
            KeyPair::Rsa(_) => rsa::PublicKey::from_public_key_der(spki_der).ok().and_then(|k| k.to_public_key_der().ok()),
            #[cfg(feature = "full")]
            KeyPair::EcP256(_) => p256::PublicKey::from_public_key_der(spki_der).ok().and_then(|k| k.to_public_key_der().ok()),
        };
        let own = self.public_key_der()?;
        Ok(normalised.is_some_and(|d| d.as_bytes() == own.as_slice()))
    }
}

/// Whether a public key (SubjectPublicKeyInfo DER) can encipher: RSA (keyEncipherment), not EC.
pub fn enciphers(spki_der: &[u8]) -> Result<bool> {
    let spki = spki::SubjectPublicKeyInfoRef::try_from(spki_der).map_err(|e| Error::internal("reading the public key", e))?;
    Ok(spki.algorithm.oid == oid::RSA_ENCRYPTION)
}
