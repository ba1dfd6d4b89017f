// Shared by wasm_node.rs and wasm_browser.rs: generate, then inspect, through the JS API the
// wasm module exports (the same calls js/api.js makes).
use js_sys::{Array, Object, Reflect, Uint8Array};
use tempus_certgen::wasm::{
    credentials_id, derive_keys, generate_credentials, generate_credentials_from_primes, generate_prime, inspect_certificate, validate_options,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &k.into()).unwrap()
}

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

#[wasm_bindgen_test]
fn generate_then_inspect() {
    let server = generate_credentials(options(&[("role", "server".into()), ("cn", "mqtt.test".into()), ("san", Array::of1(&"10.0.0.1".into()).into())])).unwrap();
    let names: Vec<String> = Array::from(&get(&server, "files")).iter().map(|f| get(&f, "name").as_string().unwrap()).collect();
    assert_eq!(names, ["mqttserver.jks", "mqttserver.p12", "mqttserver.pub.pem", "mqttserver.cer", "mqttserver.nopass.pem"]);
    let server_pem = get(&server, "certificatePem");

    let client = generate_credentials(options(&[("cn", "device-1".into()), ("serverCertificate", server_pem.clone())])).unwrap();
    let files = Array::from(&get(&client, "files"));
    assert_eq!(files.length(), 6);
    let jks = Uint8Array::new(&get(&files.get(0), "bytes")).to_vec();
    assert_eq!(&jks[..4], &[0xfe, 0xed, 0xfe, 0xed]);
    let id = get(&client, "credentialsId").as_string().unwrap();
    assert_eq!(id.len(), 64);

    let pem = get(&client, "certificatePem");
    let info = inspect_certificate(pem.clone()).unwrap();
    assert_eq!(get(&info, "subject").as_string().unwrap(), "CN=device-1,OU=Tempus,O=Tempus,L=Roswell,ST=GA,C=US");
    assert_eq!(get(&info, "credentialsId").as_string().unwrap(), id);
    assert_eq!(get(&info, "keySize").as_f64().unwrap(), 2048.0);
    assert_eq!(Array::from(&get(&info, "warnings")).length(), 0);
    assert_eq!(credentials_id(pem).unwrap(), id);
    // DER in, same answer.
    let der = get(&client, "certificateDer");
    assert_eq!(get(&inspect_certificate(der).unwrap(), "credentialsId").as_string().unwrap(), id);
}

/// The browser's parallel path: PBKDF2 keys made ahead by one worker, the files around two
/// primes by another; bytes that are not such keys are ignored (the keys are made there).
/// EC P-256 in wasm (the CSPRNG is crypto.getRandomValues): an EC server, a client trusting it,
/// and inspect reads the EC certificate.
#[wasm_bindgen_test]
fn ec_p256_generate_then_inspect() {
    let server = generate_credentials(options(&[("role", "server".into()), ("cn", "ec.test".into()), ("keyType", "ec-p256".into())])).unwrap();
    let client = generate_credentials(options(&[
        ("cn", "ec-device".into()),
        ("keyType", "ec-p256".into()),
        ("serverCertificate", get(&server, "certificatePem")),
    ]))
    .unwrap();
    assert_eq!(Array::from(&get(&client, "files")).length(), 6);
    let info = inspect_certificate(get(&client, "certificatePem")).unwrap();
    assert_eq!(get(&info, "credentialsId").as_string().unwrap(), get(&client, "credentialsId").as_string().unwrap());
    let algorithm = get(&info, "keyAlgorithm").as_string().unwrap();
    assert!(algorithm.contains("EC") || algorithm.contains("P-256"), "{algorithm}");
    let err = generate_credentials(options(&[("keyType", "ec-p256".into()), ("keySize", 2048.into())])).unwrap_err();
    assert_eq!(get(&err, "field").as_string().unwrap(), "keySize");
}

