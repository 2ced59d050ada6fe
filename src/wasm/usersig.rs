//! `genUserSig`, `decodeUserSig`, `verifyUserSig` for JS.

use super::convert::{check_js, to_js};
use super::errors::{user_sig_error, validation_error};
use super::now_seconds;
use crate::usersig::{self, DecodedUserSig, GenUserSigOptions, UserSigRefusal, VerifyUserSigOptions, VerifyUserSigResult};
use crate::validate::{Path, Violations};
use tsify::Ts;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Mints a UserSig v2 (HMAC-SHA256) exactly as Tencent's official libraries do.
///
/// `time` defaults to now and `expireSeconds` to 180 days. For REST calls, mint the sig for the
/// app admin. Throws a `ValidationError` listing every bad option.
///
/// @example
/// import { genUserSig } from "tim-sns";
/// const secretKey = process.env.TIM_SECRET_KEY;
/// if (!secretKey) throw new Error("set TIM_SECRET_KEY");
/// const sig = genUserSig({ sdkAppId: 1400000000, secretKey, identifier: "administrator" });
#[wasm_bindgen(js_name = genUserSig)]
pub fn gen_user_sig(options: Ts<GenUserSigOptions>) -> Result<String, JsValue> {
    let options = check_js(options.into(), &Path::root(), GenUserSigOptions::from_json).map_err(validation_error)?;
    Ok(options.generate(now_seconds()))
}

/// Reads what a UserSig says (identifier, SDKAppID, issue time, expiry) without checking its
/// signature. Throws a `UserSigError` (reason `malformed`) when the string is not a UserSig.
#[wasm_bindgen(js_name = decodeUserSig)]
pub fn decode_user_sig(#[wasm_bindgen(unchecked_param_type = "string")] sig: JsValue) -> Result<Ts<DecodedUserSig>, JsValue> {
    let sig = sig_string(sig).map_err(validation_error)?;
    let decoded = usersig::decode_user_sig(&sig)
        .map_err(|m| user_sig_error(UserSigRefusal::Malformed, 70003, &m.to_string()))?;
    Ok(Ts::new_unchecked(to_js(&decoded)))
}

/// Checks a UserSig as the server would: format, SDKAppID, identifier (when given), expiry at
/// `now` (default: now), then the HMAC under `secretKey`. A refused sig is not an exception:
/// the result says `valid: false` with the `reason` and the server's `errorCode`. Throws a
/// `ValidationError` only for bad arguments.
#[wasm_bindgen(js_name = verifyUserSig)]
pub fn verify_user_sig(
    #[wasm_bindgen(unchecked_param_type = "string")] sig: JsValue,
    options: Ts<VerifyUserSigOptions>,
) -> Result<Ts<VerifyUserSigResult>, JsValue> {
    let sig = sig_string(sig);
    let options: JsValue = options.into();
    let options = match plain_verify_options(&options) {
        Some(json) => VerifyUserSigOptions::from_json(&json),
        None => check_js(options, &Path::root(), VerifyUserSigOptions::from_json),
    };
    let (sig, options) = match (sig, options) {
        (Ok(sig), Ok(options)) => (sig, options),
        // Report bad arguments together: a bad sig and bad options are both listed.
        (sig, options) => {
            let mut all = sig.err().map(Violations::into_vec).unwrap_or_default();
            all.extend(options.err().map(Violations::into_vec).unwrap_or_default());
            return Err(validation_error(Violations::from(all)));
        }
    };
    Ok(Ts::new_unchecked(to_js(&options.verify(&sig, now_seconds()))))
}

#[wasm_bindgen]
extern "C" {
    /// The options object of `verifyUserSig`, read through its four documented members.
    type VerifyOptionsObject;
    #[wasm_bindgen(method, getter = sdkAppId)]
    fn sdk_app_id(this: &VerifyOptionsObject) -> JsValue;
    #[wasm_bindgen(method, getter = secretKey)]
    fn secret_key(this: &VerifyOptionsObject) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn identifier(this: &VerifyOptionsObject) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn now(this: &VerifyOptionsObject) -> JsValue;
}

/// The JSON form of the usual options (a plain object of numbers and strings) read member by
/// member: verifying is called once per request in servers, and the general walk over any
/// JS value cost more than the check itself. `None` for anything else (other members, other
/// kinds of value), which takes the general walk and its reports.
fn plain_verify_options(options: &JsValue) -> Option<serde_json::Value> {
    if !options.is_object() {
        return None;
    }
    let o: &VerifyOptionsObject = options.unchecked_ref();
    let mut m = serde_json::Map::new();
    for (key, v) in [("sdkAppId", o.sdk_app_id()), ("secretKey", o.secret_key()), ("identifier", o.identifier()), ("now", o.now())] {
        let json = if v.is_undefined() {
            continue;
        } else if let Some(s) = super::text::read(&v) {
            serde_json::Value::String(s)
        } else {
            // Integers only: anything else is for the general walk to name.
            let n = v.as_f64().filter(|f| f.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(f))?;
            serde_json::Value::from(n as u64)
        };
        m.insert(key.to_owned(), json);
    }
    // Any other own member is for the general walk, which names it.
    (js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>()).length() as usize == m.len()).then_some(serde_json::Value::Object(m))
}

/// The `sig` argument must be a JS string.
fn sig_string(sig: JsValue) -> Result<String, Violations> {
    super::text::read(&sig).ok_or_else(|| {
        let mut out = Violations::new();
        let got = if sig.is_null() { "null".to_owned() } else { sig.js_typeof().as_string().unwrap_or_default() };
        out.push(&Path::root().key("sig"), "type", format!("sig must be a string, got {got}"));
        out
    })
}
