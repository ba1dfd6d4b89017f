//! The certificate parser behind `inspect` and the client's server-certificate input: any bytes
//! give a description or a typed error naming the field, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tempus_certgen::{inspect, Field, Params};

fuzz_target!(|data: &[u8]| {
    match inspect(data, 1_795_000_000) {
        Ok(i) => assert_eq!(i.credentials_id.len(), 64),
        Err(e) => assert_eq!(e.field(), Some(Field::Certificate)),
    }
    let mut p = Params::client();
    p.server_certificate = Some(data.to_vec());
    if let Err(e) = p.validate() {
        assert_eq!(e.field(), Some(Field::ServerCertificate));
    }
});
