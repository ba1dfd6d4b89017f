//! Property tests: whatever a person types or uploads, the result is either valid artifacts
//! (parsed back here) or a typed error naming the field. A panic fails the test loudly.
#![cfg(not(target_arch = "wasm32"))]

use der::Decode;
use proptest::prelude::*;
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;
use std::sync::OnceLock;
use tempus_certgen::recipe::files as bundle;
use tempus_certgen::{inspect, Field, KeyPair, KeyType, Params, Role};
use x509_cert::Certificate;

const NOW: u64 = 1_795_000_000;

/// Key generation is not what is under test here: one key of each kind serves every case.
fn key(ec: bool) -> &'static KeyPair {
    static RSA: OnceLock<KeyPair> = OnceLock::new();
    static EC: OnceLock<KeyPair> = OnceLock::new();
    let (slot, kind) = if ec { (&EC, KeyType::EcP256) } else { (&RSA, KeyType::Rsa) };
    slot.get_or_init(|| KeyPair::generate(&mut ChaCha8Rng::from_seed([11; 32]), kind, 2048).unwrap())
}

/// A device CA of each key kind (password "ca-secret"), as the issuer option takes it.
fn ca(ec: bool) -> tempus_certgen::issue::ca::IssuerSource {
    static RSA: OnceLock<(String, Vec<u8>)> = OnceLock::new();
    static EC: OnceLock<(String, Vec<u8>)> = OnceLock::new();
    let (cert, key) = (if ec { &EC } else { &RSA }).get_or_init(|| {
        let mut p = Params::ca();
        p.key_password = "ca-secret".to_string().into();
        p.store_password = "ca-secret".to_string().into();
        let v = p.validate().unwrap();
        let b = bundle::build(&mut ChaCha8Rng::from_seed([12; 32]), &p, &v, key(ec), NOW - 86_400).unwrap();
        let key = b.files.iter().find(|f| f.name.ends_with(".key.pem")).unwrap().bytes.to_vec();
        (b.certificate_pem.clone(), key)
    });
    tempus_certgen::issue::ca::IssuerSource {
        certificate: cert.clone().into_bytes(),
        private_key: key.clone().into(),
        password: Some("ca-secret".to_string().into()),
    }
}

fn cert_pem() -> &'static str {
    include_str!("vectors/keytool-mqttclient.pub.pem")
}

/// Text around the limits: empty, printable, arbitrary Unicode, control characters, long.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-Za-z0-9 .-]{1,20}",
        "[a-z]{60,70}",
        "[a-z]{120,135}",
        "\\PC{0,80}",
        ".{0,10}[\\x00-\\x1f\\x7f][a-z]{0,5}",
        any::<String>(),
    ]
}

fn numbers() -> impl Strategy<Value = u32> {
    prop_oneof![Just(0u32), Just(1), 9999u32..=9999, 36499u32..=36502, Just(2048), Just(3072), Just(4096), any::<u32>()]
}

