//! Core errors as JS errors of this package's classes (`src/wasm/error_classes.js`: `instanceof
//! ApiError` works): `name` tells the kind, own fields carry the details, and a type guard per
//! kind is exported too. (`?` into `JsError` would drop the fields.)

use crate::model::wire::ApiFailure;
use crate::usersig::UserSigRefusal;
use crate::validate::Violations;
use super::convert::to_js;
use js_sys::{Error, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const ERROR_TYPES: &'static str = r#"
/** Base class of every error this package throws: `instanceof TimSnsError` tells them from
 * others. Each kind below is its own class (and has an `isX` guard as well). */
export class TimSnsError extends Error {}

/** Thrown when input breaks a documented rule. Lists every violation, not just the first. */
export class ValidationError extends TimSnsError {
  /** Always "ValidationError": the kind, also for code that cannot use `instanceof`. */
  name: "ValidationError";
  /** Every broken rule, each with the field path (`AddFriendItem[3].AddSource`) and rule id. */
  violations: Violation[];
}

/** Thrown by `decodeUserSig` when the string is not a UserSig. */
export class UserSigError extends TimSnsError {
  /** Always "UserSigError": the kind, also for code that cannot use `instanceof`. */
  name: "UserSigError";
  /** Why the sig was refused. */
  reason: UserSigRefusal;
  /** The REST error code the server answers for the same problem (70003 for a malformed sig). */
  errorCode: number;
}

/** Thrown when the service answers that the whole request failed (`ErrorCode` not 0). */
export class ApiError extends TimSnsError {
  /** Always "ApiError": the kind, also for code that cannot use `instanceof`. */
  name: "ApiError";
  /** `ErrorCode` of the reply. */
  errorCode: number;
  /** `ErrorInfo` of the reply (may be empty). */
  errorInfo: string;
  /** `ErrorDisplay`, when sent. */
  errorDisplay?: string;
  /** `RequestId`, when sent: quote it in support tickets. */
  requestId?: string;
  /** `ActionStatus`, normally "FAIL". */
  actionStatus: string;
  /** Stable name of the code from the catalogue, e.g. "USERSIG_EXPIRED". */
  codeName: string;
  /** Whether repeating the request later can succeed. */
  retryable: boolean;
  /** What to do about it (for 60026, 70016 and 70020: the region does not match the SDKAppID). */
  hint: string;
  /** From `SnsClient` calls: the `random` of the failed attempt. */
  random?: number;
  /** From `SnsClient` calls: the URL, usersig redacted. */
  url?: string;
  /** From `SnsClient` calls: attempts made. */
  attempts?: number;
}

/** Thrown when a reply is not JSON or its documented fields have the wrong types. */
export class DecodeError extends TimSnsError {
  /** Always "DecodeError": the kind, also for code that cannot use `instanceof`. */
  name: "DecodeError";
  /** The first 200 characters of the body. */
  snippet: string;
  /** Field-level problems, when the body was JSON. */
  violations: Violation[];
}

/** True when `e` is an {@link ApiError} thrown by this package. */
export function isApiError(e: unknown): e is ApiError;
/** True when `e` is a {@link DecodeError} thrown by this package. */
export function isDecodeError(e: unknown): e is DecodeError;
/** True when `e` is a {@link ValidationError} thrown by this package. */
export function isValidationError(e: unknown): e is ValidationError;
/** True when `e` is a {@link UserSigError} thrown by this package. */
export function isUserSigError(e: unknown): e is UserSigError;
"#;

#[wasm_bindgen(module = "/src/wasm/error_classes.js")]
extern "C" {
    /// A new error of the class named `name` (`error_classes.js`).
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(name: &str, message: &str) -> Error;
    /// Gives an error of ours the stack of `caller`, captured when the operation started.
    #[wasm_bindgen(js_name = withCallerStack)]
    fn with_caller_stack(error: &JsValue, caller: &Error);
}

/// The stack of the JS code that started an async operation, to give its error (see
/// [`crate::wasm::promise`]). V8 records the frames when the `Error` is made and formats them
/// only when read: on failure.
pub(crate) struct CallerStack(Error);

impl CallerStack {
    /// The current JS stack.
    pub(crate) fn capture() -> Self {
        Self(Error::new(""))
    }

    /// Puts the caller's frames on `error` when it is one of ours.
    pub(crate) fn attach(&self, error: &JsValue) {
        with_caller_stack(error, &self.0);
    }
}

/// An error of this package's class `name` (see `error_classes.js`) with `fields` set on it.
pub(crate) fn js_error(name: &str, message: &str, fields: &[(&str, JsValue)]) -> JsValue {
    let err = make_error(name, message);
    for (key, value) in fields {
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(&err, &JsValue::from_str(key), value);
    }
    err.into()
}

/// A `ValidationError` carrying all violations.
pub(crate) fn validation_error(violations: Violations) -> JsValue {
    let message = violations.to_string();
    let list = to_js(violations.as_slice());
    js_error("ValidationError", &message, &[("violations", list)])
}

/// A `UserSigError` for a refused sig.
pub(crate) fn user_sig_error(reason: UserSigRefusal, error_code: u32, message: &str) -> JsValue {
    let reason = to_js(&reason);
    js_error("UserSigError", message, &[("reason", reason), ("errorCode", error_code.into())])
}

/// An `ApiError` for a failed envelope.
pub(crate) fn api_error(f: &ApiFailure) -> JsValue {
    api_error_with(f, &[])
}

/// An `ApiError` with extra fields (the client's `random`, `url`, `attempts`).
pub(crate) fn api_error_with(f: &ApiFailure, extra: &[(&str, JsValue)]) -> JsValue {
    let e = f.explanation();
    let mut fields = vec![
        ("errorCode", JsValue::from(f.error_code)),
        ("errorInfo", JsValue::from_str(&f.error_info)),
        ("actionStatus", JsValue::from_str(&f.action_status)),
        ("codeName", JsValue::from_str(&e.name)),
        ("retryable", JsValue::from_bool(e.retryable)),
        ("hint", JsValue::from_str(&e.hint)),
    ];
    if let Some(d) = &f.error_display {
        fields.push(("errorDisplay", JsValue::from_str(d)));
    }
    if let Some(r) = &f.request_id {
        fields.push(("requestId", JsValue::from_str(r)));
    }
    fields.extend(extra.iter().cloned());
    js_error("ApiError", &f.to_string(), &fields)
}

/// A `DecodeError` for an unusable reply.
pub(crate) fn decode_error(message: &str, snippet: &str, violations: &Violations) -> JsValue {
    let list = to_js(violations.as_slice());
    js_error("DecodeError", message, &[("snippet", JsValue::from_str(snippet)), ("violations", list)])
}

/// An error for a value this package produced but could not hand to JS (a bug, not bad input).
pub(crate) fn internal_error(what: impl std::fmt::Display) -> JsValue {
    js_error("InternalError", &format!("tim-sns internal error: {what}"), &[])
}

pub(crate) fn has_name(e: &JsValue, name: &str) -> bool {
    e.is_instance_of::<Error>() && e.unchecked_ref::<Error>().name() == name
}

/// True when `e` is an `ApiError` thrown by this package.
#[wasm_bindgen(js_name = isApiError, skip_typescript)]
pub fn is_api_error(e: &JsValue) -> bool {
    has_name(e, "ApiError")
}

/// True when `e` is a `DecodeError` thrown by this package.
#[wasm_bindgen(js_name = isDecodeError, skip_typescript)]
pub fn is_decode_error(e: &JsValue) -> bool {
    has_name(e, "DecodeError")
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
