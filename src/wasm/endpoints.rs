//! The 15 endpoints for JS: generic `validate`, `buildRequest` and `parseResponse` taking the
//! wire command, and typed `validateX` / `buildX` / `parseX` per endpoint, all generated from
//! one table of rows below.

use super::convert::{check_js_data, plain_json, to_json};
use super::text;
use js_sys::JsString;
use super::errors::{api_error, decode_error, internal_error, validation_error};
use crate::model::wire::ParseError;
use crate::model::Command;
use crate::validate::schema::{Options, UserIdCharset};
use crate::validate::stream::Verdict;
use crate::validate::{self, Path, Violation, Violations};
use serde_json::Value;
use tsify::Ts;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const VALIDATE_TYPES: &'static str = r#"
/** A `v4/sns` command, by its wire name. */
export type SnsCommand =
  | "friend_add" | "friend_import" | "friend_update" | "friend_delete" | "friend_delete_all"
  | "friend_check" | "friend_get" | "friend_get_list"
  | "black_list_add" | "black_list_delete" | "black_list_get" | "black_list_check"
  | "group_add" | "group_delete" | "group_get";

/** How strictly `validate` checks a request. */
export interface ValidateOptions {
  /** Enforce advised caps and recommendations (e.g. at most 100 AddFriendItem in friend_add). Default true. */
  softLimits?: boolean;
  /** UserID characters: "strict" ([A-Za-z0-9_-]), "printable" (printable ASCII, default) or "any". */
  userIdCharset?: "strict" | "printable" | "any";
  /** Let fields the schema does not know through (for fields Tencent added after this release). Default false. */
  allowUnknownFields?: boolean;
}

/**
 * Checks a request body against every documented rule of `command` and returns all
 * violations (an empty array when the body is valid), each with its field path and rule.
 * Throws a `ValidationError` only for an unknown command or bad options.
 */
export function validate(command: SnsCommand, body: unknown, options?: ValidateOptions): Violation[];

/**
 * Validates a request body of `command` and returns the JSON string to POST (members that are
 * `undefined` or `null` are left out). Throws a `ValidationError` listing every violation.
 */
export function buildRequest(command: SnsCommand, body: unknown, options?: ValidateOptions): string;

/**
 * Reads the reply to `command`: returns the parsed object with unknown fields kept, each result
 * item marked with `outcome` ("ok", "pending" for 30539, "failed"), and `CurrentSequence`
 * added where the wire spells it `CurruentSequence`. Throws an `ApiError` when `ErrorCode` is
 * not 0, and a `DecodeError` when the body is not JSON or has the wrong shape.
 */
export function parseResponse(command: SnsCommand, text: string): Record<string, unknown>;
"#;

/// See the TypeScript declaration above.
#[wasm_bindgen(skip_typescript)]
pub fn validate(command: JsValue, body: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let (cmd, opts) = command_and_options(command, options)?;
    Ok(super::convert::to_js(&violations(cmd, body, &opts)))
}

/// See the TypeScript declaration above.
#[wasm_bindgen(js_name = buildRequest, skip_typescript)]
pub fn build_request(command: JsValue, body: JsValue, options: JsValue) -> Result<JsString, JsValue> {
    let (cmd, opts) = command_and_options(command, options)?;
    build(cmd, body, opts)
}

/// See the TypeScript declaration above.
#[wasm_bindgen(js_name = parseResponse, skip_typescript)]
pub fn parse_response(command: JsValue, text: JsValue) -> Result<JsValue, JsValue> {
    let (cmd, _) = command_and_options(command, JsValue::UNDEFINED)?;
    parse(cmd, text)
}

/// Every violation of `body`, including parts with no JSON form.
fn violations(cmd: Command, body: JsValue, opts: &Options) -> Vec<Violation> {
    match check_js_data(body, &Path::root(), |json| cmd.validate_request(json, opts).into_result(())) {
        Ok(()) => Vec::new(),
        Err(v) => v.into_vec(),
    }
}

fn build(cmd: Command, body: JsValue, opts: Options) -> Result<JsString, JsValue> {
    // Fast path: JS's own JSON.stringify writes the text, checked as it is read (no tree);
    // valid text with no nulls is the body as built, and JS gets its own string back.
    if let Some((js_text, _)) = checked_text(cmd, &body, &opts) {
        return Ok(js_text);
    }
    // Otherwise the tree walk, for the full report (or for nulls and values with no JSON form).
    let built = match plain_json(&body) {
        Some((text, json)) => cmd.validate_request(&json, &opts).into_result(text),
        None => check_js_data(body, &Path::root(), |json| cmd.build(json, &opts)),
    };
    built.map(|t| JsString::from(t.as_str())).map_err(validation_error)
}

/// The fast path of building: `JSON.stringify` of `body` (as JS and as Rust text) when the
/// streaming check finds it valid as it is; `None` sends the caller to the tree walk.
pub(crate) fn checked_text(cmd: Command, body: &JsValue, opts: &Options) -> Option<(JsString, String)> {
    let js_text = js_sys::JSON::stringify(body).ok()?;
    let text = text::read(&js_text)?;
    (cmd.check_request_text(&text, opts) == Verdict::Valid).then_some((js_text, text))
}

