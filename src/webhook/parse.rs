//! `parseCallback(query, bodyText)`: a callback body read as tolerantly as replies are. The
//! body must be a JSON object whose documented fields have the documented types; unknown
//! fields are kept; `CallbackCommand` may be in the query, the body or both (then they must
//! agree). A command this module does not know is not an error: the caller gets it back as
//! [`Parsed::Unknown`] (the handlers answer OK and call `onUnknown`).

use super::callbacks::schema;
use super::query;
use crate::model::wire::SNIPPET_CHARS;
use crate::validate::schema::{Options, Rule, check};
use crate::validate::{Path, Violations};
use serde_json::Value;

/// A body that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackDecodeError {
    /// What is wrong.
    pub message: String,
    /// The start of the body, for diagnosis.
    pub snippet: String,
    /// Field-level problems, when the body was JSON.
    pub violations: Violations,
}

/// A readable callback.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// One of the `Sns.*` commands, its body checked against the schema (`CallbackCommand` set).
    Known {
        /// The command.
        command: String,
        /// The body, unknown fields kept.
        body: Value,
    },
    /// Any other command (another product's callback, or one added after this version).
    Unknown {
        /// The command as sent.
        command: String,
        /// The body as sent.
        body: Value,
    },
}

/// Reads a callback from its query string (or URL) and body text.
pub fn parse_callback(query_or_url: &str, body_text: &str) -> Result<Parsed, CallbackDecodeError> {
    let fail = |message: String, violations: Violations| CallbackDecodeError {
        message,
        snippet: body_text.chars().take(SNIPPET_CHARS).collect(),
        violations,
    };
    let mut body = match serde_json::from_str::<Value>(body_text) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) => return Err(fail("the callback body is JSON but not an object".into(), Violations::new())),
        Err(e) => return Err(fail(format!("the callback body is not JSON ({e})"), Violations::new())),
    };
    let pairs = query::pairs(query::query_part(query_or_url));
    let in_query = query::get(&pairs, "CallbackCommand").filter(|c| !c.is_empty());
    let command = match (body.get("CallbackCommand"), in_query) {
        (Some(Value::String(b)), Some(q)) if b != q => {
            return Err(fail(format!("CallbackCommand differs between the query ({q}) and the body ({b})"), Violations::new()));
        }
        (Some(Value::String(b)), _) => b.clone(),
        (None | Some(Value::Null), Some(q)) => {
            body["CallbackCommand"] = Value::String(q.to_owned());
            q.to_owned()
        }
        (None | Some(Value::Null), None) => return Err(fail("no CallbackCommand in the query or the body".into(), Violations::new())),
        (Some(_), _) => return Err(fail("CallbackCommand in the body is not a string".into(), Violations::new())),
    };
    let Some(fields) = schema(&command) else { return Ok(Parsed::Unknown { command, body }) };
    let mut problems = Violations::new();
    check(&body, &Rule::Object(fields), &Path::root(), &Options::RESPONSE, &mut problems);
    if !problems.is_empty() {
        return Err(fail(format!("the {command} body does not have the documented shape: {problems}"), problems));
    }
    Ok(Parsed::Known { command, body })
}
