//! What a certificate request says: for a person deciding whether to sign it.

use crate::error::{Error, Result};
use crate::keys::verify::describe;
use crate::x509::csr;
use crate::x509::name::name_string;
use der::Decode;

#[derive(Clone, Debug)]
pub struct RequestInspection {
    pub subject: String,
    pub key_algorithm: String,
    pub key_size: u32,
    /// `DNS:name` / `IP:address`, as requested.
    pub san: Vec<String>,
    /// Whether its signature verifies with its own key; `signature_error` says why not.
    pub signature_valid: bool,
    pub signature_error: Option<String>,
}

/// Describe a certificate request (PEM or DER).
pub fn inspect_request(input: &[u8]) -> Result<RequestInspection> {
    let (request, signature) = csr::parse(input)?;
    let spki = spki::SubjectPublicKeyInfoOwned::from_der(&request.spki_der).map_err(|e| Error::internal("reading a public key", e))?;
    let (key_algorithm, key_size) = describe(&spki);
    Ok(RequestInspection {
        subject: name_string(&request.subject, ","),
        key_algorithm,
        key_size,
        san: request.san.iter().map(ToString::to_string).collect(),
        signature_valid: signature.is_ok(),
        signature_error: signature.err().map(|e| e.to_string()),
    })
}
