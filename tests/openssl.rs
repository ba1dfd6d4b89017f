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
    assert!(text.contains("MAC: sha256"), "{text}");
    // The key bag with 10000 rounds, the certificate bag (public data) with OpenSSL 3's 2048.
    assert!(text.contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256"), "{text}");
    assert!(text.contains("PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"), "{text}");
    let text = ok("openssl", &["pkcs12", "-in", "mqttclient.p12", "-nodes", "-passin", "pass:password"], &f.dir);
    assert!(text.contains("friendlyName: clientalias"), "{text}");
    assert!(text.contains("friendlyName: serveralias"), "{text}");
    assert_eq!(text.matches("BEGIN CERTIFICATE").count(), 2, "{text}");
    assert_eq!(text.matches("BEGIN PRIVATE KEY").count(), 1, "{text}");
    fails("openssl", &["pkcs12", "-in", "mqttclient.p12", "-info", "-noout", "-passin", "pass:wrong-password"], &f.dir);
    // Legacy form: 3DES and SHA-1, which OpenSSL 3 reads only with -legacy.
    let text = ok("openssl", &["pkcs12", "-legacy", "-in", "legacy.p12", "-info", "-nodes", "-passin", "pass:legacy-store"], &f.dir);
    assert!(text.contains("MAC: sha1"), "{text}");
    assert!(text.contains("pbeWithSHA1And3-KeyTripleDES-CBC"), "{text}");
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
    assert_eq!(derived.len(), 2, "the .p12 key bag's and the .pem key's");
    // Through the bytes that cross between workers.
    let mut derived_copy = tempus_certgen::pbe::Derived::from_bytes(&derived.to_bytes()).unwrap();
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