fn parse(cmd: Command, js_text: JsValue) -> Result<JsValue, JsValue> {
    let Some(text) = text::read(&js_text) else {
        let mut out = Violations::new();
        out.push(&Path::root().key("text"), "type", "text must be the reply body as a string");
        return Err(validation_error(out));
    };
    // Fast path: a successful reply that parsing would not change goes to JS's own JSON.parse
    // once it passes the streaming check; anything else takes the full parse.
    let (verdict, env) = cmd.check_reply_text(&text);
    if verdict == Verdict::Valid && env.code_zero && env.status_ok && !env.annotated {
        return text::parse_json(js_text.unchecked_ref()).map_err(|_| internal_error("reply could not be re-read"));
    }
    match cmd.parse(&text) {
        // JSON.parse of our own output: the cheapest faithful way to hand the object to JS.
        Ok(value) => js_sys::JSON::parse(&value.to_string()).map_err(|_| internal_error("reply could not be re-read")),
        Err(ParseError::Api(f)) => Err(api_error(&f)),
        Err(ParseError::Decode { message, snippet, violations }) => Err(decode_error(&message, &snippet, &violations)),
    }
}

/// The wire command and the options, or a `ValidationError` naming what is wrong with them.
fn command_and_options(command: JsValue, options: JsValue) -> Result<(Command, Options), JsValue> {
    let mut out = Violations::new();
    let cmd_path = Path::named("command");
    let cmd = match command.as_string() {
        Some(name) => Command::from_wire(&name).or_else(|| {
            out.push(&cmd_path, "enum", format!("command must be one of the 15 v4/sns commands, got \"{name}\""));
            None
        }),
        None => {
            out.push(&cmd_path, "type", "command must be a string");
            None
        }
    };
    let opts = parse_options(options, &mut out);
    match (cmd, opts) {
        (Some(cmd), Some(opts)) => Ok((cmd, opts)),
        _ => Err(validation_error(out)),
    }
}

fn parse_options(options: JsValue, out: &mut Violations) -> Option<Options> {
    parse_options_into(options, "options", out)
}

/// Reads validation options (`softLimits`, `userIdCharset`, `allowUnknownFields`) named `name`.
pub(crate) fn parse_options_into(options: JsValue, name: &str, out: &mut Violations) -> Option<Options> {
    let mut opts = Options::REQUEST;
    if options.is_undefined() || options.is_null() {
        return Some(opts);
    }
    let root = Path::named(name);
    let json = match to_json(options, &root) {
        Ok(v) => v,
        Err(v) => {
            v.into_vec().into_iter().for_each(|x| out.push(&root, &x.rule, x.message));
            return None;
        }
    };
    let before = out.as_slice().len();
    let m = validate::object(&json, &root, out)?;
    validate::no_unknown_fields(m, &["softLimits", "userIdCharset", "allowUnknownFields"], &root, out);
    let flag = |key: &str, out: &mut Violations| match validate::optional(m, key) {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            out.push(&root.key(key), "type", format!("{} must be a boolean", root.key(key)));
            None
        }
    };
    if let Some(b) = flag("softLimits", out) {
        opts.soft_limits = b;
    }
    if let Some(b) = flag("allowUnknownFields", out) {
        opts.reject_unknown_fields = !b;
    }
    match validate::optional(m, "userIdCharset").map(Value::as_str) {
        None => {}
        Some(Some("strict")) => opts.user_id_charset = UserIdCharset::Strict,
        Some(Some("printable")) => opts.user_id_charset = UserIdCharset::Printable,
        Some(Some("any")) => opts.user_id_charset = UserIdCharset::Any,
        Some(_) => out.push(&root.key("userIdCharset"), "enum", "options.userIdCharset must be \"strict\", \"printable\" or \"any\""),
    }
    (out.as_slice().len() == before).then_some(opts)
}

/// The three typed exports of each row of the endpoint table.
macro_rules! endpoint_exports {
    ($($cmd:ident => $module:ident, $req:ident, $resp:ident, $v:ident = $vjs:literal, $b:ident = $bjs:literal, $p:ident = $pjs:literal, $m:literal, $ret:literal;)*) => {$(
        #[doc = concat!("Checks a `", stringify!($module), "` request body against every documented rule; throws a")]
        #[doc = "`ValidationError` listing every violation, each with its field path."]
        #[wasm_bindgen(js_name = $vjs)]
        pub fn $v(
            body: Ts<crate::model::$module::$req>,
            #[wasm_bindgen(unchecked_optional_param_type = "ValidateOptions")] options: JsValue,
        ) -> Result<(), JsValue> {
            let opts = parse_options_only(options)?;
            let found = violations(Command::$cmd, body.into(), &opts);
            if found.is_empty() { Ok(()) } else { Err(validation_error(Violations::from(found))) }
        }

        #[doc = concat!("Validates a `", stringify!($module), "` request body and returns the JSON string to POST;")]
        #[doc = "throws a `ValidationError` listing every violation."]
        #[wasm_bindgen(js_name = $bjs)]
        pub fn $b(
            body: Ts<crate::model::$module::$req>,
            #[wasm_bindgen(unchecked_optional_param_type = "ValidateOptions")] options: JsValue,
        ) -> Result<JsString, JsValue> {
            let opts = parse_options_only(options)?;
            build(Command::$cmd, body.into(), opts)
        }

        #[doc = concat!("Reads a `", stringify!($module), "` reply: unknown fields kept, result items marked with")]
        #[doc = "`outcome`. Throws an `ApiError` when `ErrorCode` is not 0, a `DecodeError` for an unusable body."]
        #[wasm_bindgen(js_name = $pjs)]
        pub fn $p(#[wasm_bindgen(unchecked_param_type = "string")] text: JsValue) -> Result<Ts<crate::model::$module::$resp>, JsValue> {
            parse(Command::$cmd, text).map(Ts::new_unchecked)
        }
    )*};
}

fn parse_options_only(options: JsValue) -> Result<Options, JsValue> {
    let mut out = Violations::new();
    parse_options(options, &mut out).ok_or_else(|| validation_error(out))
}

crate::for_each_endpoint!(endpoint_exports);
