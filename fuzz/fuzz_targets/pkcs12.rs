//! The PKCS#12 reader (a device CA's `.p12`): any bytes give its keys or a read error, never a
//! panic, and never more key derivation rounds than the caps allow (1,000,000 a derivation,
//! 2,000,000 a file), so a target cannot stall on a crafted iteration count.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tempus_certgen::formats::pkcs12::{is_pkcs12, read_private_keys};

fuzz_target!(|data: &[u8]| {
    if is_pkcs12(data) {
        if let Ok(keys) = read_private_keys(data, "fuzz-password") {
            assert!(keys.iter().all(|k| !k.is_empty()));
        }
    }
});
