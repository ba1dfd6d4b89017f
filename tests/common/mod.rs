//! Shared by the interop tests: generate both roles once into a temporary folder and run the
//! real tools on them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use tempus_certgen::{Bundle, KeyType, Params};

pub const NOW: u64 = 1_795_000_000;

pub struct Fixture {
    pub dir: PathBuf,
    pub server: Bundle,
    pub client: Bundle,
    pub legacy: Bundle,
    /// EC P-256: a server (prefix ecserver, SAN 127.0.0.1) and a client trusting it (ecclient,
    /// store password ec-store, key password ec-key).
    pub ec_server: Bundle,
    pub ec_client: Bundle,
    /// A device CA (prefix deviceca, key and store password ca-secret), RSA 2048.
    pub ca: Bundle,
}

pub fn write(dir: &Path, bundle: &Bundle) {
    for f in &bundle.files {
        std::fs::write(dir.join(&f.name), &*f.bytes).unwrap();
    }
}

pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// Server (CN mqtt.example.test, SAN 127.0.0.1), a client trusting it, and a legacy-p12 client.
pub fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("tempus-certgen-interop-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut p = Params::server();
        p.cn = "mqtt.example.test".into();
        p.san = vec!["127.0.0.1".into(), "localhost".into()];
        let server = tempus_certgen::generate(&p, now()).unwrap();
        write(&dir, &server);
        let mut c = Params::client();
        c.cn = "device-1".into();
        c.server_certificate = Some(server.certificate_pem.clone().into_bytes());
        let client = tempus_certgen::generate(&c, now()).unwrap();
        write(&dir, &client);
        let mut l = Params::client();
        l.cn = "Gerät Köln".into();
        l.prefix = "legacy".into();
        l.legacy_pkcs12 = true;
        l.store_password = "legacy-store".to_string().into();
        l.key_password = "legacy-key".to_string().into();
        let legacy = tempus_certgen::generate(&l, now()).unwrap();
        write(&dir, &legacy);
        let mut es = Params::server();
        es.key_type = KeyType::EcP256;
        es.cn = "ec.example.test".into();
        es.prefix = "ecserver".into();
        es.san = vec!["127.0.0.1".into()];
        let ec_server = tempus_certgen::generate(&es, now()).unwrap();
        write(&dir, &ec_server);
        let mut ec = Params::client();
        ec.key_type = KeyType::EcP256;
        ec.cn = "ec-device".into();
        ec.prefix = "ecclient".into();
        ec.store_password = "ec-store".to_string().into();
        ec.key_password = "ec-key".to_string().into();
        ec.server_certificate = Some(ec_server.certificate_pem.clone().into_bytes());
        let ec_client = tempus_certgen::generate(&ec, now()).unwrap();
        write(&dir, &ec_client);
        let mut ca = Params::ca();
        ca.key_password = "ca-secret".to_string().into();
        ca.store_password = "ca-secret".to_string().into();
        let ca = tempus_certgen::generate(&ca, now()).unwrap();
        write(&dir, &ca);
        Fixture { dir, server, client, legacy, ec_server, ec_client, ca }
    })
}

pub fn run(program: &str, args: &[&str], dir: &Path) -> Output {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} must be installed for the interop tests: {e}"));
    out
}

/// Run and require success; returns stdout + stderr.
pub fn ok(program: &str, args: &[&str], dir: &Path) -> String {
    let out = run(program, args, dir);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{program} {args:?} failed:\n{text}");
    text
}

pub fn fails(program: &str, args: &[&str], dir: &Path) -> String {
    let out = run(program, args, dir);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success(), "{program} {args:?} should have failed:\n{text}");
    text
}

/// A fresh subfolder of `dir` for one test's own files.
pub fn tempdir_in(dir: &Path, name: &str) -> PathBuf {
    let d = dir.join(name);
    std::fs::create_dir_all(&d).unwrap();
    d
}
