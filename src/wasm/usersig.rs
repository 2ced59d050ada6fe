//! `genUserSig`, `decodeUserSig`, `verifyUserSig` for JS.

use super::convert::{check_js, to_js};
use super::errors::{user_sig_error, validation_error};
use super::now_seconds;
use crate::usersig::{self, DecodedUserSig, GenUserSigOptions, UserSigRefusal, VerifyUserSigOptions, VerifyUserSigResult};
use crate::validate::{Path, Violations};
use tsify::Ts;
use wasm_bindgen::prelude::*;

/// Mints a UserSig v2 (HMAC-SHA256) exactly as Tencent's official libraries do.
///
/// `time` defaults to now and `expireSeconds` to 180 days. For REST calls, mint the sig for the
/// app admin. Throws a `ValidationError` listing every bad option.
///
/// @example
/// const sig = genUserSig({ sdkAppId: 1400000000, secretKey: process.env.TIM_SECRET_KEY, identifier: "administrator" });
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
    let options = check_js(options.into(), &Path::root(), VerifyUserSigOptions::from_json);
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

/// The `sig` argument must be a JS string.
fn sig_string(sig: JsValue) -> Result<String, Violations> {
    sig.as_string().ok_or_else(|| {
        let mut out = Violations::new();
        let got = if sig.is_null() { "null".to_owned() } else { sig.js_typeof().as_string().unwrap_or_default() };
        out.push(&Path::root().key("sig"), "type", format!("sig must be a string, got {got}"));
        out
    })
}
