//! Every key store of both roles, read by JDK 17 keytool.
mod common;
use common::*;

fn list(store: &str, kind: &str, password: &str) -> String {
    ok("keytool", &["-list", "-v", "-storetype", kind, "-keystore", store, "-storepass", password], &fixture().dir)
}

#[test]
fn server_stores_list_the_key_entry() {
    let f = fixture();
    let jks = list("mqttserver.jks", "JKS", "server_ks_password");
    assert!(jks.contains("Keystore type: JKS"), "{jks}");
    assert!(jks.contains("Your keystore contains 1 entry"), "{jks}");
    assert!(jks.contains("Alias name: serveralias") && jks.contains("Entry type: PrivateKeyEntry"), "{jks}");
    assert!(jks.contains(&format!("SHA256: {}", f.server.sha256_fingerprint)), "{jks}");
    assert!(jks.contains("Owner: CN=mqtt.example.test, OU=Tempus, O=Tempus, L=Roswell, ST=GA, C=US"), "{jks}");
    let p12 = list("mqttserver.p12", "PKCS12", "server_ks_password");
    assert!(p12.contains("Keystore type: PKCS12") && p12.contains("Alias name: serveralias"), "{p12}");
    assert!(p12.contains("Entry type: PrivateKeyEntry"), "{p12}");
    // A wrong store password fails the JKS integrity check.
    let text = fails("keytool", &["-list", "-storetype", "JKS", "-keystore", "mqttserver.jks", "-storepass", "wrong-password"], &f.dir);
    assert!(text.contains("password was incorrect") || text.contains("tampered"), "{text}");
}

#[test]
fn client_stores_trust_the_server() {
    let f = fixture();
    for (store, kind) in [("mqttclient.jks", "JKS"), ("mqttclient.p12", "PKCS12")] {
        let text = list(store, kind, "password");
        assert!(text.contains("Your keystore contains 2 entries"), "{text}");
        assert!(text.contains("Alias name: clientalias"), "{text}");
        assert!(text.contains("Alias name: serveralias"), "{text}");
        assert!(text.contains("Entry type: trustedCertEntry"), "{text}");
        assert!(text.contains(&format!("SHA256: {}", f.server.sha256_fingerprint)), "{text}");
        assert!(text.contains(&format!("SHA256: {}", f.client.sha256_fingerprint)), "{text}");
    }
    let text = list("legacy.p12", "PKCS12", "legacy-store");
    assert!(text.contains("Owner: CN=Gerät Köln"), "{text}");
}

#[test]
fn jks_key_password_is_its_own() {
    let f = fixture();
    let import = |src: &str, store_pw: &str, alias: &str, key_pw: &str, dest: &str| {
        let _ = std::fs::remove_file(f.dir.join(dest));
        run(
            "keytool",
            &[
                "-importkeystore", "-srckeystore", src, "-srcstoretype", "JKS", "-srcstorepass", store_pw,
                "-srcalias", alias, "-srckeypass", key_pw, "-destkeystore", dest, "-deststoretype", "PKCS12",
                "-deststorepass", "changeit", "-noprompt",
            ],
            &f.dir,
        )
    };
    assert!(import("mqttserver.jks", "server_ks_password", "serveralias", "server_key_password", "srv-import.p12").status.success());
    // The store password does not open the key: the two are independent, as in the recipe.
    assert!(!import("mqttserver.jks", "server_ks_password", "serveralias", "server_ks_password", "srv-bad.p12").status.success());
    assert!(import("mqttclient.jks", "password", "clientalias", "password", "cli-import.p12").status.success());
    assert!(import("legacy.jks", "legacy-store", "clientalias", "legacy-key", "legacy-import.p12").status.success());
}

