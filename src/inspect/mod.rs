//! Telling a person what they hold: a certificate (or chain) and what the platform will make of
//! it, a certificate request before it is signed. Beside `issue`, never importing it.

pub mod certificate;
pub mod key;
pub mod request;

pub use certificate::{inspect, ChainLink, Inspection, Warning, EXPIRY_WARNING_DAYS};
pub use key::{check_key_pair, KeyCheck};
pub use request::{inspect_request, RequestInspection};
