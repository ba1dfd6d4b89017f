//! Who signs: a device CA, loaded and checked from what a person gives (`ca`), and what it signs
//! (`sign`: a request; later renewals and revocations). Beside `inspect`, never importing it.

pub mod ca;
pub mod revoke;
pub mod sign;
