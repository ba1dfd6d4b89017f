//! Checking a signature with a public key: what tells a request's holder has its key, and a
//! certificate's issuer made it. RSA (2048 bits or more) with SHA-256/384/512 and PKCS#1 v1.5,
//! EC P-256 with ecdsa-with-SHA256: what this tool signs with and what devices send.

use crate::error::{Error, Field, Result};
use crate::keys::pair::MIN_RSA_BITS;
use crate::oid;
use der::asn1::ObjectIdentifier;

/// A signature over `message` by the key `spki_der` (SubjectPublicKeyInfo) with `algorithm`.
/// Errors name `field` and say what holds it ("has a signature that does not verify ...").
pub fn verify(spki_der: &[u8], algorithm: &ObjectIdentifier, message: &[u8], signature: &[u8], field: Field) -> Result<()> {
    use spki::DecodePublicKey;
    let bad = |reason: String| Error::invalid(field, reason);
    let invalid = || bad("has a signature that does not verify with its own key: it was altered, or not made with that key".into());
    let spki = spki::SubjectPublicKeyInfoRef::try_from(spki_der).map_err(|_| bad("has a damaged public key".into()))?;
    match spki.algorithm.oid {
        oid::RSA_ENCRYPTION => {
            use rsa::signature::Verifier;
            use rsa::traits::PublicKeyParts;
            let key = rsa::PublicKey::from_public_key_der(spki_der).map_err(|_| bad("has a damaged RSA public key".into()))?;
            let bits = key.n().bit_width_vartime();
            if bits < MIN_RSA_BITS {
                return Err(bad(format!("has an RSA key of {bits} bits; at least {MIN_RSA_BITS} are needed")));
            }
            let sig = rsa::pkcs1v15::Signature::try_from(signature).map_err(|_| invalid())?;
            let ok = match *algorithm {
                oid::SHA256_WITH_RSA => rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key).verify(message, &sig).is_ok(),
                oid::SHA384_WITH_RSA => rsa::pkcs1v15::VerifyingKey::<sha2::Sha384>::new(key).verify(message, &sig).is_ok(),
                oid::SHA512_WITH_RSA => rsa::pkcs1v15::VerifyingKey::<sha2::Sha512>::new(key).verify(message, &sig).is_ok(),
                other => return Err(bad(format!("is signed with the algorithm {other}; RSA requests must use SHA-256, SHA-384 or SHA-512 with PKCS#1 v1.5"))),
            };
            ok.then_some(()).ok_or_else(invalid)
        }
        oid::EC_PUBLIC_KEY => {
            use p256::ecdsa::signature::Verifier;
            let curve = spki.algorithm.parameters.and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            if curve != Some(oid::PRIME256V1) {
                let named = curve.map_or_else(|| "(unnamed)".to_string(), |c| c.to_string());
                return Err(bad(format!("has an EC key on the curve {named}; this tool signs EC P-256 (prime256v1) and RSA keys")));
            }
            if *algorithm != oid::ECDSA_WITH_SHA256 {
                return Err(bad(format!("is signed with the algorithm {algorithm}; EC P-256 requests must use ecdsa-with-SHA256")));
            }
            let key = p256::ecdsa::VerifyingKey::from_public_key_der(spki_der).map_err(|_| bad("has a damaged EC public key".into()))?;
            let sig = p256::ecdsa::DerSignature::from_bytes(signature).map_err(|_| invalid())?;
            key.verify(message, &sig).map_err(|_| invalid())
        }
        other => Err(bad(format!("has a key of the algorithm {other}; this tool signs RSA and EC P-256 keys"))),
    }
}

/// A key's algorithm as a person names it, and its size in bits (0 when unknown).
pub fn describe(spki: &spki::SubjectPublicKeyInfoOwned) -> (String, u32) {
    match spki.algorithm.oid {
        oid::RSA_ENCRYPTION => ("RSA".to_string(), rsa_bits(spki.subject_public_key.raw_bytes())),
        oid::EC_PUBLIC_KEY => {
            let curve = spki.algorithm.parameters.as_ref().and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            match curve {
                Some(oid::PRIME256V1) => ("EC P-256".to_string(), 256),
                Some(oid::SECP384R1) => ("EC P-384".to_string(), 384),
                _ => ("EC".to_string(), 0),
            }
        }
        oid::ED25519 => ("Ed25519".to_string(), 0),
        other => (other.to_string(), 0),
    }
}

fn rsa_bits(pkcs1: &[u8]) -> u32 {
    use der::Decode;
    match pkcs1::RsaPublicKey::<der::asn1::UintRef<'_>>::from_der(pkcs1) {
        Ok(k) => {
            let m = k.modulus.as_bytes();
            let lead = m.iter().take_while(|b| **b == 0).count();
            match m.get(lead) {
                Some(first) => ((m.len() - lead) * 8) as u32 - first.leading_zeros(),
                None => 0,
            }
        }
        Err(_) => 0,
    }
}
