//! X.509: names, alternative names, times and extensions; reading certificates; building
//! certificates and requests for a key and a signer view (`cert::Signer`). Modelled on
//! x509-cert's own layout; nothing here knows how a CA was loaded or what a recipe is.

pub mod cert;
pub mod crl;
pub mod csr;
pub mod ext;
pub mod name;
pub mod profile;
pub mod read;
pub mod san;
pub mod time;