#[wasm_bindgen_test]
fn files_from_primes_with_keys_made_ahead() {
    let opts = || options(&[("cn", "device-2".into()), ("storePassword", "store-secret".into())]);
    let derived = derive_keys(opts()).unwrap().to_vec();
    // Three entries of count, salt, key, length, password: "store-secret" (12) for the .p12's key
    // bag and its certificate bag, "password" (8) for the .pem.
    assert_eq!(derived.len(), 3 * (4 + 16 + 32 + 2) + 2 * 12 + 8);
    for keys in [Some(derived), Some(vec![1, 2, 3]), None] {
        let bundle = loop {
            let (p, q) = (generate_prime(1024).unwrap().to_vec(), generate_prime(1024).unwrap().to_vec());
            let b = generate_credentials_from_primes(opts(), p, q, keys.clone()).unwrap();
            if !b.is_null() {
                break b;
            }
        };
        let files = Array::from(&get(&bundle, "files"));
        assert_eq!(files.length(), 6);
        let p12 = Uint8Array::new(&get(&files.get(1), "bytes")).to_vec();
        assert_eq!(p12[0], 0x30);
    }
    let err = derive_keys(options(&[("keyPassword", "12345".into())])).unwrap_err();
    assert_eq!(get(&err, "field").as_string().unwrap(), "keyPassword");
}

#[wasm_bindgen_test]
fn errors_carry_code_and_field() {
    let cases: [(&str, JsValue, &str, &str); 5] = [
        ("c", "USA".into(), "invalid", "c"),
        ("days", 0.into(), "out_of_range", "days"),
        ("keySize", 1024.into(), "key_size", "keySize"),
        ("storePassword", "12345".into(), "password_too_short", "storePassword"),
        ("cn", "".into(), "empty", "cn"),
    ];
    for (k, v, code, field) in cases {
        let err = validate_options(options(&[(k, v)])).unwrap_err();
        assert!(err.is_instance_of::<js_sys::Error>());
        assert_eq!(get(&err, "code").as_string().unwrap(), code, "{k}");
        assert_eq!(get(&err, "field").as_string().unwrap(), field, "{k}");
        let message = get(&err, "message").as_string().unwrap();
        assert!(message.contains(&format!("({field})")), "{message}");
    }
    let err = inspect_certificate("not a certificate".into()).unwrap_err();
    assert_eq!(get(&err, "field").as_string().unwrap(), "certificate");
}

/// The SIMD Montgomery arithmetic (wasm only) against crypto-primes, on primes (where a wrong
/// product shows as "composite") and composites, including a strong pseudoprime to base 2.
#[wasm_bindgen_test]
fn simd_probable_prime_tests_agree_with_crypto_primes() {
    use crypto_bigint::{BoxedUint, Odd, Resize};
    use crypto_primes::hazmat::{MillerRabin, Primality};
    use tempus_certgen::montgomery::Modulus;
    let mut rng = tempus_certgen::rng::SystemRng::new().unwrap();
    let mut numbers: Vec<Vec<u8>> = vec![2047u32.to_be_bytes().to_vec(), 3215031751u32.to_be_bytes().to_vec()];
    for bits in [1024, 1536, 2048] {
        let p = tempus_certgen::keys::primes::generate_prime(&mut rng, bits).unwrap();
        let mut composite = p.to_be_bytes().to_vec();
        *composite.last_mut().unwrap() ^= 2; // p + 2 or p - 2: odd, almost surely composite
        numbers.push(p.to_be_bytes().to_vec());
        numbers.push(composite);
    }
    // Then random odd numbers of every size up to 2048 bits.
    let generated = numbers.len();
    for i in 0..16usize {
        let mut n = vec![0u8; 1 + (i * 97) % 256];
        rand_core::Rng::fill_bytes(&mut rng, &mut n);
        n[0] |= 0x80;
        *n.last_mut().unwrap() |= 1;
        numbers.push(n);
    }
    for (i, n) in numbers.iter().enumerate() {
        let big = BoxedUint::from_be_slice_vartime(n);
        if big < BoxedUint::from(5u32) {
            continue;
        }
        let mr = MillerRabin::new(Odd::new(big.clone()).unwrap());
        let want = !matches!(mr.test_base_two(), Primality::Composite);
        let mut m = Modulus::new(n).unwrap();
        assert_eq!(m.is_strong_probable_prime_base_2(), want, "number {i}");
        // A random base in [2, n - 2], as the key search draws them.
        let range = crypto_bigint::NonZero::new(big.wrapping_sub(&BoxedUint::from(3u32).resize_unchecked(big.bits_precision()))).unwrap();
        let base_big = crypto_bigint::RandomMod::random_mod_vartime(&mut rng, &range).wrapping_add(&BoxedUint::from(2u32).resize_unchecked(big.bits_precision()));
        let base = base_big.to_be_bytes();
        assert_eq!(m.is_strong_probable_prime(&base), !matches!(mr.test(&base_big), Primality::Composite), "number {i}, random base {base_big}");
        let lucas = crypto_primes::hazmat::lucas_test(Odd::new(big).unwrap(), crypto_primes::hazmat::SelfridgeBase, crypto_primes::hazmat::LucasCheck::Strong);
        if let Some(ours) = m.is_strong_lucas_probable_prime() {
            assert_eq!(ours, !matches!(lucas, Primality::Composite), "number {i}, Lucas");
        }
        if (2..generated).contains(&i) && i % 2 == 0 {
            assert!(want && m.is_strong_lucas_probable_prime() == Some(true), "generated prime {i}");
        }
    }
}

