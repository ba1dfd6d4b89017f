//! Every file of both roles, checked by OpenSSL 3.
mod common;
use common::*;

#[test]
fn certificates_parse_verify_and_carry_the_recipes_subject() {
    let f = fixture();
    for p in ["mqttserver", "mqttclient", "legacy"] {
        let text = ok("openssl", &["x509", "-in", &format!("{p}.pub.pem"), "-noout", "-text"], &f.dir);
        assert!(text.contains("Signature Algorithm: sha256WithRSAEncryption"), "{text}");
        assert!(text.contains("Public-Key: (2048 bit)"), "{text}");
        // An end entity that is its own trust anchor: CA:FALSE, and no keyCertSign.
        assert!(text.contains("X509v3 Basic Constraints: critical\n                CA:FALSE"), "{text}");
        assert!(text.contains("X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment\n"), "{text}");
        ok("openssl", &["verify", "-CAfile", &format!("{p}.pub.pem"), &format!("{p}.pub.pem")], &f.dir);
        // The DER file is the same certificate.
        let a = ok("openssl", &["x509", "-in", &format!("{p}.cer"), "-inform", "DER", "-noout", "-fingerprint", "-sha256"], &f.dir);
        let b = ok("openssl", &["x509", "-in", &format!("{p}.pub.pem"), "-noout", "-fingerprint", "-sha256"], &f.dir);
        assert_eq!(a, b);
    }
    let subject = ok("openssl", &["x509", "-in", "mqttserver.pub.pem", "-noout", "-subject", "-nameopt", "RFC2253"], &f.dir);
    assert_eq!(subject.trim(), "subject=CN=mqtt.example.test,OU=Tempus,O=Tempus,L=Roswell,ST=GA,C=US");
    let subject = ok("openssl", &["x509", "-in", "mqttclient.pub.pem", "-noout", "-subject"], &f.dir);
    assert_eq!(subject.trim(), "subject=C = US, ST = GA, L = Roswell, O = Tempus, OU = Tempus, CN = device-1");
    let text = ok("openssl", &["x509", "-in", "mqttserver.pub.pem", "-noout", "-ext", "subjectAltName,extendedKeyUsage"], &f.dir);
    assert!(text.contains("DNS:mqtt.example.test, IP Address:127.0.0.1, DNS:localhost"), "{text}");
    assert!(text.contains("TLS Web Server Authentication"), "{text}");
    let text = ok("openssl", &["x509", "-in", "mqttclient.pub.pem", "-noout", "-ext", "extendedKeyUsage"], &f.dir);
    assert!(text.contains("TLS Web Client Authentication"), "{text}");
    // The end entity purpose checks for the role.
    ok("openssl", &["verify", "-purpose", "sslserver", "-CAfile", "mqttserver.pub.pem", "mqttserver.pub.pem"], &f.dir);
    ok("openssl", &["verify", "-purpose", "sslclient", "-CAfile", "mqttclient.pub.pem", "mqttclient.pub.pem"], &f.dir);
    // 9999 days from now reaches past 2049: GeneralizedTime.
    let asn1 = ok("openssl", &["asn1parse", "-in", "mqttclient.pub.pem"], &f.dir);
    assert!(asn1.contains("UTCTIME") && asn1.contains("GENERALIZEDTIME"), "{asn1}");
}

#[test]
fn a_certificate_does_not_verify_against_another() {
    let f = fixture();
    let text = fails("openssl", &["verify", "-CAfile", "mqttserver.pub.pem", "mqttclient.pub.pem"], &f.dir);
    assert!(text.contains("unable to get local issuer certificate") || text.contains("error"), "{text}");
}

/// Issue 13: whoever holds a device's key must not be able to mint certificates that chain to
/// that device's certificate (a broker that trusts device certificates and takes identity from
/// the subject would let one device pose as another).
#[test]
fn a_certificate_signed_with_a_devices_key_does_not_verify_against_it() {
    let f = fixture();
    let dir = tempdir_in(&f.dir, "forged");
    let forged_key = dir.join("forged.key");
    let csr = dir.join("forged.csr");
    let forged = dir.join("forged.pem");
    let p = |x: &std::path::Path| x.to_str().unwrap().to_string();
    ok("openssl", &["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", &p(&forged_key), "-subj", "/CN=device-2", "-out", &p(&csr)], &f.dir);
    // openssl signs with the device's key as the issuer, as an attacker holding it would.
    ok(
        "openssl",
        &["x509", "-req", "-in", &p(&csr), "-CA", "mqttclient.pub.pem", "-CAkey", "mqttclient.nopass.pem", "-CAcreateserial", "-days", "30", "-out", &p(&forged)],
        &f.dir,
    );
    let issuer = ok("openssl", &["x509", "-in", &p(&forged), "-noout", "-issuer"], &f.dir);
    assert!(issuer.contains("CN = device-1"), "{issuer}");
    let text = fails("openssl", &["verify", "-CAfile", "mqttclient.pub.pem", &p(&forged)], &f.dir);
    assert!(text.contains("key usage does not include certificate signing") || text.contains("invalid CA certificate"), "{text}");
    // The same with the device's certificate as an untrusted intermediate under a trusted one.
    fails("openssl", &["verify", "-partial_chain", "-CAfile", "mqttclient.pub.pem", &p(&forged)], &f.dir);
}

