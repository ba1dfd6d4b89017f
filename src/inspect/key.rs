//! Whether a private key file opens, and whether it is the certificate's: the offline file check
//! of the browser (the CLI's `connect` asks OpenSSL through Node for the same).

use crate::error::{Error, Field, Result};
use crate::keys::keyfile::{read_private_key, Fields};
use crate::keys::verify::describe;
use crate::x509::read;
use der::Encode;

/// What the key check found.
#[derive(Clone, Debug)]
pub struct KeyCheck {
    /// The key is the private half of the certificate's public key.
    pub matches: bool,
    /// The certificate's key as inspect describes it ("RSA", "EC P-256", ...); bits for RSA.
    pub key_algorithm: String,
    pub key_size: u32,
}

/// Open `key` (with `password` when it is encrypted) and compare it with the first certificate of
/// `certificate`. A key that does not open is an error naming `key` or `keyPassword`.
pub fn check_key_pair(key: &[u8], password: Option<&str>, certificate: &[u8]) -> Result<KeyCheck> {
    let der = read::certificates(certificate, Field::Certificate)?.swap_remove(0);
    let cert = read::parse(&der, Field::Certificate)?;
    let spki = cert.tbs_certificate().subject_public_key_info();
    let (key_algorithm, key_size) = describe(spki);
    let pair = read_private_key(key, password.filter(|p| !p.is_empty()), Fields { key: Field::Key, password: Field::KeyPassword })?;
    let spki_der = spki.to_der().map_err(|e| Error::internal("encoding a public key", e))?;
    Ok(KeyCheck { matches: pair.matches(&spki_der)?, key_algorithm, key_size })
}
