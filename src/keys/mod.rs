//! Keys: making them (RSA primes, EC P-256), reading the files other tools write, and checking
//! signatures with them. Below certificates: nothing here knows X.509.

pub mod keyfile;
pub mod pair;
pub mod primes;
pub mod verify;
