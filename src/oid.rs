//! Every object identifier the crate uses, once, named for what it identifies (RFC 5280, RFC
//! 8018, RFC 7292, RFC 2985, SEC 2). Compared as values, never as dotted text.

use der::oid::ObjectIdentifier as Oid;

const fn oid(dotted: &str) -> Oid {
    Oid::new_unwrap(dotted)
}

// Keys and curves.
pub const RSA_ENCRYPTION: Oid = oid("1.2.840.113549.1.1.1");
pub const RSA_PSS: Oid = oid("1.2.840.113549.1.1.10");
pub const EC_PUBLIC_KEY: Oid = oid("1.2.840.10045.2.1");
pub const PRIME256V1: Oid = oid("1.2.840.10045.3.1.7");
pub const SECP384R1: Oid = oid("1.3.132.0.34");
pub const SECP521R1: Oid = oid("1.3.132.0.35");
pub const SECP256K1: Oid = oid("1.3.132.0.10");
pub const ED25519: Oid = oid("1.3.101.112");
pub const ED448: Oid = oid("1.3.101.113");
pub const DSA: Oid = oid("1.2.840.10040.4.1");

// Signatures.
pub const SHA256_WITH_RSA: Oid = oid("1.2.840.113549.1.1.11");
pub const SHA384_WITH_RSA: Oid = oid("1.2.840.113549.1.1.12");
pub const SHA512_WITH_RSA: Oid = oid("1.2.840.113549.1.1.13");
pub const ECDSA_WITH_SHA256: Oid = oid("1.2.840.10045.4.3.2");

// Name attributes.
pub const CN: Oid = oid("2.5.4.3");
pub const C: Oid = oid("2.5.4.6");
pub const L: Oid = oid("2.5.4.7");
pub const ST: Oid = oid("2.5.4.8");
pub const O: Oid = oid("2.5.4.10");
pub const OU: Oid = oid("2.5.4.11");
pub const SURNAME: Oid = oid("2.5.4.4");
pub const SERIAL_NUMBER: Oid = oid("2.5.4.5");
pub const STREET: Oid = oid("2.5.4.9");
pub const TITLE: Oid = oid("2.5.4.12");
pub const GIVEN_NAME: Oid = oid("2.5.4.42");
pub const INITIALS: Oid = oid("2.5.4.43");
pub const DN_QUALIFIER: Oid = oid("2.5.4.46");
pub const PSEUDONYM: Oid = oid("2.5.4.65");
pub const ORGANIZATION_IDENTIFIER: Oid = oid("2.5.4.97");
pub const UID: Oid = oid("0.9.2342.19200300.100.1.1");
pub const DOMAIN_COMPONENT: Oid = oid("0.9.2342.19200300.100.1.25");
pub const EMAIL_ADDRESS: Oid = oid("1.2.840.113549.1.9.1");

// Certificate extensions and key purposes.
pub const SUBJECT_KEY_IDENTIFIER: Oid = oid("2.5.29.14");
pub const KEY_USAGE: Oid = oid("2.5.29.15");
pub const SUBJECT_ALT_NAME: Oid = oid("2.5.29.17");
pub const BASIC_CONSTRAINTS: Oid = oid("2.5.29.19");
pub const AUTHORITY_KEY_IDENTIFIER: Oid = oid("2.5.29.35");
pub const EXTENDED_KEY_USAGE: Oid = oid("2.5.29.37");
pub const CRL_NUMBER: Oid = oid("2.5.29.20");
pub const CRL_REASON: Oid = oid("2.5.29.21");
pub const ANY_EXTENDED_KEY_USAGE: Oid = oid("2.5.29.37.0");
pub const KP_SERVER_AUTH: Oid = oid("1.3.6.1.5.5.7.3.1");
pub const KP_CLIENT_AUTH: Oid = oid("1.3.6.1.5.5.7.3.2");
/// PKCS#9 extensionRequest: the extensions a PKCS#10 request asks for.
pub const EXTENSION_REQUEST: Oid = oid("1.2.840.113549.1.9.14");

// Password-based encryption (RFC 8018, RFC 7292 Appendix C).
pub const PBES2: Oid = oid("1.2.840.113549.1.5.13");
pub const PBKDF2: Oid = oid("1.2.840.113549.1.5.12");
pub const PBE_MD5_DES: Oid = oid("1.2.840.113549.1.5.3");
pub const PBE_SHA1_DES: Oid = oid("1.2.840.113549.1.5.10");
pub const PBE_SHA1_RC4_128: Oid = oid("1.2.840.113549.1.12.1.1");
pub const PBE_SHA1_RC4_40: Oid = oid("1.2.840.113549.1.12.1.2");
pub const PBE_SHA1_3DES: Oid = oid("1.2.840.113549.1.12.1.3");
pub const PBE_SHA1_RC2_128: Oid = oid("1.2.840.113549.1.12.1.5");
pub const PBE_SHA1_RC2_40: Oid = oid("1.2.840.113549.1.12.1.6");
pub const SCRYPT: Oid = oid("1.3.6.1.4.1.11591.4.11");
pub const HMAC_SHA1: Oid = oid("1.2.840.113549.2.7");
pub const HMAC_SHA224: Oid = oid("1.2.840.113549.2.8");
pub const HMAC_SHA256: Oid = oid("1.2.840.113549.2.9");
pub const HMAC_SHA384: Oid = oid("1.2.840.113549.2.10");
pub const HMAC_SHA512: Oid = oid("1.2.840.113549.2.11");
pub const AES128_CBC: Oid = oid("2.16.840.1.101.3.4.1.2");
pub const AES192_CBC: Oid = oid("2.16.840.1.101.3.4.1.22");
pub const AES256_CBC: Oid = oid("2.16.840.1.101.3.4.1.42");
pub const DES_EDE3_CBC: Oid = oid("1.2.840.113549.3.7");
pub const SHA1: Oid = oid("1.3.14.3.2.26");
pub const SHA256: Oid = oid("2.16.840.1.101.3.4.2.1");

// PKCS#12 (RFC 7292) and its attributes.
pub const DATA: Oid = oid("1.2.840.113549.1.7.1");
pub const ENCRYPTED_DATA: Oid = oid("1.2.840.113549.1.7.6");
pub const KEY_BAG: Oid = oid("1.2.840.113549.1.12.10.1.1");
pub const SHROUDED_KEY_BAG: Oid = oid("1.2.840.113549.1.12.10.1.2");
pub const CERT_BAG: Oid = oid("1.2.840.113549.1.12.10.1.3");
pub const X509_CERTIFICATE: Oid = oid("1.2.840.113549.1.9.22.1");
pub const FRIENDLY_NAME: Oid = oid("1.2.840.113549.1.9.20");
pub const LOCAL_KEY_ID: Oid = oid("1.2.840.113549.1.9.21");
/// Oracle's "trusted key usage" attribute; its value anyExtendedKeyUsage trusts for all uses.
pub const ORACLE_TRUSTED_KEY_USAGE: Oid = oid("2.16.840.1.113894.746875.1.1");

/// Sun's JKS key protector.
pub const JKS_KEY_PROTECTOR: Oid = oid("1.3.6.1.4.1.42.2.17.1.1");
