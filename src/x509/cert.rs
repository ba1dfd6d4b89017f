//! The X.509 v3 certificates: self-signed (the recipe's, and the device CA's), or issued by a
//! device CA. The signature is SHA256withRSA or ecdsa-with-SHA256, after the signer's key.
//!
//! Issued by a CA ([`issue`]): issuer = the CA's subject, authorityKeyIdentifier = the CA's
//! subject key identifier, notAfter cut to the CA's (a leaf that outlives its CA fails every
//! chain check), and the same end-entity extensions as below.
//!
//! Tempus uses one self-signed certificate per side, and each peer trusts it directly: the
//! broker's trust store holds the client certificate (mosquitto's `cafile`, Java's key store
//! loaded as trust store), the client holds the server's. So every certificate is at once a
//! TLS end-entity and its own trust anchor, and nothing more: it must not be able to sign
//! other certificates, or whoever holds a device's key could mint certificates that chain to
//! that device's (and pose as another device where the broker takes identity from the
//! subject). The extensions are chosen for that:
//! - basicConstraints critical, cA FALSE: an end entity. A trust anchor needs no cA flag:
//!   OpenSSL (`verify -CAfile c.pem c.pem`), JSSE and mosquitto accept a self-signed end-entity
//!   certificate that is itself in the trust store (tests/openssl.rs, tests/tls.test.mjs);
//! - keyUsage critical: digitalSignature (TLS 1.2/1.3 RSA signatures) and keyEncipherment (TLS
//!   1.2 RSA key transport, still offered by Java 8 peers); no keyCertSign, so a certificate
//!   signed with the device's key does not verify against it;
//! - extendedKeyUsage serverAuth (server) or clientAuth (client): Java's and OpenSSL's
//!   end-entity checks for the TLS role;
//! - subjectKeyIdentifier (SHA-1 of the public key, RFC 5280 method 1) and
//!   authorityKeyIdentifier with the same value, so chain builders find the anchor by key id;
//! - subjectAltName (server, and the client when names are given): the CN as DNS name or IP
//!   plus the extras, since TLS clients match the host name against the SAN only.
//! Validity: notBefore now, notAfter now + days, UTCTime through 2049 and GeneralizedTime from
//! 2050 on (RFC 5280 4.1.2.5). Serial: 16 random octets, first bit clear (positive), second
//! bit set (so exactly 16 octets, never zero).


use crate::error::{Error, Field, Result};
use crate::keys::pair::{enciphers, KeyPair};
use crate::role::Role;
use crate::x509::profile::Profile;
use crate::x509::read;
use crate::x509::san::SubjectAltName;
use crate::x509::time::{time, DAY};
use der::Encode;
use rand_core::CryptoRng;
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::builder::CertificateBuilder;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Validity;

/// What goes into the certificate besides the key.
pub struct CertificateSpec<'a> {
    pub role: Role,
    pub subject: Name,
    pub san: &'a [SubjectAltName],
    /// Seconds since the Unix epoch (taken from JS in wasm, where SystemTime panics).
    pub now: u64,
    pub days: u32,
    /// CA only: pathLenConstraint (`None`: open).
    pub path_len: Option<u8>,
}

/// What a certificate (or a CRL) is signed for: the signing key, the name and key id it is
/// issued under, and the last second it may vouch for. A CA supplies it; the builders never see
/// how the CA was loaded (as rcgen's `Issuer`).
pub struct Signer<'a> {
    pub key: &'a KeyPair,
    pub subject: &'a Name,
    pub key_id: &'a [u8],
    /// Unix seconds: what is signed is cut to end by then.
    pub not_after: u64,
}

/// A signed certificate: its DER, its serial number's octets, its notAfter (Unix seconds) and
/// whether that was cut to the issuer's.
pub struct SignedCertificate {
    pub der: Vec<u8>,
    pub serial: Vec<u8>,
    pub not_after: u64,
    pub cut_to_ca: bool,
}

/// A certificate for `key`, signed with `key`.
pub fn self_signed<R: CryptoRng + ?Sized>(rng: &mut R, key: &KeyPair, spec: &CertificateSpec<'_>) -> Result<SignedCertificate> {
    build(rng, &key.public_key_der()?, key.enciphers(), spec, key, None)
}

/// A certificate for the public key `spki_der` (SubjectPublicKeyInfo DER), signed by `signer`.
pub fn issue<R: CryptoRng + ?Sized>(rng: &mut R, spki_der: &[u8], spec: &CertificateSpec<'_>, signer: &Signer<'_>) -> Result<SignedCertificate> {
    if spec.role == Role::Ca {
        return Err(Error::invalid(Field::Role, "a device CA is self-signed here: leave the CA certificate and key out"));
    }
    build(rng, spki_der, enciphers(spki_der)?, spec, signer.key, Some(signer))
}

fn build<R: CryptoRng + ?Sized>(
    rng: &mut R,
    spki_der: &[u8],
    enciphers: bool,
    spec: &CertificateSpec<'_>,
    key: &KeyPair,
    signer: Option<&Signer<'_>>,
) -> Result<SignedCertificate> {
    let wanted = spec.now + spec.days as u64 * DAY;
    let not_after = signer.map_or(wanted, |s| wanted.min(s.not_after));
    let validity = Validity::new(time(spec.now)?, time(not_after)?);
    let spki = SubjectPublicKeyInfoOwned::try_from(spki_der).map_err(|e| Error::internal("reading the public key", e))?;
    let profile = Profile {
        subject: spec.subject.clone(),
        issuer: signer.map(|s| (s.subject.clone(), s.key_id.to_vec())),
        role: spec.role,
        san: spec.san.to_vec(),
        enciphers,
        path_len: spec.path_len,
    };
    let builder = CertificateBuilder::new(profile, serial(rng)?, validity, spki).map_err(|e| Error::internal("preparing the certificate", e))?;
    let cert = key.sign(builder)?;
    let der = cert.to_der().map_err(|e| Error::internal("encoding the certificate", e))?;
    Ok(SignedCertificate { der, serial: read::serial(cert.tbs_certificate().serial_number().as_bytes()), not_after, cut_to_ca: not_after < wanted })
}

