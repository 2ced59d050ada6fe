//! `inspectPaste` and `locatePaths` for the debugging page (the emulator entry, which the page
//! loads anyway: the browser client stays within its size budget).

use super::convert::to_js;
use super::errors::validation_error;
use super::{now_seconds, text};
use crate::paste::{self, Inspection};
use crate::validate::{Path, Violations};
use tsify::Ts;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const PASTE_TYPES: &'static str = r#"
/** Options of `inspectPaste`. */
export interface InspectPasteOptions {
  /** The app's secret key: when given, the usersig's signature is checked too. Never echoed. */
  secretKey?: string;
  /** The time to check expiry at, Unix seconds. Default: now. */
  now?: number;
}

/** A range of a text in UTF-16 code units, as JS strings and editors count. */
export interface TextRange {
  /** Where the range starts (inclusive). */
  from: number;
  /** Where it ends (exclusive). */
  to: number;
  /** False when the path is absent and the range is its nearest present ancestor's. */
  exact: boolean;
}
"#;

/// Reads a pasted failing request (a curl command, a request URL followed by its JSON body, or
/// a log line holding both, optionally with the reply): its endpoint, query, body, the usersig
/// decoded and checked (each problem with the server's error code), every body violation, and
/// the paste with the usersig redacted. Nothing of the usersig is returned but its decoded
/// fields. Throws a `ValidationError` for bad arguments only.
#[wasm_bindgen(js_name = inspectPaste)]
pub fn inspect_paste(
    #[wasm_bindgen(unchecked_param_type = "string")] pasted: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "InspectPasteOptions")] options: Option<JsValue>,
) -> Result<Ts<Inspection>, JsValue> {
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let mut bad = Violations::new();
    let pasted = text::read(&pasted).unwrap_or_else(|| {
        bad.push(&Path::named("text"), "type", "text must be a string");
        String::new()
    });
    let member = |name: &str| if options.is_object() { js_sys::Reflect::get(&options, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED) } else { JsValue::UNDEFINED };
    let key = member("secretKey");
    let key = if key.is_undefined() || key.as_string().is_some_and(|k| k.is_empty()) {
        None
    } else {
        key.as_string().or_else(|| {
            bad.push(&Path::named("options").key("secretKey"), "type", "options.secretKey must be a string");
            None
        })
    };
    let now = member("now");
    let now = if now.is_undefined() {
        now_seconds()
    } else {
        match now.as_f64().filter(|n| n.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(n)) {
            Some(n) => n as u64,
            None => {
                bad.push(&Path::named("options").key("now"), "type", "options.now must be a non-negative integer (Unix seconds)");
                0
            }
        }
    };
    if !bad.is_empty() {
        return Err(validation_error(bad));
    }
    Ok(Ts::new_unchecked(to_js(&paste::inspect(&pasted, now, key.as_deref()))))
}

/// Where each violation path (`AddFriendItem[1].AddSource`) sits in the JSON `text`: a range in
/// UTF-16 code units, or `null` when the text is not JSON that far. A path that is absent gets
/// its nearest present ancestor, with `exact: false`.
#[wasm_bindgen(js_name = locatePaths, unchecked_return_type = "(TextRange | null)[]")]
pub fn locate_paths(
    #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string[]")] paths: JsValue,
) -> Result<JsValue, JsValue> {
    let Some(json) = text::read(&json) else {
        let mut bad = Violations::new();
        bad.push(&Path::named("text"), "type", "text must be a string");
        return Err(validation_error(bad));
    };
    let paths: Vec<String> = js_sys::Array::from(&paths).iter().map(|p| p.as_string().unwrap_or_default()).collect();
    // Byte offsets to UTF-16 ones, as the editor counts.
    let units = |byte: usize| json[..byte].encode_utf16().count();
    let found: Vec<Option<serde_json::Value>> = paths
        .iter()
        .map(|p| paste::locate(&json, p).map(|l| serde_json::json!({ "from": units(l.start), "to": units(l.end), "exact": l.exact })))
        .collect();
    Ok(to_js(&found))
}

/// The completions at `offset` (UTF-16 code units) of a `command` request body being typed:
/// the member names the object there may still take, or an enumeration's values. `from` and `to`
/// (UTF-16 code units) delimit the text the chosen `apply` replaces; `null` when nothing fits.
#[wasm_bindgen(js_name = completeAt, unchecked_return_type = "Completion | null")]
pub fn complete_at(
    #[wasm_bindgen(unchecked_param_type = "string")] command: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
    offset: u32,
) -> JsValue {
    let Some((cmd, json)) = command.as_string().and_then(|c| crate::model::Command::from_wire(&c)).zip(text::read(&json)) else {
        return JsValue::NULL;
    };
    // The editor counts UTF-16 code units; the core, bytes.
    let mut units = 0;
    let byte = json.char_indices().find(|(_, c)| {
        let past = units >= offset as usize;
        units += c.len_utf16();
        past
    }).map_or(json.len(), |(i, _)| i);
    let to_units = |b: usize| json[..b].encode_utf16().count();
    match paste::complete(cmd, &json, byte) {
        Some(mut c) => {
            (c.from, c.to) = (to_units(c.from), to_units(c.to));
            to_js(&c)
        }
        None => JsValue::NULL,
    }
}