/// The sieve's prime table and windows with 32-bit usize (a bug seen only here once).
#[wasm_bindgen_test]
fn sieve_in_wasm_matches_division() {
    use tempus_certgen::sieve::{small_primes, window_and_reference};
    assert_eq!(small_primes().len(), 12_250);
    assert_eq!(small_primes().last().unwrap().0, 131_071);
    let (got, want) = window_and_reference((1 << 62) + 0x9876_5431);
    assert_eq!(got, want);
    assert!(got.len() > 300, "{}", got.len());
}

fn file(bundle: &JsValue, name: &str) -> JsValue {
    Array::from(&get(bundle, "files"))
        .iter()
        .find(|f| get(f, "name").as_string().unwrap() == name)
        .map(|f| get(&f, "bytes"))
        .unwrap_or_else(|| panic!("no {name}"))
}

/// Issue 10: a device CA, then clients signed by it (from its .key.pem and from its .p12), then
/// inspect, through the calls the JS API makes; RSA and EC, mixed.
#[wasm_bindgen_test]
fn ca_then_signed_client_then_inspect() {
    for (ca_type, leaf_type) in [("rsa", "ec-p256"), ("ec-p256", "rsa")] {
        let ca = generate_credentials(options(&[("role", "ca".into()), ("keyType", ca_type.into()), ("keyPassword", "ca-secret".into())])).unwrap();
        let ca_id = get(&ca, "credentialsId").as_string().unwrap();
        for key_file in ["deviceca.key.pem", "deviceca.p12"] {
            let issuer = options(&[("certificate", get(&ca, "certificatePem")), ("privateKey", file(&ca, key_file)), ("password", "ca-secret".into())]);
            let client = generate_credentials(options(&[("cn", "device-7".into()), ("keyType", leaf_type.into()), ("issuer", issuer)])).unwrap();
            let names: Vec<String> = Array::from(&get(&client, "files")).iter().map(|f| get(&f, "name").as_string().unwrap()).collect();
            assert!(names.contains(&"mqttclient.chain.pem".to_string()), "{names:?}");
            assert_eq!(get(&client, "issuer").as_string().unwrap(), "CN=Tempus Device CA, OU=Tempus, O=Tempus, L=Roswell, ST=GA, C=US");
            let chain = String::from_utf8(Uint8Array::new(&file(&client, "mqttclient.chain.pem")).to_vec()).unwrap();
            assert_eq!(chain, format!("{}{}", get(&client, "certificatePem").as_string().unwrap(), get(&ca, "certificatePem").as_string().unwrap()));
            let info = inspect_certificate(get(&client, "certificatePem")).unwrap();
            assert_eq!(get(&info, "issuer").as_string().unwrap(), "CN=Tempus Device CA,OU=Tempus,O=Tempus,L=Roswell,ST=GA,C=US");
            assert!(!get(&info, "selfSigned").as_bool().unwrap());
            assert_eq!(get(&info, "credentialsId").as_string().unwrap(), get(&client, "credentialsId").as_string().unwrap());
            assert_ne!(get(&info, "credentialsId").as_string().unwrap(), ca_id);
        }
        // A wrong password, and a missing key, carry the issuer's fields.
        let issuer = options(&[("certificate", get(&ca, "certificatePem")), ("privateKey", file(&ca, "deviceca.key.pem")), ("password", "not-it".into())]);
        let err = validate_options(options(&[("issuer", issuer)])).unwrap_err();
        assert_eq!(get(&err, "code").as_string().unwrap(), "wrong_password");
        assert_eq!(get(&err, "field").as_string().unwrap(), "issuer.password");
        let err = validate_options(options(&[("issuer", options(&[("certificate", get(&ca, "certificatePem"))]))])).unwrap_err();
        assert_eq!(get(&err, "field").as_string().unwrap(), "issuer.privateKey");
    }
}
