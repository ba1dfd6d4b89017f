//! The one PEM armour reader: any bytes give blocks (label, headers, body) or a reason, and
//! `read` gives the input or a typed error naming the field, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tempus_certgen::formats::pem::{blocks, read, Input, MAX_INPUT};
use tempus_certgen::{Error, Field};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = core::str::from_utf8(data) {
        if let Ok(found) = blocks(text) {
            for b in &found {
                assert!(text.contains(b.label));
            }
        }
    }
    match read(data, Field::Request, "a request", |f, r| Error::Certificate { field: f, reason: r }) {
        Ok(Input::Pem(_)) | Ok(Input::Other(_)) => assert!(data.len() <= MAX_INPUT),
        Err(e) => assert_eq!(e.field(), Some(Field::Request)),
    }
});