fn check_artifacts(p: &Params, b: &tempus_certgen::Bundle) -> Result<(), TestCaseError> {
    let cert = Certificate::from_der(&b.certificate_der).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let cn = cert.tbs_certificate().subject().common_name().unwrap().unwrap();
    prop_assert_eq!(cn.value().to_string(), p.cn.clone());
    for f in &b.files {
        prop_assert!(f.name.starts_with(&p.prefix));
        match f.name.rsplit_once('.').map(|x| x.1) {
            Some("jks") => prop_assert_eq!(&f.bytes[..4], &[0xfe, 0xed, 0xfe, 0xed]),
            Some("p12") | Some("cer") => {
                der::asn1::Any::from_der(&f.bytes).map_err(|e| TestCaseError::fail(format!("{}: {e}", f.name)))?;
            }
            Some("pem") => {
                let text = std::str::from_utf8(&f.bytes).unwrap();
                for block in text.split_inclusive("-----\n").collect::<String>().split("-----BEGIN ").skip(1) {
                    let pem = format!("-----BEGIN {block}");
                    pem_rfc7468::decode_vec(pem.as_bytes()).map_err(|e| TestCaseError::fail(format!("{}: {e}", f.name)))?;
                }
            }
            other => prop_assert!(false, "unexpected file {:?}", other),
        }
    }
    let i = inspect(b.certificate_pem.as_bytes(), NOW).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&i.credentials_id, &b.credentials_id);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_input_field(
        role in prop_oneof![Just(Role::Server), Just(Role::Client), Just(Role::Ca)], cn in text(), ou in text(), o in text(), l in text(), st in text(),
        c in prop_oneof![Just(String::new()), "[A-Z]{2}", "[A-Za-z0-9]{1,3}", text()],
        days in numbers(), key_size in numbers(), alias in text(), prefix in text(),
        store_password in text(), key_password in text(),
        san in prop::collection::vec(prop_oneof!["[a-z0-9.-]{1,20}", "(ip|dns):[0-9.a-f:]{0,20}", text()], 0..3),
        (legacy, ec) in (any::<bool>(), any::<bool>()),
    ) {
        let mut p = Params::new(role);
        p.cn = cn; p.ou = ou; p.o = o; p.l = l; p.st = st; p.c = c;
        p.days = days; p.key_size = key_size; p.alias = alias; p.prefix = prefix;
        if ec { p.key_type = KeyType::EcP256; }
        p.store_password = store_password.into(); p.key_password = key_password.into();
        p.san = san; p.legacy_pkcs12 = legacy;
        match p.validate() {
            Err(e) => {
                let field = e.field();
                prop_assert!(field.is_some(), "error without a field: {}", e);
                prop_assert!(e.is_input());
                prop_assert!(e.to_string().contains(&format!("({})", field.unwrap().option())), "{}", e);
            }
            Ok(v) => {
                let mut rng = ChaCha8Rng::from_seed([1; 32]);
                let b = bundle::build(&mut rng, &p, &v, key(ec), NOW).map_err(|e| TestCaseError::fail(format!("valid params failed: {e}")))?;
                check_artifacts(&p, &b)?;
            }
        }
    }

    #[test]
    fn valid_inputs_always_make_valid_artifacts(
        role in prop_oneof![Just(Role::Server), Just(Role::Client), Just(Role::Ca)], cn in "[^\\p{C}]{1,64}", ou in "[^\\p{C}]{0,64}", o in "[^\\p{C}]{0,64}",
        l in "[^\\p{C}]{0,128}", st in "[^\\p{C}]{0,128}", c in "([A-Z]{2})?", days in 1u32..=36500,
        alias in "[a-zA-Z0-9 _.\\-äöü]{1,40}", prefix in "[a-zA-Z0-9_\\-][a-zA-Z0-9_.\\-]{0,30}",
        store_password in "[^\\p{C}]{6,40}", key_password in "[^\\p{C}]{6,40}", legacy in any::<bool>(),
        ec in any::<bool>(), signed_by in prop_oneof![Just(None), Just(Some(false)), Just(Some(true))],
    ) {
        prop_assume!(!cn.trim().is_empty() && !alias.trim().is_empty() && alias.trim() == alias);
        let mut p = Params::new(role);
        p.cn = cn; p.ou = ou; p.o = o; p.l = l; p.st = st; p.c = c; p.days = days;
        p.alias = alias; p.prefix = prefix; p.legacy_pkcs12 = legacy;
        if ec { p.key_type = KeyType::EcP256; }
        p.store_password = store_password.into(); p.key_password = key_password.into();
        // A device CA's key password has at least 8 characters and its key never goes under 3DES
        // (issue 23): those are refusals, tested in tests/hostile.rs.
        if role == Role::Ca {
            p.legacy_pkcs12 = false;
            prop_assume!(p.key_password.chars().count() >= 8);
        }
        // Server and client, signed by an RSA or an EC device CA (every pair of key kinds).
        let signed_by = signed_by.filter(|_| role != Role::Ca);
        p.issuer = signed_by.map(ca);
        let v = p.validate().map_err(|e| TestCaseError::fail(format!("valid params refused: {e}")))?;
        let mut rng = ChaCha8Rng::from_seed([2; 32]);
        let b = bundle::build(&mut rng, &p, &v, key(ec), NOW).map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_artifacts(&p, &b)?;
        if let Some(ca_ec) = signed_by {
            let ca_der = tempus_certgen::x509::read::one_certificate(&ca(ca_ec).certificate, Field::Certificate).unwrap();
            let leaf = Certificate::from_der(&b.certificate_der).unwrap();
            prop_assert!(tempus_certgen::x509::read::signed_by(&leaf, &Certificate::from_der(&ca_der).unwrap()), "the leaf verifies with its CA's key");
            let chain_name = format!("{}.chain.pem", p.prefix);
            prop_assert!(b.files.iter().any(|f| f.name == chain_name), "no chain file");
        }
    }

    #[test]
    fn ca_key_and_request_input(
        key_bytes in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..2000),
            (0usize..1800, any::<u8>()).prop_map(|(i, b)| { let mut v = ca(false).private_key.to_vec(); let n = v.len(); v[i % n] ^= b | 1; v }),
            (0usize..1800).prop_map(|n| { let v = ca(true).private_key.to_vec(); v[..n.min(v.len())].to_vec() }),
        ],
        password in prop_oneof![Just(None), Just(Some("ca-secret".to_string())), text().prop_map(Some)],
        request in prop::collection::vec(any::<u8>(), 0..1500),
    ) {
        let fields = tempus_certgen::keys::keyfile::Fields { key: Field::CaKey, password: Field::CaPassword };
        if let Err(e) = tempus_certgen::keys::keyfile::read_private_key(&key_bytes, password.as_deref(), fields) {
            prop_assert!(matches!(e.field(), Some(Field::CaKey) | Some(Field::CaPassword)), "{}", e);
            prop_assert!(e.is_input(), "{}", e);
        }
        match tempus_certgen::x509::csr::read(&request) {
            Ok(_) => prop_assert!(false, "random bytes taken for a request"),
            Err(e) => prop_assert_eq!(e.field(), Some(Field::Request), "{}", e),
        }
    }

    #[test]
    fn server_certificate_input(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2000),
        (0usize..1229).prop_map(|n| cert_pem().as_bytes()[..n].to_vec()),
        (0usize..1200, any::<u8>()).prop_map(|(i, b)| { let mut v = cert_pem().as_bytes().to_vec(); v[i] = b; v }),
    ]) {
        let mut p = Params::client();
        p.server_certificate = Some(bytes);
        match p.validate() {
            Ok(v) => prop_assert!(v.server_certificate.is_none() || Certificate::from_der(v.server_certificate.as_ref().unwrap()).is_ok()),
            Err(e) => prop_assert!(matches!(e.field(), Some(Field::ServerCertificate)), "{}", e),
        }
    }

    #[test]
    fn inspect_random_and_damaged_input(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..3000),
        (0usize..1229).prop_map(|n| cert_pem().as_bytes()[..n].to_vec()),
        (0usize..1229, any::<u8>()).prop_map(|(i, b)| { let mut v = cert_pem().as_bytes().to_vec(); v[i] = b; v }),
        (0usize..866, any::<u8>()).prop_map(|(i, b)| {
            let mut der = tempus_certgen::x509::read::one_certificate(cert_pem().as_bytes(), Field::Certificate).unwrap();
            der[i] ^= b | 1;
            der
        }),
    ]) {
        match inspect(&bytes, NOW) {
            Ok(i) => prop_assert_eq!(i.credentials_id.len(), 64),
            Err(e) => prop_assert_eq!(e.field(), Some(Field::Certificate), "{}", e),
        }
    }

    #[test]
    fn pem_with_odd_whitespace_reads_the_same_certificate(
        inserts in prop::collection::vec((0usize..1100, prop_oneof![Just(" "), Just("\t"), Just("\r\n"), Just("\n\n"), Just("  \n")]), 1..8),
    ) {
        let pem = cert_pem();
        let body_start = pem.find('\n').unwrap() + 1;
        let body_end = pem.rfind("-----END").unwrap();
        let mut body = pem[body_start..body_end].to_string();
        for (at, ws) in inserts {
            let at = at.min(body.len());
            body.insert_str(at, ws);
        }
        let odd = format!("{}{}{}", &pem[..body_start], body, &pem[body_end..]);
        let want = inspect(pem.as_bytes(), NOW).unwrap();
        let got = inspect(odd.as_bytes(), NOW).unwrap();
        prop_assert_eq!(&got.credentials_id, &want.credentials_id);
        prop_assert_eq!(&got.certificate_pem, &want.certificate_pem);
        // Spaces and tabs stay in the platform's hash: then it differs, and inspect says so.
        if got.pasted_credentials_id.as_ref() != Some(&want.credentials_id) {
            prop_assert!(got.warnings.iter().any(|w| w.code == "text_differs"));
        }
    }

    /// The wasm-sized Montgomery product against crypto-bigint: (a * b / R) * R = a * b mod n.
    #[test]
    fn montgomery_product_matches_crypto_bigint(
        n in prop::collection::vec(any::<u8>(), 1..=256),
        a in prop::collection::vec(any::<u8>(), 256),
        b in prop::collection::vec(any::<u8>(), 256),
    ) {
        use crypto_bigint::{BoxedUint, ConcatenatingMul, NonZero, Resize};
        let mut n = n;
        *n.last_mut().unwrap() |= 1;
        let n_big = BoxedUint::from_be_slice_vartime(&n);
        prop_assume!(n_big > BoxedUint::one());
        let bits = 4096 + 128;
        let modulus = NonZero::new(n_big.resize(bits)).unwrap();
        let reduce = |v: &[u8]| BoxedUint::from_be_slice_vartime(v).resize(bits).rem_vartime(&modulus);
        let (a, b) = (reduce(&a), reduce(&b));
        let (a_be, b_be) = (a.to_be_bytes(), b.to_be_bytes());
        let (product, r_bits) = tempus_certgen::montgomery::montgomery_product(&n, &a_be, &b_be).unwrap();
        let product = BoxedUint::from_be_slice_vartime(&product).resize(bits);
        prop_assert!(product < *modulus, "result not reduced");
        let lhs = product.shl_vartime(r_bits as u32).unwrap().rem_vartime(&modulus);
        let rhs = a.concatenating_mul(&b).rem_vartime(&modulus);
        prop_assert_eq!(lhs, rhs);
    }

    /// The base-2 strong probable-prime and strong Lucas tests against crypto-primes', on random
    /// odd numbers and on primes (where a wrong exponentiation would show as "composite").
    #[test]
    fn base_2_test_matches_crypto_primes(
        n in prop::collection::vec(any::<u8>(), 1..=256),
        seed in any::<[u8; 32]>(),
        prime_bits in prop_oneof![Just(0u32), 64u32..=2048],
    ) {
        use crypto_bigint::{BoxedUint, Odd};
        use crypto_primes::hazmat::{MillerRabin, Primality};
        let n = if prime_bits == 0 {
            let mut n = n;
            *n.last_mut().unwrap() |= 1;
            n
        } else {
            let p: BoxedUint = crypto_primes::random_prime(&mut ChaCha8Rng::from_seed(seed), crypto_primes::Flavor::Any, prime_bits);
            p.to_be_bytes().to_vec()
        };
        let big = BoxedUint::from_be_slice_vartime(&n);
        prop_assume!(big > BoxedUint::one());
        let reference = !matches!(MillerRabin::new(Odd::new(big.clone()).unwrap()).test_base_two(), Primality::Composite);
        let mut modulus = tempus_certgen::montgomery::Modulus::new(&n).unwrap();
        let ours = modulus.is_strong_probable_prime_base_2();
        prop_assert_eq!(ours, reference);
        // The strong Lucas test too (None: no Selfridge D found, which a random number never hits).
        let lucas = crypto_primes::hazmat::lucas_test(Odd::new(big).unwrap(), crypto_primes::hazmat::SelfridgeBase, crypto_primes::hazmat::LucasCheck::Strong);
        prop_assert_eq!(modulus.is_strong_lucas_probable_prime(), Some(!matches!(lucas, Primality::Composite)));
        if prime_bits != 0 {
            prop_assert!(ours);
        }
    }
}

