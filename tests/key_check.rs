//! The browser's key check (`checkKeyPair`): keys made by OpenSSL, plain and encrypted, against
//! their own certificates and another's.
mod common;
use common::*;
use tempus_certgen::error::Field;
use tempus_certgen::inspect::check_key_pair;

#[test]
fn openssl_keys_match_their_own_certificates_only() {
    let f = fixture();
    let d = tempdir_in(&f.dir, "key-check");
    ok("openssl", &["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "a.key", "-out", "a.pem", "-subj", "/CN=a", "-days", "10"], &d);
    ok("openssl", &["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "b.key", "-out", "b.pem", "-subj", "/CN=b", "-days", "10"], &d);
    ok("openssl", &["pkcs8", "-topk8", "-in", "a.key", "-out", "a.enc.key", "-passout", "pass:secret-pw", "-v2", "aes-256-cbc"], &d);
    let read = |n: &str| std::fs::read(d.join(n)).unwrap();

    let a = check_key_pair(&read("a.key"), None, &read("a.pem")).unwrap();
    assert!(a.matches);
    assert_eq!((a.key_algorithm.as_str(), a.key_size), ("RSA", 2048));
    let b = check_key_pair(&read("b.key"), None, &read("b.pem")).unwrap();
    assert!(b.matches);
    assert_eq!(b.key_algorithm, "EC P-256");
    assert!(!check_key_pair(&read("b.key"), None, &read("a.pem")).unwrap().matches);
    assert!(!check_key_pair(&read("a.key"), None, &read("b.pem")).unwrap().matches);

    assert!(check_key_pair(&read("a.enc.key"), Some("secret-pw"), &read("a.pem")).unwrap().matches);
    let locked = check_key_pair(&read("a.enc.key"), None, &read("a.pem")).unwrap_err();
    assert_eq!(locked.field(), Some(Field::KeyPassword));
    let wrong = check_key_pair(&read("a.enc.key"), Some("not-it"), &read("a.pem")).unwrap_err();
    assert_eq!(wrong.code(), "wrong_password");
    let broken = check_key_pair(b"not a key", None, &read("a.pem")).unwrap_err();
    assert_eq!(broken.field(), Some(Field::Key));
    let no_certificate = check_key_pair(&read("a.key"), None, b"no certificate here").unwrap_err();
    assert_eq!(no_certificate.field(), Some(Field::Certificate));

    // This tool's own files: the .nopass.pem (key and certificate) against the .pub.pem.
    let own = check_key_pair(&std::fs::read(f.dir.join("mqttclient.nopass.pem")).unwrap(), None, &std::fs::read(f.dir.join("mqttclient.pub.pem")).unwrap()).unwrap();
    assert!(own.matches);
}
