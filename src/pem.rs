//! Canonical PEM: 64-character lines, `\n`, one block per object. The platform hashes the pasted
//! text, so any other layout gives a different credentials id (see `tempus`).

use crate::error::{Error, Result};
use pem_rfc7468::LineEnding;

pub const CERTIFICATE: &str = "CERTIFICATE";
pub const PRIVATE_KEY: &str = "PRIVATE KEY";
pub const ENCRYPTED_PRIVATE_KEY: &str = "ENCRYPTED PRIVATE KEY";

pub fn encode(label: &str, der: &[u8]) -> Result<String> {
    pem_rfc7468::encode_string(label, LineEnding::LF, der)
        .map_err(|e| Error::internal("encoding PEM", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_64_columns_with_lf() {
        let pem = encode(CERTIFICATE, &[0xab; 200]).unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(pem.ends_with("-----END CERTIFICATE-----\n"));
        assert!(!pem.contains('\r'));
        let body: Vec<&str> = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        assert!(body[..body.len() - 1].iter().all(|l| l.len() == 64));
        assert!(body.last().unwrap().len() <= 64);
        assert_eq!(body.concat().len(), 268); // base64 of 200 bytes
    }
}
