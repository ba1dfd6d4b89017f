//! File formats, below any notion of keys or certificates: PEM (written and read), hex, the
//! password-based encryption of key files, PKCS#12 and JKS key stores.

pub mod derived;
pub mod hex;
pub mod jks;
pub mod pbe;
pub mod pem;
pub mod pkcs12;