/// generateMany's workers keep the CA they opened (one PBKDF2 per worker, not per device): the
/// same source gives the same opened CA, another password or key is opened afresh (a wrong
/// password still fails), and off (the default) nothing is kept.
#[test]
fn a_kept_ca_is_opened_once_per_source() {
    use std::rc::Rc;
    use tempus_certgen::issue::ca::{keep_opened, Issuer};
    let source = ca(false);
    let a = Issuer::open(&source).unwrap();
    assert!(!Rc::ptr_eq(&a, &Issuer::open(&source).unwrap()), "nothing is kept by default");
    keep_opened(true);
    let a = Issuer::open(&source).unwrap();
    assert!(Rc::ptr_eq(&a, &Issuer::open(&source).unwrap()), "the same source is opened once");
    let mut wrong = ca(false);
    wrong.password = Some("not-the-password".to_string().into());
    assert_eq!(Issuer::open(&wrong).unwrap_err().field(), Some(Field::CaPassword));
    let other = ca(true);
    let b = Issuer::open(&other).unwrap();
    assert!(!Rc::ptr_eq(&a, &b), "another CA is opened afresh");
    assert!(Rc::ptr_eq(&b, &Issuer::open(&other).unwrap()));
    // Params go through it too: a device issued twice from one source signs with one opened CA.
    let mut p = Params::new(Role::Client);
    p.issuer = Some(other.clone());
    let v1 = p.validate().unwrap();
    let v2 = p.validate().unwrap();
    assert!(Rc::ptr_eq(v1.issuer.as_ref().unwrap(), v2.issuer.as_ref().unwrap()));
    keep_opened(false);
    assert!(!Rc::ptr_eq(&b, &Issuer::open(&other).unwrap()), "off forgets");
}
