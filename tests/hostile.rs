//! Hostile inputs to the core (issue 23), each made by openssl where a peer makes it: the CA's
//! own name respelled, wildcards where a certificate may not hold them, key files that ask for
//! more key derivation rounds than any tool writes, weak CA passwords. Each fails safely, with
//! an error naming the field, before anything slow runs.
mod common;
use common::*;
use tempus_certgen::{Field, Params, Role, SignOptions};

fn options(role: Role, san: &[&str]) -> SignOptions {
    SignOptions { role, days: 30, san: san.iter().map(|s| s.to_string()).collect(), prefix: None }
}

#[test]
fn the_cas_name_respelled_is_refused() {
    let f = fixture();
    let dir = tempdir_in(&f.dir, "hostile-names");
    let ca = issuer(&f.dir, "deviceca.pub.pem", "deviceca.key.pem", "ca-secret");
    let rest = "/C=US/ST=GA/L=Roswell/O=Tempus/OU=Tempus";
    for (i, cn) in ["Tempus  Device CA", "Tempus Device CA ", " Tempus Device CA", "tempus device ca", "TEMPUS DEVICE CA"].iter().enumerate() {
        let csr = format!("respelled-{i}.csr");
        ok("openssl", &["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.pem", "-subj", &format!("{rest}/CN={cn}"), "-out", &csr], &dir);
        let e = tempus_certgen::sign_request(&std::fs::read(dir.join(&csr)).unwrap(), &ca, &options(Role::Client, &[]), now())
            .err()
            .unwrap_or_else(|| panic!("{cn:?} was signed"));
        assert_eq!(e.field(), Some(Field::Request), "{e}");
        assert!(e.to_string().contains("the CA's own subject"), "{e}");
    }
    // The same check when the leaf is made here: a client named like its CA.
    let mut p = Params::client();
    p.cn = "Tempus  Device CA".into();
    p.issuer = Some(ca.clone());
    let e = tempus_certgen::generate(&p, now()).err().unwrap();
    assert_eq!((e.field(), e.code()), (Some(Field::Cn), "invalid"), "{e}");
    // A device of its own name is signed.
    ok("openssl", &["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.pem", "-subj", &format!("{rest}/CN=Tempus Device CA 2"), "-out", "fine.csr"], &dir);
    tempus_certgen::sign_request(&std::fs::read(dir.join("fine.csr")).unwrap(), &ca, &options(Role::Client, &[]), now()).unwrap();
}

#[test]
fn wildcards_only_as_a_whole_leftmost_label() {
    let f = fixture();
    let dir = tempdir_in(&f.dir, "hostile-wildcards");
    let ca = issuer(&f.dir, "deviceca.pub.pem", "deviceca.key.pem", "ca-secret");
    ok("openssl", &["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.pem", "-subj", "/CN=broker", "-out", "broker.csr"], &dir);
    let csr = std::fs::read(dir.join("broker.csr")).unwrap();
    for bad in ["*", "dns:*", "*.com", "a*b.example", "x.*.example", "*x.example.com"] {
        let e = tempus_certgen::sign_request(&csr, &ca, &options(Role::Server, &[bad]), now()).err().unwrap_or_else(|| panic!("{bad} accepted"));
        assert_eq!(e.field(), Some(Field::San), "{bad}: {e}");
        let mut p = Params::server();
        p.san = vec![bad.into()];
        assert_eq!(tempus_certgen::generate(&p, now()).err().unwrap().field(), Some(Field::San), "{bad}");
    }
    let b = tempus_certgen::sign_request(&csr, &ca, &options(Role::Server, &["*.example.com"]), now()).unwrap();
    write(&dir, &b);
    let text = ok("openssl", &["x509", "-in", "mqttserver.pub.pem", "-noout", "-ext", "subjectAltName"], &dir);
    assert!(text.contains("DNS:broker, DNS:*.example.com"), "{text}");
}

#[test]
fn a_device_cas_password_is_long_and_its_key_never_under_3des() {
    let mut p = Params::ca();
    p.key_password = "seven77".to_string().into();
    p.store_password = "seven77".to_string().into();
    let e = tempus_certgen::generate(&p, now()).err().unwrap();
    assert_eq!(e.field(), Some(Field::KeyPassword), "{e}");
    assert!(e.to_string().contains("at least 8 characters"), "{e}");
    p.key_password = "eight888".to_string().into();
    p.store_password = "eight888".to_string().into();
    p.legacy_pkcs12 = true;
    let e = tempus_certgen::generate(&p, now()).err().unwrap();
    assert_eq!(e.field(), Some(Field::LegacyPkcs12), "{e}");
    assert!(e.to_string().contains("3DES"), "{e}");
}

/// Key files that ask for more rounds than any tool writes are refused by their count, before a
/// round runs: one key at 2,000,000 (the cap is 1,000,000 a derivation), a `.p12` whose parts
/// add up to 2,700,000 (the cap is 2,000,000 a file).
#[test]
fn key_files_asking_for_too_many_rounds_are_refused_by_the_count() {
    let f = fixture();
    let dir = tempdir_in(&f.dir, "hostile-rounds");
    std::fs::copy(f.dir.join("deviceca.pub.pem"), dir.join("ca.pem")).unwrap();
    ok("openssl", &["pkey", "-in", &f.dir.join("deviceca.key.pem").to_string_lossy(), "-passin", "pass:ca-secret", "-out", "plain.key"], &dir);
    ok("openssl", &["pkcs8", "-topk8", "-in", "plain.key", "-v2", "aes-256-cbc", "-iter", "2000000", "-passout", "pass:slow-pass", "-out", "slow.key"], &dir);
    ok("openssl", &["pkcs12", "-export", "-in", "ca.pem", "-inkey", "plain.key", "-iter", "900000", "-passout", "pass:slow-pass", "-out", "slow.p12"], &dir);
    let text = ok("openssl", &["pkcs12", "-in", "slow.p12", "-info", "-noout", "-passin", "pass:slow-pass"], &dir);
    assert!(text.contains("Iteration 900000"), "{text}");
    for (file, says) in [("slow.key", "2000000 key derivation rounds"), ("slow.p12", "in all")] {
        let source = issuer(&dir, "ca.pem", file, "slow-pass");
        let mut p = Params::client();
        p.issuer = Some(source);
        let e = tempus_certgen::generate(&p, now()).err().unwrap();
        assert_eq!(e.field(), Some(Field::CaKey), "{file}: {e}");
        assert!(e.to_string().contains(says), "{file}: {e}");
    }
    // What OpenSSL and Java write is read.
    ok("openssl", &["pkcs12", "-export", "-in", "ca.pem", "-inkey", "plain.key", "-passout", "pass:fine-pass", "-out", "fine.p12"], &dir);
    let mut p = Params::client();
    p.issuer = Some(issuer(&dir, "ca.pem", "fine.p12", "fine-pass"));
    tempus_certgen::generate(&p, now()).unwrap();
}
