// Shared by wasm_node.rs and wasm_browser.rs: generate, then inspect, through the JS API the
// wasm module exports (the same calls js/api.js makes).
use js_sys::{Array, Object, Reflect, Uint8Array};
use tempus_certgen::wasm::{credentials_id, generate_credentials, inspect_certificate, validate_options};
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
