//! How Tempus identifies a device by its certificate.
//!
//! On save the platform stores the pasted PEM with "-----BEGIN CERTIFICATE-----",
//! "-----END CERTIFICATE-----", "\n" and "\r" removed, and its credentials id is the lowercase
//! hex SHA3-256 of that text. At an MQTT TLS login it hashes the standard Base64 of the
//! presented certificate's DER. The two agree only for canonical PEM.

use crate::formats::hex;
use base64ct::{Base64, Encoding};
use sha3::{Digest, Sha3_256};

/// The id the platform computes at TLS login: hex(SHA3-256(base64(DER))).
pub fn credentials_id(der: &[u8]) -> String {
    hex::lower(&Sha3_256::digest(Base64::encode_string(der).as_bytes()))
}

/// The id the platform computes on save from the text a user pasted.
pub fn credentials_id_of_text(pasted: &str) -> String {
    hex::lower(&Sha3_256::digest(platform_trim(pasted).as_bytes()))
}

/// Exactly what the platform removes; spaces and tabs stay.
pub fn platform_trim(pasted: &str) -> String {
    pasted
        .replace("-----BEGIN CERTIFICATE-----", "")
        .replace("-----END CERTIFICATE-----", "")
        .replace(['\n', '\r'], "")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT: &str = include_str!("../tests/vectors/keytool-mqttclient.pub.pem");
    const SERVER: &str = include_str!("../tests/vectors/keytool-mqttserver.pub.pem");

    #[test]
    fn known_answers_from_keytool_vectors() {
        let id = "8fac8b7da6bedd63f2b14b10d630cc997872018bf81a673d6b911a7a60b016e4";
        assert_eq!(credentials_id_of_text(CLIENT), id);
        let der = crate::x509::read::one_certificate(CLIENT.as_bytes(), crate::error::Field::Certificate).unwrap();
        assert_eq!(credentials_id(&der), id);
        let id = "887d22af40607db802adce9e8c68db626383979f81be5bdb2fee0925d34939ee";
        assert_eq!(credentials_id_of_text(SERVER), id);
    }

    #[test]
    fn other_whitespace_changes_the_text_id() {
        let spaced = CLIENT.replacen('\n', "\n ", 2);
        assert_ne!(credentials_id_of_text(&spaced), credentials_id_of_text(CLIENT));
        assert_eq!(credentials_id_of_text(&CLIENT.replace('\n', "\r\n")), credentials_id_of_text(CLIENT));
    }

    #[test]
    fn agrees_with_openssl_dgst() {
        // `openssl dgst -sha3-256` over the trimmed PEM, as the reference defines the id.
        let trimmed = platform_trim(SERVER);
        let dir = std::env::temp_dir().join(format!("tcg-dgst-{}", std::process::id()));
        std::fs::write(&dir, &trimmed).unwrap();
        let out = std::process::Command::new("openssl")
            .args(["dgst", "-sha3-256", "-r"])
            .arg(&dir)
            .output()
            .expect("openssl must be installed for the tests");
        std::fs::remove_file(&dir).ok();
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(text.split_whitespace().next().unwrap(), credentials_id_of_text(SERVER));
    }
}