/// 16 random octets, first bit clear (positive), second bit set (so exactly 16 octets, never 0).
pub fn serial<R: CryptoRng + ?Sized>(rng: &mut R) -> Result<SerialNumber> {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    bytes[0] = (bytes[0] & 0x7f) | 0x40;
    SerialNumber::new(&bytes).map_err(|e| Error::internal("encoding the serial number", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x509::name::DistinguishedName;
    use der::Decode;
    use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};
    use x509_cert::time::Time;
    use rand_chacha::ChaCha8Rng;
    use rand_core::SeedableRng;
    use x509_cert::Certificate;

    #[test]
    fn serial_is_positive_and_sixteen_octets() {
        let mut rng = ChaCha8Rng::from_seed([3; 32]);
        for _ in 0..200 {
            let s = serial(&mut rng).unwrap();
            assert_eq!(s.as_bytes().len(), 16);
            assert_eq!(s.as_bytes()[0] & 0xc0, 0x40);
        }
    }

    #[test]
    fn ec_certificate_is_signed_with_ecdsa_sha256_without_parameters() {
        let mut rng = ChaCha8Rng::from_seed([6; 32]);
        let key = KeyPair::generate(&mut rng, crate::keys::pair::KeyType::EcP256, 0).unwrap();
        let dn = DistinguishedName::new("ec-device", "Tempus", "Tempus", "Roswell", "GA", "US").unwrap();
        let spec = CertificateSpec { role: Role::Client, subject: dn.to_name().unwrap(), san: &[], now: 1_795_000_000, days: 30, path_len: None };
        let cert = Certificate::from_der(&self_signed(&mut rng, &key, &spec).unwrap().der).unwrap();
        assert_eq!(cert.signature_algorithm().oid.to_string(), "1.2.840.10045.4.3.2");
        assert!(cert.signature_algorithm().parameters.is_none(), "ecdsa-with-SHA256 has no parameters");
        let spki = cert.tbs_certificate().subject_public_key_info();
        assert_eq!(spki.algorithm.oid.to_string(), "1.2.840.10045.2.1");
        let curve = spki.algorithm.parameters.as_ref().unwrap().decode_as::<der::asn1::ObjectIdentifier>().unwrap();
        assert_eq!(curve.to_string(), "1.2.840.10045.3.1.7", "named curve prime256v1");
        assert_eq!(spki.subject_public_key.raw_bytes()[0], 4, "uncompressed point");
        let ext = cert.tbs_certificate().extensions().unwrap().iter().find(|e| e.extn_id.to_string() == "2.5.29.15").unwrap();
        let ku = KeyUsage::from_der(ext.extn_value.as_bytes()).unwrap();
        assert!(ku.digital_signature() && !ku.key_encipherment() && !ku.key_cert_sign());
    }

    #[test]
    fn certificate_has_the_documented_shape() {
        let mut rng = ChaCha8Rng::from_seed([5; 32]);
        let key = KeyPair::Rsa(crate::keys::primes::generate(&mut rng, 2048).unwrap());
        let dn = DistinguishedName::new("mqtt.test", "Tempus", "Tempus", "Roswell", "GA", "US").unwrap();
        let san = vec![SubjectAltName::Dns("mqtt.test".into())];
        // 2026-11-26, 9999 days: notAfter is in 2054.
        let spec = CertificateSpec { role: Role::Server, subject: dn.to_name().unwrap(), san: &san, now: 1_795_000_000, days: 9999, path_len: None };
        let signed = self_signed(&mut rng, &key, &spec).unwrap();
        let cert = Certificate::from_der(&signed.der).unwrap();
        assert_eq!(cert.tbs_certificate().serial_number().as_bytes(), &signed.serial[..]);
        let tbs = cert.tbs_certificate();
        assert_eq!(tbs.issuer(), tbs.subject());
        assert!(matches!(tbs.validity().not_before, Time::UtcTime(_)));
        assert!(matches!(tbs.validity().not_after, Time::GeneralTime(_)));
        let ids: Vec<String> =
            tbs.extensions().unwrap().iter().map(|e| e.extn_id.to_string()).collect();
        assert_eq!(ids, ["2.5.29.19", "2.5.29.15", "2.5.29.37", "2.5.29.14", "2.5.29.35", "2.5.29.17"]);
        assert_eq!(cert.signature_algorithm().oid.to_string(), "1.2.840.113549.1.1.11");
        // An end entity: cA FALSE and no keyCertSign (issue 13: a device's key must not be able
        // to issue certificates that chain to its certificate).
        let ext = |oid: &str| tbs.extensions().unwrap().iter().find(|e| e.extn_id.to_string() == oid).unwrap().clone();
        let bc = BasicConstraints::from_der(ext("2.5.29.19").extn_value.as_bytes()).unwrap();
        assert!(ext("2.5.29.19").critical);
        assert!(!bc.ca);
        assert_eq!(bc.path_len_constraint, None);
        let ku = KeyUsage::from_der(ext("2.5.29.15").extn_value.as_bytes()).unwrap();
        assert!(ext("2.5.29.15").critical);
        assert!(ku.digital_signature() && ku.key_encipherment());
        assert!(!ku.key_cert_sign() && !ku.crl_sign());
    }
}