#[test]
fn keys_check_and_match_the_certificates() {
    let f = fixture();
    for p in ["mqttserver", "mqttclient"] {
        let text = ok("openssl", &["pkey", "-in", &format!("{p}.nopass.pem"), "-check", "-noout"], &f.dir);
        assert!(text.contains("Key is valid"), "{text}");
        ok("openssl", &["rsa", "-in", &format!("{p}.nopass.pem"), "-check", "-noout"], &f.dir);
        let key_pub = ok("openssl", &["pkey", "-in", &format!("{p}.nopass.pem"), "-pubout"], &f.dir);
        let cert_pub = ok("openssl", &["x509", "-in", &format!("{p}.nopass.pem"), "-noout", "-pubkey"], &f.dir);
        assert_eq!(key_pub, cert_pub, "the key in {p}.nopass.pem belongs to its certificate");
    }
    // The client's encrypted key opens with the key password only, and is PBES2/AES-256/SHA-256.
    let text = ok("openssl", &["pkey", "-in", "mqttclient.pem", "-passin", "pass:password", "-check", "-noout"], &f.dir);
    assert!(text.contains("Key is valid"), "{text}");
    fails("openssl", &["pkey", "-in", "mqttclient.pem", "-passin", "pass:wrong-password", "-noout"], &f.dir);
    let text = ok("openssl", &["asn1parse", "-in", "mqttclient.pem"], &f.dir);
    for what in ["PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc"] {
        assert!(text.contains(what), "{what} in\n{text}");
    }
    let text = ok("openssl", &["pkey", "-in", "legacy.pem", "-passin", "pass:legacy-key", "-check", "-noout"], &f.dir);
    assert!(text.contains("Key is valid"), "{text}");
}

