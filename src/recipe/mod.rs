//! The keytool recipe: what a person decides (`params`, with the recipe's defaults and every
//! check), the files of a role (`files`), and the request / sign / assemble flow (`request`).

pub mod files;
pub mod params;
pub mod renew;
pub mod request;
