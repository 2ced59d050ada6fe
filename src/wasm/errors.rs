//! Core errors as JS `Error` objects: `name` tells the kind, own fields carry the details, and a
//! type guard per kind is exported. (`?` into `JsError` would drop the fields.)

use crate::usersig::UserSigRefusal;
use crate::validate::Violations;
use js_sys::{Error, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const ERROR_TYPES: &'static str = r#"
/** Thrown when input breaks a documented rule. Lists every violation, not just the first. */
export interface ValidationError extends Error {
  name: "ValidationError";
  /** Every broken rule, each with the field path (`AddFriendItem[3].AddSource`) and rule id. */
  violations: Violation[];
}

/** Thrown by `decodeUserSig` when the string is not a UserSig. */
export interface UserSigError extends Error {
  name: "UserSigError";
  /** Why the sig was refused. */
  reason: UserSigRefusal;
  /** The REST error code the server answers for the same problem (70003 for a malformed sig). */
  errorCode: number;
}

/** True when `e` is a {@link ValidationError} thrown by this package. */
export function isValidationError(e: unknown): e is ValidationError;
/** True when `e` is a {@link UserSigError} thrown by this package. */
export function isUserSigError(e: unknown): e is UserSigError;
"#;

fn js_error(name: &str, message: &str, fields: &[(&str, JsValue)]) -> JsValue {
    let err = Error::new(message);
    err.set_name(name);
    for (key, value) in fields {
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(&err, &JsValue::from_str(key), value);
    }
    err.into()
}

/// A `ValidationError` carrying all violations.
pub(crate) fn validation_error(violations: Violations) -> JsValue {
    let message = violations.to_string();
    let list = serde_wasm_bindgen::to_value(violations.as_slice()).unwrap_or(JsValue::NULL);
    js_error("ValidationError", &message, &[("violations", list)])
}

/// A `UserSigError` for a refused sig.
pub(crate) fn user_sig_error(reason: UserSigRefusal, error_code: u32, message: &str) -> JsValue {
    let reason = serde_wasm_bindgen::to_value(&reason).unwrap_or(JsValue::NULL);
    js_error("UserSigError", message, &[("reason", reason), ("errorCode", error_code.into())])
}

/// An error for a value this package produced but could not hand to JS (a bug, not bad input).
pub(crate) fn internal_error(what: impl std::fmt::Display) -> JsValue {
    js_error("InternalError", &format!("tim-sns internal error: {what}"), &[])
}

fn has_name(e: &JsValue, name: &str) -> bool {
    e.is_instance_of::<Error>() && e.unchecked_ref::<Error>().name() == name
}

/// True when `e` is a `ValidationError` thrown by this package.
#[wasm_bindgen(js_name = isValidationError, skip_typescript)]
pub fn is_validation_error(e: &JsValue) -> bool {
    has_name(e, "ValidationError")
}

/// True when `e` is a `UserSigError` thrown by this package.
#[wasm_bindgen(js_name = isUserSigError, skip_typescript)]
pub fn is_user_sig_error(e: &JsValue) -> bool {
    has_name(e, "UserSigError")
}
