//! Request validation for JS, for any of the 15 commands.

use super::convert::{check_js, to_json};
use super::errors::validation_error;
use crate::model::Command;
use crate::validate::schema::{Options, UserIdCharset};
use crate::validate::{self, Path, Violation, Violations};
use serde_json::Value;
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
"#;

/// See the TypeScript declaration above.
#[wasm_bindgen(skip_typescript)]
pub fn validate(command: JsValue, body: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let mut out = Violations::new();
    let cmd_path = Path::root().key("command");
    let cmd = match command.as_string() {
        Some(name) => Command::from_wire(&name).or_else(|| {
            out.push(&cmd_path, "enum", format!("command must be one of the 15 v4/sns commands, got {name:?}"));
            None
        }),
        None => {
            out.push(&cmd_path, "type", "command must be a string");
            None
        }
    };
    let opts = parse_options(options, &mut out);
    let (Some(cmd), Some(opts)) = (cmd, opts) else { return Err(validation_error(out)) };
    let list: Vec<Violation> = match check_js(body, &Path::root(), |json| cmd.validate_request(json, &opts).into_result(())) {
        Ok(()) => Vec::new(),
        Err(v) => v.into_vec(),
    };
    serde_wasm_bindgen::to_value(&list).map_err(|e| super::errors::internal_error(e))
}

fn parse_options(options: JsValue, out: &mut Violations) -> Option<Options> {
    let mut opts = Options::REQUEST;
    if options.is_undefined() || options.is_null() {
        return Some(opts);
    }
    let root = Path::root().key("options");
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
