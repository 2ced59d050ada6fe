//! The JS boundary, run inside Node by wasm-bindgen-test: exported functions take JS values,
//! read the JS clock and throw JS `Error`s with fields.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Error, Reflect};
use serde::Serialize;
use serde_json::json;
use tim_sns::wasm::{decode_user_sig, gen_user_sig, is_user_sig_error, is_validation_error, verify_user_sig};
use tsify::Ts;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn js(v: serde_json::Value) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap()
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap()
}

const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

#[wasm_bindgen_test]
fn generates_with_the_js_clock_and_round_trips() {
    let before = (js_sys::Date::now() / 1000.0).floor();
    let sig = gen_user_sig(Ts::new_unchecked(js(json!({
        "sdkAppId": 1400000000u64, "secretKey": KEY, "identifier": "administrator"
    }))))
    .unwrap();
    let decoded: JsValue = decode_user_sig(JsValue::from_str(&sig)).unwrap().into();
    let time = get(&decoded, "time").as_f64().unwrap();
    assert!(time >= before && time <= before + 2.0, "time comes from Date.now()");
    assert_eq!(get(&decoded, "expire").as_f64(), Some(15552000.0));
    assert_eq!(get(&decoded, "identifier").as_string().as_deref(), Some("administrator"));

    let result: JsValue = verify_user_sig(
        JsValue::from_str(&sig),
        Ts::new_unchecked(js(json!({ "sdkAppId": 1400000000u64, "secretKey": KEY, "identifier": "administrator" }))),
    )
    .unwrap()
    .into();
    assert_eq!(get(&result, "valid").as_bool(), Some(true));
    assert!(get(&result, "reason").is_undefined());
}

#[wasm_bindgen_test]
fn bad_options_throw_a_validation_error_listing_every_violation() {
    let err = gen_user_sig(Ts::new_unchecked(js(json!({
        "sdkAppId": -1, "secretKey": "", "identifier": 7, "expireSeconds": 1.5
    }))))
    .unwrap_err();
    assert!(err.is_instance_of::<Error>());
    assert!(is_validation_error(&err) && !is_user_sig_error(&err));
    let violations: Array = get(&err, "violations").dyn_into().unwrap();
    let paths: Vec<String> = violations.iter().map(|v| get(&v, "path").as_string().unwrap()).collect();
    assert_eq!(paths, ["sdkAppId", "secretKey", "identifier", "expireSeconds"]);
    let message = err.unchecked_ref::<Error>().message().as_string().unwrap();
    assert!(message.starts_with("4 violations: "), "{message}");
}

#[wasm_bindgen_test]
fn uint8array_user_buf_is_signed() {
    let opts = js(json!({ "sdkAppId": 1, "secretKey": "k", "identifier": "a", "time": 1700000000u64 }));
    Reflect::set(&opts, &"userBuf".into(), &js_sys::Uint8Array::from(&[0u8, 1, 2, 255][..])).unwrap();
    let sig = gen_user_sig(Ts::new_unchecked(opts)).unwrap();
    let decoded: JsValue = decode_user_sig(JsValue::from_str(&sig)).unwrap().into();
    assert_eq!(get(&decoded, "hasUserBuf").as_bool(), Some(true));
}

#[wasm_bindgen_test]
fn malformed_sigs_throw_a_user_sig_error_and_non_strings_a_validation_error() {
    let err = decode_user_sig(JsValue::from_str("not a sig")).unwrap_err();
    assert!(is_user_sig_error(&err));
    assert_eq!(get(&err, "reason").as_string().as_deref(), Some("malformed"));
    assert_eq!(get(&err, "errorCode").as_f64(), Some(70003.0));

    let err = decode_user_sig(JsValue::from_f64(42.0)).unwrap_err();
    assert!(is_validation_error(&err));

    let plain: JsValue = Error::new("x").into();
    assert!(!is_validation_error(&plain) && !is_user_sig_error(&plain) && !is_validation_error(&JsValue::NULL));
}

#[wasm_bindgen_test]
fn verify_reports_refusals_as_data() {
    let sig = gen_user_sig(Ts::new_unchecked(js(json!({
        "sdkAppId": 20000001, "secretKey": "k", "identifier": "user_01-a", "time": 1600000000, "expireSeconds": 1
    }))))
    .unwrap();
    let result: JsValue = verify_user_sig(
        JsValue::from_str(&sig),
        Ts::new_unchecked(js(json!({ "sdkAppId": 20000001, "secretKey": "k", "now": 1600000002 }))),
    )
    .unwrap()
    .into();
    assert_eq!(get(&result, "valid").as_bool(), Some(false));
    assert_eq!(get(&result, "reason").as_string().as_deref(), Some("expired"));
    assert_eq!(get(&result, "errorCode").as_f64(), Some(70001.0));
}
