//! Shared by the interop tests: generate both roles once into a temporary folder and run the
//! real tools on them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use tempus_certgen::issue::ca::IssuerSource;
use tempus_certgen::{Bundle, KeyType, Params, Role};

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
    /// An EC P-256 device CA (prefix ecca, password ecca-secret).
    pub ec_ca: Bundle,
    /// Leaves signed by the CAs, every pair of key types (issue 10, part 3):
    /// `caclient` RSA by deviceca (its .key.pem), `caecclient` EC by deviceca (its .p12),
    /// `eccaserver` RSA server (SAN 127.0.0.1) by ecca, `eccaecclient` EC by ecca; store and
    /// key password "leaf-pass".
    pub ca_client: Bundle,
    pub ca_ec_client: Bundle,
    pub ec_ca_server: Bundle,
    pub ec_ca_ec_client: Bundle,
}

/// The issuer option from files in `dir`, for a key without a password.
pub fn plain_issuer(dir: &Path, cert: &str, key: &str) -> IssuerSource {
    IssuerSource { password: None, ..issuer(dir, cert, key, "") }
}

/// The issuer option from files in `dir`.
pub fn issuer(dir: &Path, cert: &str, key: &str, password: &str) -> IssuerSource {
    IssuerSource {
        certificate: std::fs::read(dir.join(cert)).unwrap(),
        private_key: std::fs::read(dir.join(key)).unwrap().into(),
        password: Some(password.to_string().into()),
    }
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
        // A day longer than the leaves' 9999: made a second later, a leaf would be cut to it.
        ca.days = 10_000;
        ca.key_password = "ca-secret".to_string().into();
        ca.store_password = "ca-secret".to_string().into();
        let ca = tempus_certgen::generate(&ca, now()).unwrap();
        write(&dir, &ca);
        let mut ecca = Params::ca();
        ecca.days = 10_000;
        ecca.key_type = KeyType::EcP256;
        ecca.cn = "Tempus EC Device CA".into();
        ecca.prefix = "ecca".into();
        ecca.key_password = "ecca-secret".to_string().into();
        ecca.store_password = "ecca-secret".to_string().into();
        let ec_ca = tempus_certgen::generate(&ecca, now()).unwrap();
        write(&dir, &ec_ca);
        let leaf = |role: Role, key_type: KeyType, cn: &str, prefix: &str, by: IssuerSource| {
            let mut p = Params::new(role);
            p.key_type = key_type;
            p.cn = cn.into();
            p.prefix = prefix.into();
            p.store_password = "leaf-pass".to_string().into();
            p.key_password = "leaf-pass".to_string().into();
            if role == Role::Server {
                p.san = vec!["127.0.0.1".into()];
            }
            p.issuer = Some(by);
            let b = tempus_certgen::generate(&p, now()).unwrap();
            write(&dir, &b);
            b
        };
        let ca_client = leaf(Role::Client, KeyType::Rsa, "ca-device-1", "caclient", issuer(&dir, "deviceca.pub.pem", "deviceca.key.pem", "ca-secret"));
        let ca_ec_client = leaf(Role::Client, KeyType::EcP256, "ca-device-2", "caecclient", issuer(&dir, "deviceca.pub.pem", "deviceca.p12", "ca-secret"));
        let ec_ca_server = leaf(Role::Server, KeyType::Rsa, "mqtt.ca.test", "eccaserver", issuer(&dir, "ecca.pub.pem", "ecca.key.pem", "ecca-secret"));
        let ec_ca_ec_client = leaf(Role::Client, KeyType::EcP256, "ca-device-3", "eccaecclient", issuer(&dir, "ecca.cer", "ecca.p12", "ecca-secret"));
        Fixture { dir, server, client, legacy, ec_server, ec_client, ca, ec_ca, ca_client, ca_ec_client, ec_ca_server, ec_ca_ec_client }
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