/// Issue 10, part 1: keytool reads EC P-256 key entries from the JKS and the PKCS#12, and the
/// JKS key opens with its own key password.
#[test]
fn ec_p256_key_entries_load() {
    let f = fixture();
    for (store, kind) in [("ecclient.jks", "JKS"), ("ecclient.p12", "PKCS12")] {
        let text = list(store, kind, "ec-store");
        assert!(text.contains("Your keystore contains 2 entries"), "{text}");
        assert!(text.contains("Alias name: clientalias") && text.contains("Entry type: PrivateKeyEntry"), "{text}");
        assert!(text.contains("Signature algorithm name: SHA256withECDSA"), "{text}");
        assert!(text.contains("256-bit EC (secp256r1) key"), "{text}");
        assert!(text.contains(&format!("SHA256: {}", f.ec_client.sha256_fingerprint)), "{text}");
        assert!(text.contains(&format!("SHA256: {}", f.ec_server.sha256_fingerprint)), "{text}");
    }
    let _ = std::fs::remove_file(f.dir.join("ec-import.p12"));
    ok(
        "keytool",
        &[
            "-importkeystore", "-srckeystore", "ecclient.jks", "-srcstoretype", "JKS", "-srcstorepass", "ec-store",
            "-srcalias", "clientalias", "-srckeypass", "ec-key", "-destkeystore", "ec-import.p12", "-deststoretype", "PKCS12",
            "-deststorepass", "changeit", "-noprompt",
        ],
        &f.dir,
    );
}

/// Issue 10, part 2: the device CA's PKCS#12 holds its key entry under the store password.
#[test]
fn device_ca_pkcs12_loads() {
    let f = fixture();
    let text = list("deviceca.p12", "PKCS12", "ca-secret");
    assert!(text.contains("Your keystore contains 1 entry"), "{text}");
    assert!(text.contains("Alias name: caalias") && text.contains("Entry type: PrivateKeyEntry"), "{text}");
    assert!(text.contains(&format!("SHA256: {}", f.ca.sha256_fingerprint)), "{text}");
    assert!(text.contains("BasicConstraints:[\n  CA:true\n  PathLen:0"), "{text}");
}

/// Issue 10, part 3: a CA-signed leaf's key entries carry the chain [leaf, CA], in JKS and
/// PKCS#12, for every pair of key types; the key opens with the key password.
#[test]
fn ca_signed_key_entries_carry_the_chain() {
    let f = fixture();
    for (p, leaf, ca) in [
        ("caclient", &f.ca_client, &f.ca),
        ("caecclient", &f.ca_ec_client, &f.ca),
        ("eccaserver", &f.ec_ca_server, &f.ec_ca),
        ("eccaecclient", &f.ec_ca_ec_client, &f.ec_ca),
    ] {
        for (store, kind) in [(format!("{p}.jks"), "JKS"), (format!("{p}.p12"), "PKCS12")] {
            let text = list(&store, kind, "leaf-pass");
            assert!(text.contains("Entry type: PrivateKeyEntry"), "{store}: {text}");
            assert!(text.contains("Certificate chain length: 2"), "{store}: {text}");
            let leaf_at = text.find(&format!("SHA256: {}", leaf.sha256_fingerprint)).unwrap_or_else(|| panic!("{store}: leaf: {text}"));
            let ca_at = text.find(&format!("SHA256: {}", ca.sha256_fingerprint)).unwrap_or_else(|| panic!("{store}: CA: {text}"));
            assert!(leaf_at < ca_at, "{store}: the leaf first, then the CA");
        }
        // The JKS key opens with the key password (keytool re-encrypts it into a new store).
        let dest = format!("{p}-copy.p12");
        let _ = std::fs::remove_file(f.dir.join(&dest));
        ok("keytool", &["-importkeystore", "-srckeystore", &format!("{p}.jks"), "-srcstoretype", "JKS", "-srcstorepass", "leaf-pass", "-srckeypass", "leaf-pass",
            "-srcalias", &leaf.alias, "-destkeystore", &dest, "-deststoretype", "PKCS12", "-deststorepass", "copy-pass", "-noprompt"], &f.dir);
        let text = list(&dest, "PKCS12", "copy-pass");
        assert!(text.contains("Certificate chain length: 2"), "{dest}: {text}");
    }
}