#[test]
fn pkcs12_files_open_with_the_store_password() {
    let f = fixture();
    let text = ok("openssl", &["pkcs12", "-in", "mqttserver.p12", "-info", "-noout", "-passin", "pass:server_ks_password"], &f.dir);
    // Every password-derived key at 10,000 rounds (issue 23): a guess at the MAC or the
    // certificate bag costs what one at the key bag (or the .pem) does.
    assert!(text.contains("MAC: sha256, Iteration 10000"), "{text}");
    assert!(text.contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256"), "{text}");
    assert!(text.contains("PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256"), "{text}");
    let text = ok("openssl", &["pkcs12", "-in", "mqttclient.p12", "-nodes", "-passin", "pass:password"], &f.dir);
    assert!(text.contains("friendlyName: clientalias"), "{text}");
    assert!(text.contains("friendlyName: serveralias"), "{text}");
    assert_eq!(text.matches("BEGIN CERTIFICATE").count(), 2, "{text}");
    assert_eq!(text.matches("BEGIN PRIVATE KEY").count(), 1, "{text}");
    fails("openssl", &["pkcs12", "-in", "mqttclient.p12", "-info", "-noout", "-passin", "pass:wrong-password"], &f.dir);
    // Legacy form: 3DES and SHA-1, which OpenSSL 3 reads only with -legacy.
    let text = ok("openssl", &["pkcs12", "-legacy", "-in", "legacy.p12", "-info", "-nodes", "-passin", "pass:legacy-store"], &f.dir);
    assert!(text.contains("MAC: sha1, Iteration 10000"), "{text}");
    assert!(text.contains("pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 10000"), "{text}");
}

#[test]
fn credentials_id_matches_openssl_sha3_of_the_trimmed_pem() {
    let f = fixture();
    for b in [&f.server, &f.client] {
        let trimmed = tempus_certgen::tempus::platform_trim(&b.certificate_pem);
        let path = f.dir.join(format!("{}.trimmed", b.prefix));
        std::fs::write(&path, trimmed).unwrap();
        let text = ok("openssl", &["dgst", "-sha3-256", "-r", path.to_str().unwrap()], &f.dir);
        assert_eq!(text.split_whitespace().next().unwrap(), b.credentials_id);
    }
}

#[test]
fn files_built_with_pbkdf2_keys_made_ahead_open_with_their_passwords() {
    // The browser's path: the PBKDF2 keys made by one worker during the prime race, the files
    // by another around the two primes.
    let dir = std::env::temp_dir().join(format!("tempus-certgen-derived-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut c = tempus_certgen::Params::client();
    c.cn = "derived-ahead".into();
    c.store_password = "store-secret".to_string().into();
    c.key_password = "key-secret".to_string().into();
    let derived = tempus_certgen::derive_keys(&c).unwrap();
    assert_eq!(derived.len(), 3, "the .p12 key and certificate bags' and the .pem key's");
    // Through the bytes that cross between workers.
    let mut derived_copy = tempus_certgen::formats::pbe::Derived::from_bytes(&derived.to_bytes()).unwrap();
    let bundle = loop {
        let p = tempus_certgen::generate_prime(1024).unwrap();
        let q = tempus_certgen::generate_prime(1024).unwrap();
        if let Some(b) = tempus_certgen::generate_from_primes(&c, &p, &q, now(), &mut derived_copy).unwrap() {
            break b;
        }
    };
    assert!(derived_copy.is_empty(), "every key made ahead was used");
    write(&dir, &bundle);
    let text = ok("openssl", &["pkcs12", "-in", "mqttclient.p12", "-info", "-nodes", "-passin", "pass:store-secret"], &dir);
    assert!(text.contains("BEGIN PRIVATE KEY"), "{text}");
    fails("openssl", &["pkcs12", "-in", "mqttclient.p12", "-info", "-nodes", "-passin", "pass:key-secret"], &dir);
    let text = ok("openssl", &["pkey", "-in", "mqttclient.pem", "-passin", "pass:key-secret", "-check", "-noout"], &dir);
    assert!(text.contains("Key is valid"), "{text}");
    fails("openssl", &["pkey", "-in", "mqttclient.pem", "-passin", "pass:store-secret", "-noout"], &dir);
    ok("keytool", &["-list", "-storetype", "PKCS12", "-keystore", "mqttclient.p12", "-storepass", "store-secret"], &dir);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 10, part 1: EC P-256 keys in every file, checked by OpenSSL.
#[test]
fn ec_p256_files_check_with_openssl() {
    let f = fixture();
    for p in ["ecserver", "ecclient"] {
        let text = ok("openssl", &["x509", "-in", &format!("{p}.pub.pem"), "-noout", "-text"], &f.dir);
        assert!(text.contains("Signature Algorithm: ecdsa-with-SHA256"), "{text}");
        assert!(text.contains("Public Key Algorithm: id-ecPublicKey") && text.contains("ASN1 OID: prime256v1"), "{text}");
        assert!(text.contains("Public-Key: (256 bit)"), "{text}");
        // An EC key only signs: digitalSignature, no keyEncipherment; and an end entity.
        assert!(text.contains("X509v3 Key Usage: critical\n                Digital Signature\n"), "{text}");
        assert!(text.contains("CA:FALSE"), "{text}");
        ok("openssl", &["verify", "-CAfile", &format!("{p}.pub.pem"), &format!("{p}.pub.pem")], &f.dir);
        let key = ok("openssl", &["pkey", "-in", &format!("{p}.nopass.pem"), "-check", "-noout"], &f.dir);
        assert!(key.contains("Key is valid"), "{key}");
        ok("openssl", &["ec", "-in", &format!("{p}.nopass.pem"), "-check", "-noout"], &f.dir);
        let key_pub = ok("openssl", &["pkey", "-in", &format!("{p}.nopass.pem"), "-pubout"], &f.dir);
        let cert_pub = ok("openssl", &["x509", "-in", &format!("{p}.pub.pem"), "-noout", "-pubkey"], &f.dir);
        assert_eq!(key_pub, cert_pub, "the key in {p}.nopass.pem belongs to its certificate");
        // PKCS#8 with the named curve, and an uncompressed point in the certificate.
        let asn1 = ok("openssl", &["asn1parse", "-in", &format!("{p}.nopass.pem")], &f.dir);
        assert!(asn1.contains("id-ecPublicKey") && asn1.contains("prime256v1"), "{asn1}");
        let point = ok("openssl", &["x509", "-in", &format!("{p}.pub.pem"), "-noout", "-text", "-certopt", "no_sigdump"], &f.dir);
        assert!(point.contains("pub:\n                    04:"), "uncompressed point (04): {point}");
    }
    ok("openssl", &["verify", "-purpose", "sslserver", "-CAfile", "ecserver.pub.pem", "ecserver.pub.pem"], &f.dir);
    ok("openssl", &["verify", "-purpose", "sslclient", "-CAfile", "ecclient.pub.pem", "ecclient.pub.pem"], &f.dir);
    let text = ok("openssl", &["pkey", "-in", "ecclient.pem", "-passin", "pass:ec-key", "-check", "-noout"], &f.dir);
    assert!(text.contains("Key is valid"), "{text}");
    fails("openssl", &["pkey", "-in", "ecclient.pem", "-passin", "pass:password", "-noout"], &f.dir);
    let text = ok("openssl", &["pkcs12", "-in", "ecclient.p12", "-nodes", "-passin", "pass:ec-store"], &f.dir);
    assert_eq!(text.matches("BEGIN CERTIFICATE").count(), 2, "{text}");
    assert_eq!(text.matches("BEGIN PRIVATE KEY").count(), 1, "{text}");
}

/// Issue 10, part 2: the device CA's files, and that it really is a CA with path length 0:
/// openssl issues a leaf with its key that verifies against it, and a sub-CA's leaf does not.
#[test]
fn device_ca_signs_leaves_and_nothing_deeper() {
    let f = fixture();
    let text = ok("openssl", &["x509", "-in", "deviceca.pub.pem", "-noout", "-text"], &f.dir);
    assert!(text.contains("X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:0"), "{text}");
    assert!(text.contains("X509v3 Key Usage: critical\n                Digital Signature, Certificate Sign, CRL Sign"), "{text}");
    assert!(text.contains("X509v3 Subject Key Identifier"), "{text}");
    assert!(!text.contains("Extended Key Usage"), "{text}");
    assert!(text.contains("Subject: C = US, ST = GA, L = Roswell, O = Tempus, OU = Tempus, CN = Tempus Device CA"), "{text}");
    let a = ok("openssl", &["x509", "-in", "deviceca.cer", "-inform", "DER", "-noout", "-fingerprint", "-sha256"], &f.dir);
    let b = ok("openssl", &["x509", "-in", "deviceca.pub.pem", "-noout", "-fingerprint", "-sha256"], &f.dir);
    assert_eq!(a, b);
    // The key: PKCS#8 encrypted (PBES2) with the key password, nothing else in the file.
    let key = std::fs::read_to_string(f.dir.join("deviceca.key.pem")).unwrap();
    assert!(key.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n") && !key.contains("CERTIFICATE"), "{key}");
    ok("openssl", &["pkey", "-in", "deviceca.key.pem", "-passin", "pass:ca-secret", "-check", "-noout"], &f.dir);
    fails("openssl", &["pkey", "-in", "deviceca.key.pem", "-passin", "pass:password", "-noout"], &f.dir);
    let p12 = ok("openssl", &["pkcs12", "-in", "deviceca.p12", "-nodes", "-passin", "pass:ca-secret"], &f.dir);
    assert!(p12.contains("friendlyName: caalias"), "{p12}");
    assert_eq!(p12.matches("BEGIN CERTIFICATE").count(), 1, "{p12}");
    assert_eq!(p12.matches("BEGIN PRIVATE KEY").count(), 1, "{p12}");

    let dir = tempdir_in(&f.dir, "ca-issued");
    let path = |n: &str| dir.join(n).to_str().unwrap().to_string();
    let issue = |name: &str, ca: &str, ca_key: &str, ca_pass: &str, ext: &str| {
        ok("openssl", &["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", &path(&format!("{name}.key")), "-subj", &format!("/CN={name}"), "-out", &path(&format!("{name}.csr"))], &f.dir);
        std::fs::write(dir.join(format!("{name}.ext")), ext).unwrap();
        ok(
            "openssl",
            &["x509", "-req", "-in", &path(&format!("{name}.csr")), "-CA", ca, "-CAkey", ca_key, "-passin", ca_pass, "-CAcreateserial", "-days", "30",
              "-extfile", &path(&format!("{name}.ext")), "-out", &path(&format!("{name}.pem"))],
            &f.dir,
        );
    };
    issue("device-7", "deviceca.pub.pem", "deviceca.key.pem", "pass:ca-secret", "basicConstraints=critical,CA:FALSE\nextendedKeyUsage=clientAuth\n");
    ok("openssl", &["verify", "-CAfile", "deviceca.pub.pem", &path("device-7.pem")], &f.dir);
    // pathlen 0: an intermediate under it cannot anchor a leaf.
    issue("sub-ca", "deviceca.pub.pem", "deviceca.key.pem", "pass:ca-secret", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n");
    issue("deep", &path("sub-ca.pem"), &path("sub-ca.key"), "pass:x", "basicConstraints=critical,CA:FALSE\n");
    let text = fails("openssl", &["verify", "-CAfile", "deviceca.pub.pem", "-untrusted", &path("sub-ca.pem"), &path("deep.pem")], &f.dir);
    assert!(text.contains("path length constraint exceeded"), "{text}");
}

/// Issue 10, part 3: leaves signed by a device CA, every pair of key types; the signature
/// follows the CA's key, the chain files hold leaf then CA, and openssl verifies each leaf
/// against its CA alone.
#[test]
fn ca_signed_leaves_verify_and_carry_their_chain() {
    let f = fixture();
    let cases = [
        ("caclient", "deviceca", "sha256WithRSAEncryption", "Public-Key: (2048 bit)", "sslclient"),
        ("caecclient", "deviceca", "sha256WithRSAEncryption", "Public-Key: (256 bit)", "sslclient"),
        ("eccaserver", "ecca", "ecdsa-with-SHA256", "Public-Key: (2048 bit)", "sslserver"),
        ("eccaecclient", "ecca", "ecdsa-with-SHA256", "Public-Key: (256 bit)", "sslclient"),
    ];
    for (p, ca, sig, key, purpose) in cases {
        let leaf = format!("{p}.pub.pem");
        let ca_pem = format!("{ca}.pub.pem");
        let text = ok("openssl", &["x509", "-in", &leaf, "-noout", "-text"], &f.dir);
        assert!(text.contains(&format!("Signature Algorithm: {sig}")), "{p}: {text}");
        assert!(text.contains(key), "{p}: {text}");
        assert!(text.contains("CA:FALSE"), "{p}: {text}");
        let ca_subject = ok("openssl", &["x509", "-in", &ca_pem, "-noout", "-subject"], &f.dir);
        let issuer = ok("openssl", &["x509", "-in", &leaf, "-noout", "-issuer"], &f.dir);
        assert_eq!(issuer.trim_start_matches("issuer="), ca_subject.trim_start_matches("subject="), "{p}");
        // AKI = the CA's SKI.
        let ski = ok("openssl", &["x509", "-in", &ca_pem, "-noout", "-ext", "subjectKeyIdentifier"], &f.dir);
        let aki = ok("openssl", &["x509", "-in", &leaf, "-noout", "-ext", "authorityKeyIdentifier"], &f.dir);
        let ski = ski.lines().nth(1).unwrap().trim().to_string();
        assert!(aki.contains(&ski), "{p}: AKI {aki} is the CA's SKI {ski}");
        ok("openssl", &["verify", "-CAfile", &ca_pem, &leaf], &f.dir);
        ok("openssl", &["verify", "-purpose", purpose, "-CAfile", &ca_pem, &leaf], &f.dir);
        // Not against the other CA, and not against itself (it is no anchor).
        let other = if ca == "deviceca" { "ecca.pub.pem" } else { "deviceca.pub.pem" };
        fails("openssl", &["verify", "-CAfile", other, &leaf], &f.dir);
        fails("openssl", &["verify", "-CAfile", &leaf, &leaf], &f.dir);
        // P.chain.pem: the leaf, then the CA.
        let chain = std::fs::read_to_string(f.dir.join(format!("{p}.chain.pem"))).unwrap();
        let leaf_text = std::fs::read_to_string(f.dir.join(&leaf)).unwrap();
        let ca_text = std::fs::read_to_string(f.dir.join(&ca_pem)).unwrap();
        assert_eq!(chain, format!("{leaf_text}{ca_text}"), "{p}");
        ok("openssl", &["verify", "-CAfile", &ca_pem, "-untrusted", &format!("{p}.chain.pem"), &leaf], &f.dir);
        // .nopass.pem: key, leaf, CA; the key belongs to the leaf.
        let nopass = std::fs::read_to_string(f.dir.join(format!("{p}.nopass.pem"))).unwrap();
        assert!(nopass.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{p}");
        assert!(nopass.ends_with(&chain), "{p}: the key, then the chain");
        let key_pub = ok("openssl", &["pkey", "-in", &format!("{p}.nopass.pem"), "-pubout"], &f.dir);
        let cert_pub = ok("openssl", &["x509", "-in", &leaf, "-noout", "-pubkey"], &f.dir);
        assert_eq!(key_pub, cert_pub, "{p}");
        // The .p12 holds both certificates and the key.
        let p12 = ok("openssl", &["pkcs12", "-in", &format!("{p}.p12"), "-nodes", "-passin", "pass:leaf-pass"], &f.dir);
        assert_eq!(p12.matches("BEGIN CERTIFICATE").count(), 2, "{p}: {p12}");
        assert_eq!(p12.matches("BEGIN PRIVATE KEY").count(), 1, "{p}");
        if p != "eccaserver" {
            let pem = std::fs::read_to_string(f.dir.join(format!("{p}.pem"))).unwrap();
            assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n") && pem.ends_with(&chain), "{p}");
            ok("openssl", &["pkey", "-in", &format!("{p}.pem"), "-passin", "pass:leaf-pass", "-check", "-noout"], &f.dir);
        }
    }
    // The leaf's serial is random and positive, at least 64 bits.
    let serial = ok("openssl", &["x509", "-in", "caclient.pub.pem", "-noout", "-serial"], &f.dir);
    assert!(serial.trim().trim_start_matches("serial=").len() >= 16, "{serial}");
    assert_eq!(f.ca_client.issuer.as_deref(), Some("CN=Tempus Device CA, OU=Tempus, O=Tempus, L=Roswell, ST=GA, C=US"));
    assert!(!f.ca_client.validity_cut && f.ca.issuer.is_none());
}

/// A leaf never outlives its CA: notAfter is cut to the CA's, and the bundle says so.
#[test]
fn a_leaf_is_cut_to_its_cas_validity() {
    use tempus_certgen::{Params, Role};
    let f = fixture();
    let dir = tempdir_in(&f.dir, "short-ca");
    let mut ca = Params::ca();
    ca.days = 30;
    ca.key_type = tempus_certgen::KeyType::EcP256;
    ca.key_password = "short-ca".to_string().into();
    ca.store_password = "short-ca".to_string().into();
    let ca = tempus_certgen::generate(&ca, now()).unwrap();
    write(&dir, &ca);
    let mut leaf = Params::new(Role::Client);
    leaf.issuer = Some(issuer(&dir, "deviceca.pub.pem", "deviceca.key.pem", "short-ca"));
    let b = tempus_certgen::generate(&leaf, now()).unwrap();
    assert!(b.validity_cut);
    assert_eq!(b.not_after, ca.not_after);
    write(&dir, &b);
    let a = ok("openssl", &["x509", "-in", "mqttclient.pub.pem", "-noout", "-enddate"], &dir);
    let c = ok("openssl", &["x509", "-in", "deviceca.pub.pem", "-noout", "-enddate"], &dir);
    assert_eq!(a, c);
    ok("openssl", &["verify", "-CAfile", "deviceca.pub.pem", "mqttclient.pub.pem"], &dir);
    // After the CA's end, nothing is issued.
    let e = tempus_certgen::generate(&leaf, ca.not_after + 1).err().unwrap();
    assert_eq!(e.field(), Some(tempus_certgen::Field::CaCertificate));
    assert!(e.to_string().contains("expired"), "{e}");
}

/// CA keys made by other tools: every form openssl writes, encrypted or not, signs a leaf that
/// verifies; other key kinds are refused by name.
#[test]
fn foreign_ca_keys_in_every_form_sign() {
    use tempus_certgen::{Field, Params};
    let f = fixture();
    let dir = tempdir_in(&f.dir, "foreign-ca");
    let ca_ext = ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"];
    // RSA CA: PKCS#8 encrypted (openssl's default) ...
    let mut args = vec!["req", "-x509", "-newkey", "rsa:2048", "-keyout", "rsa-ca.key", "-passout", "pass:foreign-pw", "-subj", "/CN=Foreign RSA CA", "-days", "30", "-out", "rsa-ca.pem"];
    args.extend(ca_ext);
    ok("openssl", &args, &dir);
    // ... and as PKCS#1, plain and with OpenSSL's PEM encryption, and DER.
    ok("openssl", &["rsa", "-in", "rsa-ca.key", "-passin", "pass:foreign-pw", "-traditional", "-out", "rsa-ca.pkcs1.key"], &dir);
    ok("openssl", &["rsa", "-in", "rsa-ca.key", "-passin", "pass:foreign-pw", "-traditional", "-des3", "-passout", "pass:foreign-pw", "-out", "rsa-ca.pkcs1enc.key"], &dir);
    ok("openssl", &["pkey", "-in", "rsa-ca.key", "-passin", "pass:foreign-pw", "-outform", "DER", "-out", "rsa-ca.pkcs8.der"], &dir);
    ok("openssl", &["pkcs12", "-export", "-in", "rsa-ca.pem", "-inkey", "rsa-ca.key", "-passin", "pass:foreign-pw", "-passout", "pass:foreign-pw", "-out", "rsa-ca.p12"], &dir);
    // EC CA: SEC1 plain and encrypted, PKCS#8 with PBKDF2-SHA1 and AES-128.
    ok("openssl", &["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec-ca.sec1.key"], &dir);
    let mut args = vec!["req", "-x509", "-key", "ec-ca.sec1.key", "-subj", "/CN=Foreign EC CA", "-days", "30", "-out", "ec-ca.pem"];
    args.extend(ca_ext);
    ok("openssl", &args, &dir);
    ok("openssl", &["ec", "-in", "ec-ca.sec1.key", "-aes256", "-passout", "pass:foreign-pw", "-out", "ec-ca.sec1enc.key"], &dir);
    ok("openssl", &["ec", "-in", "ec-ca.sec1.key", "-outform", "DER", "-out", "ec-ca.sec1.der"], &dir);
    ok("openssl", &["pkcs8", "-topk8", "-in", "ec-ca.sec1.key", "-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA1", "-passout", "pass:foreign-pw", "-out", "ec-ca.pkcs8sha1.key"], &dir);
    let cases = [
        ("rsa-ca.pem", "rsa-ca.key", Some("foreign-pw")),
        ("rsa-ca.pem", "rsa-ca.pkcs1.key", None),
        ("rsa-ca.pem", "rsa-ca.pkcs1enc.key", Some("foreign-pw")),
        ("rsa-ca.pem", "rsa-ca.pkcs8.der", None),
        ("rsa-ca.pem", "rsa-ca.p12", Some("foreign-pw")),
        ("ec-ca.pem", "ec-ca.sec1.key", None),
        ("ec-ca.pem", "ec-ca.sec1enc.key", Some("foreign-pw")),
        ("ec-ca.pem", "ec-ca.sec1.der", None),
        ("ec-ca.pem", "ec-ca.pkcs8sha1.key", Some("foreign-pw")),
    ];
    for (i, (cert, key, pw)) in cases.iter().enumerate() {
        let mut p = Params::client();
        p.prefix = format!("leaf{i}");
        p.key_type = tempus_certgen::KeyType::EcP256;
        p.issuer = Some(match pw {
            Some(pw) => issuer(&dir, cert, key, pw),
            None => plain_issuer(&dir, cert, key),
        });
        let b = tempus_certgen::generate(&p, now()).unwrap_or_else(|e| panic!("{key}: {e}"));
        write(&dir, &b);
        ok("openssl", &["verify", "-CAfile", cert, &format!("leaf{i}.pub.pem")], &dir);
        // Without the password, or with a wrong one, an encrypted key is refused by field.
        if pw.is_some() {
            let mut p2 = p.clone();
            p2.issuer.as_mut().unwrap().password = Some("not-the-pw".to_string().into());
            let e = tempus_certgen::generate(&p2, now()).err().unwrap();
            assert_eq!((e.code(), e.field()), ("wrong_password", Some(Field::CaPassword)), "{key}: {e}");
        }
    }
    // Refused, naming what was found.
    ok("openssl", &["genpkey", "-algorithm", "ed25519", "-out", "ed.key"], &dir);
    ok("openssl", &["ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", "p384.key"], &dir);
    ok("openssl", &["genrsa", "-out", "small.key", "1024"], &dir);
    for (key, says) in [("ed.key", "Ed25519"), ("p384.key", "P-384"), ("small.key", "1024 bits"), ("rsa-ca.pem", "certificate, not a private key")] {
        let mut p = Params::client();
        p.issuer = Some(plain_issuer(&dir, "rsa-ca.pem", key));
        let e = tempus_certgen::generate(&p, now()).err().unwrap();
        assert_eq!(e.field(), Some(Field::CaKey), "{key}: {e}");
        assert!(e.to_string().contains(says), "{key}: {e}");
    }
}

/// What is refused before anything is made: a key of another CA, a certificate that is no CA,
/// a CA whose keyUsage lacks keyCertSign (one without keyUsage is fine), an unreadable file.
#[test]
fn wrong_cas_are_refused_by_field() {
    use tempus_certgen::{Field, Params};
    let f = fixture();
    let dir = tempdir_in(&f.dir, "wrong-ca");
    ok("openssl", &["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "nocertsign.key", "-subj", "/CN=No certsign",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,digitalSignature", "-days", "30", "-out", "nocertsign.pem"], &dir);
    // No keyUsage and no subject key identifier: valid; the AKI is computed from its key.
    ok("openssl", &["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "bare.key", "-subj", "/CN=Bare CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "subjectKeyIdentifier=none", "-addext", "authorityKeyIdentifier=none", "-days", "30", "-out", "bare.pem"], &dir);
    let text = ok("openssl", &["x509", "-in", "bare.pem", "-noout", "-text"], &dir);
    assert!(!text.contains("Key Usage") && !text.contains("Subject Key Identifier"), "{text}");
    let mut p = Params::client();
    p.issuer = Some(plain_issuer(&dir, "bare.pem", "bare.key"));
    let b = tempus_certgen::generate(&p, now()).unwrap();
    write(&dir, &b);
    ok("openssl", &["verify", "-CAfile", "bare.pem", "mqttclient.pub.pem"], &dir);
    let aki = ok("openssl", &["x509", "-in", "mqttclient.pub.pem", "-noout", "-ext", "authorityKeyIdentifier"], &dir);
    assert!(aki.lines().count() >= 2, "an AKI computed from the CA's key: {aki}");

    let cases: [(tempus_certgen::issue::ca::IssuerSource, Field, &str); 5] = [
        (issuer(&f.dir, "deviceca.pub.pem", "ecca.key.pem", "ecca-secret"), Field::CaKey, "does not belong"),
        (issuer(&f.dir, "mqttclient.pub.pem", "mqttclient.nopass.pem", ""), Field::CaCertificate, "not a CA"),
        (plain_issuer(&dir, "nocertsign.pem", "nocertsign.key"), Field::CaCertificate, "keyCertSign"),
        (issuer(&f.dir, "deviceca.pub.pem", "deviceca.key.pem", "wrong-pass"), Field::CaPassword, "is wrong"),
        (issuer(&f.dir, "deviceca.key.pem", "deviceca.key.pem", "ca-secret"), Field::CaCertificate, "certificate"),
    ];
    for (src, field, says) in cases {
        let mut p = Params::client();
        p.issuer = Some(src);
        let e = p.validate().err().unwrap();
        assert_eq!(e.field(), Some(field), "{e}");
        assert!(e.to_string().contains(says), "{e}");
        assert!(e.is_input(), "{e}");
    }
    // A device CA is self-signed: no issuer for the ca role.
    let mut p = Params::ca();
    p.key_password = "ca-secret".to_string().into();
    p.store_password = "ca-secret".to_string().into();
    p.issuer = Some(issuer(&f.dir, "deviceca.pub.pem", "deviceca.key.pem", "ca-secret"));
    assert_eq!(p.validate().err().unwrap().field(), Some(Field::CaCertificate));
}

/// Issue 10, part 4: a request made here verifies with openssl, the CA's answer chains to the
/// CA, and the files assembled around the key and that answer carry the chain.
#[test]
fn request_sign_assemble_round_trip() {
    use tempus_certgen::{AssembleSource, Field, KeyType, Params, Role, SignOptions};
    let f = fixture();
    let dir = tempdir_in(&f.dir, "csr-flow");
    for (i, key_type) in [KeyType::Rsa, KeyType::EcP256].into_iter().enumerate() {
        let prefix = format!("req{i}");
        let mut p = Params::client();
        p.cn = format!("device-req-{i}");
        p.key_type = key_type;
        p.prefix = prefix.clone();
        p.key_password = "req-key-pw".to_string().into();
        p.san = vec!["device.example.test".into(), "ip:10.1.2.3".into()];
        let req = tempus_certgen::create_request(&p).unwrap();
        let names: Vec<&str> = req.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, [format!("{prefix}.csr"), format!("{prefix}.key.pem")]);
        assert!(!req.files[0].secret && req.files[1].secret);
        for file in &req.files {
            std::fs::write(dir.join(&file.name), &*file.bytes).unwrap();
        }
        let text = ok("openssl", &["req", "-in", &format!("{prefix}.csr"), "-verify", "-noout", "-text"], &dir);
        assert!(text.contains("verify OK") || text.contains("Certificate request self-signature verify OK"), "{text}");
        assert!(text.contains(&format!("Subject: C = US, ST = GA, L = Roswell, O = Tempus, OU = Tempus, CN = device-req-{i}")), "{text}");
        assert!(text.contains("DNS:device.example.test, IP Address:10.1.2.3"), "{text}");
        ok("openssl", &["pkey", "-in", &format!("{prefix}.key.pem"), "-passin", "pass:req-key-pw", "-check", "-noout"], &dir);
        let csr_pub = ok("openssl", &["req", "-in", &format!("{prefix}.csr"), "-noout", "-pubkey"], &dir);
        let key_pub = ok("openssl", &["pkey", "-in", &format!("{prefix}.key.pem"), "-passin", "pass:req-key-pw", "-pubout"], &dir);
        assert_eq!(csr_pub, key_pub);

        // The CA signs it (server role: the request's names are copied).
        let role = if i == 0 { Role::Client } else { Role::Server };
        let ca = if i == 0 { issuer(&f.dir, "deviceca.pub.pem", "deviceca.key.pem", "ca-secret") } else { issuer(&f.dir, "ecca.pub.pem", "ecca.p12", "ecca-secret") };
        let options = SignOptions { role, days: 365, san: vec!["extra.example.test".into()], prefix: Some(format!("signed{i}")) };
        let signed = tempus_certgen::sign_request(req.csr_pem.as_bytes(), &ca, &options, now()).unwrap();
        let names: Vec<&str> = signed.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, [format!("signed{i}.pub.pem"), format!("signed{i}.cer"), format!("signed{i}.chain.pem")]);
        write(&dir, &signed);
        let ca_pem = if i == 0 { "deviceca.pub.pem" } else { "ecca.pub.pem" };
        std::fs::copy(f.dir.join(ca_pem), dir.join(ca_pem)).unwrap();
        ok("openssl", &["verify", "-CAfile", ca_pem, &format!("signed{i}.pub.pem")], &dir);
        let cert_text = ok("openssl", &["x509", "-in", &format!("signed{i}.pub.pem"), "-noout", "-text"], &dir);
        let sans = if i == 0 { "DNS:extra.example.test" } else { "DNS:device-req-1, DNS:device.example.test, IP Address:10.1.2.3, DNS:extra.example.test" };
        assert!(cert_text.contains(sans), "{cert_text}");
        let cert_pub = ok("openssl", &["x509", "-in", &format!("signed{i}.pub.pem"), "-noout", "-pubkey"], &dir);
        assert_eq!(cert_pub, csr_pub, "the leaf holds the request's key");

        // Assembled around the key and the answer: the role's files, with the chain.
        let mut a = Params::new(role);
        a.prefix = format!("assembled{i}");
        a.key_password = "req-key-pw".to_string().into();
        a.store_password = "store-pw".to_string().into();
        let source = AssembleSource {
            key: std::fs::read(dir.join(format!("{prefix}.key.pem"))).unwrap().into(),
            certificate: std::fs::read(dir.join(format!("signed{i}.pub.pem"))).unwrap(),
            chain: Some(std::fs::read(dir.join(ca_pem)).unwrap()),
        };
        let b = tempus_certgen::assemble(&a, &source, now()).unwrap();
        assert_eq!(b.credentials_id, signed.credentials_id);
        write(&dir, &b);
        let jks = ok("keytool", &["-list", "-v", "-keystore", &format!("assembled{i}.jks"), "-storepass", "store-pw"], &dir);
        assert!(jks.contains("Certificate chain length: 2"), "{jks}");
        let p12 = ok("openssl", &["pkcs12", "-in", &format!("assembled{i}.p12"), "-nodes", "-passin", "pass:store-pw"], &dir);
        assert_eq!(p12.matches("BEGIN CERTIFICATE").count(), 2, "{p12}");
        let nopass = std::fs::read_to_string(dir.join(format!("assembled{i}.nopass.pem"))).unwrap();
        let chain = std::fs::read_to_string(dir.join(format!("signed{i}.chain.pem"))).unwrap();
        assert!(nopass.ends_with(&chain));
        // A "full chain" file (leaf first) is read as the chain above the leaf.
        let full = AssembleSource { chain: Some(chain.clone().into_bytes()), ..AssembleSource { key: source.key.clone(), certificate: source.certificate.clone(), chain: None } };
        assert_eq!(tempus_certgen::assemble(&a, &full, now()).unwrap().files.len(), b.files.len());
        // Another key's certificate, a wrong key password, a chain of the wrong CA: refused by field.
        let wrong_cert = AssembleSource { certificate: std::fs::read(f.dir.join("caclient.pub.pem")).unwrap(), ..AssembleSource { key: source.key.clone(), certificate: vec![], chain: None } };
        assert_eq!(tempus_certgen::assemble(&a, &wrong_cert, now()).err().unwrap().field(), Some(Field::IssuedCertificate));
        let mut wrong_pw = a.clone();
        wrong_pw.key_password = "not-the-pw".to_string().into();
        assert_eq!(tempus_certgen::assemble(&wrong_pw, &source, now()).err().unwrap().code(), "wrong_password");
        let other_ca = if i == 0 { "ecca.pub.pem" } else { "deviceca.pub.pem" };
        let wrong_chain = AssembleSource { chain: Some(std::fs::read(f.dir.join(other_ca)).unwrap()), ..AssembleSource { key: source.key.clone(), certificate: source.certificate.clone(), chain: None } };
        let e = tempus_certgen::assemble(&a, &wrong_chain, now()).err().unwrap();
        assert_eq!(e.field(), Some(Field::Chain), "{e}");
    }
}

/// What a request may ask for is not what it gets: openssl requests with CA:TRUE and
/// keyCertSign get an end-entity certificate; a tampered request, one for the CA's own name and
/// one with another kind of key are refused, naming the request.
#[test]
fn requests_are_checked_and_not_obeyed() {
    use tempus_certgen::{Field, Role, SignOptions};
    let f = fixture();
    let dir = tempdir_in(&f.dir, "csr-checks");
    ok("openssl", &["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "greedy.key", "-subj", "/CN=greedy-device",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign", "-addext", "subjectAltName=DNS:greedy.test,email:x@y.test",
        "-out", "greedy.csr"], &dir);
    let ca = issuer(&f.dir, "deviceca.pub.pem", "deviceca.key.pem", "ca-secret");
    let options = |role| SignOptions { role, days: 30, san: vec![], prefix: None };
    let csr = std::fs::read(dir.join("greedy.csr")).unwrap();
    let b = tempus_certgen::sign_request(&csr, &ca, &options(Role::Server), now()).unwrap();
    assert_eq!(b.prefix, "mqttserver");
    write(&dir, &b);
    std::fs::copy(f.dir.join("deviceca.pub.pem"), dir.join("deviceca.pub.pem")).unwrap();
    let text = ok("openssl", &["x509", "-in", "mqttserver.pub.pem", "-noout", "-text"], &dir);
    assert!(text.contains("CA:FALSE") && !text.contains("Certificate Sign"), "{text}");
    assert!(text.contains("TLS Web Server Authentication"), "{text}");
    assert!(text.contains("DNS:greedy-device, DNS:greedy.test") && !text.contains("email"), "{text}");
    ok("openssl", &["verify", "-purpose", "sslserver", "-CAfile", "deviceca.pub.pem", "mqttserver.pub.pem"], &dir);
    // DER works too; the client role copies no names.
    ok("openssl", &["req", "-in", "greedy.csr", "-outform", "DER", "-out", "greedy.der"], &dir);
    let b = tempus_certgen::sign_request(&std::fs::read(dir.join("greedy.der")).unwrap(), &ca, &options(Role::Client), now()).unwrap();
    write(&dir, &b);
    let text = ok("openssl", &["x509", "-in", "mqttclient.pub.pem", "-noout", "-text"], &dir);
    assert!(!text.contains("Subject Alternative Name") && text.contains("TLS Web Client Authentication"), "{text}");

    // Tampered: the subject changed after signing (CN=greedy-device -> CN=greedy-devicf).
    let mut tampered = std::fs::read(dir.join("greedy.der")).unwrap();
    let at = tampered.windows(13).position(|w| w == b"greedy-device").unwrap();
    tampered[at + 12] = b'f';
    ok("openssl", &["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-name.key", "-subj", "/C=US/ST=GA/L=Roswell/O=Tempus/OU=Tempus/CN=Tempus Device CA", "-out", "ca-name.csr"], &dir);
    ok("openssl", &["req", "-new", "-newkey", "ed25519", "-nodes", "-keyout", "ed.key", "-subj", "/CN=ed-device", "-out", "ed.csr"], &dir);
    ok("openssl", &["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "sha1.key", "-subj", "/CN=old-device", "-sha1", "-out", "sha1.csr"], &dir);
    for (input, says) in [
        (tampered, "does not verify"),
        (std::fs::read(dir.join("ca-name.csr")).unwrap(), "the CA's own subject"),
        (std::fs::read(dir.join("ed.csr")).unwrap(), "algorithm 1.3.101.112"),
        (std::fs::read(dir.join("sha1.csr")).unwrap(), "SHA-256"),
        (std::fs::read(f.dir.join("deviceca.pub.pem")).unwrap(), "expected CERTIFICATE REQUEST"),
        (b"garbage".to_vec(), "not a readable PKCS#10"),
    ] {
        let e = tempus_certgen::sign_request(&input, &ca, &options(Role::Client), now()).err().unwrap_or_else(|| panic!("accepted: {says}"));
        assert_eq!(e.field(), Some(Field::Request), "{e}");
        assert!(e.to_string().contains(says), "{e}");
    }
}
