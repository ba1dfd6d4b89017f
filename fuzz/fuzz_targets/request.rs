//! The certificate request reader behind `sign` and inspect: any bytes give a request (with its
//! signature checked) or a typed error naming the request, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tempus_certgen::{inspect_request, Field};

fuzz_target!(|data: &[u8]| {
    match tempus_certgen::x509::csr::parse(data) {
        Ok((request, signature)) => {
            assert!(!request.der.is_empty());
            if let Err(e) = signature {
                assert_eq!(e.field(), Some(Field::Request));
            }
        }
        Err(e) => assert_eq!(e.field(), Some(Field::Request)),
    }
    if let Err(e) = inspect_request(data) {
        assert_eq!(e.field(), Some(Field::Request));
    }
});
