//! The key file reader behind `--ca-key` and `assemble --key` (PEM and DER; PKCS#8 plain and
//! encrypted, PKCS#1, SEC1, OpenSSL's PEM encryption, PKCS#12): any bytes, with or without a
//! password, give a key or a typed error naming the key or its password, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tempus_certgen::keys::keyfile::{read_private_key, Fields};
use tempus_certgen::Field;

const FIELDS: Fields = Fields { key: Field::CaKey, password: Field::CaPassword };

fuzz_target!(|data: &[u8]| {
    for password in [None, Some("fuzz-password")] {
        if let Err(e) = read_private_key(data, password, FIELDS) {
            assert!(matches!(e.field(), Some(Field::CaKey) | Some(Field::CaPassword)), "{e}");
        }
    }
});
