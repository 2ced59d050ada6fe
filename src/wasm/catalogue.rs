//! `explainError` for JS.

use super::convert::{check_js, to_js};
use super::errors::validation_error;
use crate::errors::{ErrorExplanation, explain};
use crate::validate::{self, Path, Violations};
use tsify::Ts;
use wasm_bindgen::prelude::*;

/// Explains an `ErrorCode` or `ResultCode`: a stable name, its meaning, whether a retry can
/// help, and what to do. Unknown codes are described by their range (`known: false`).
///
/// @example
/// import { explainError } from "tim-sns";
/// console.log(explainError(70001)); // { code: 70001, name: "USERSIG_EXPIRED", retryable: false, hint: "generate a new UserSig ...", known: true, ... }
#[wasm_bindgen(js_name = explainError)]
pub fn explain_error(#[wasm_bindgen(unchecked_param_type = "number")] code: JsValue) -> Result<Ts<ErrorExplanation>, JsValue> {
    let path = Path::named("code");
    let code = check_js(code, &path, |json| {
        let mut out = Violations::new();
        validate::uint(json, 0, u64::from(u32::MAX), &path, &mut out).ok_or(out)
    })
    .map_err(validation_error)?;
    Ok(Ts::new_unchecked(to_js(&explain(code as u32))))
}
