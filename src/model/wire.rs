//! Request bodies out, response bodies in: `build` validates and writes the JSON the service
//! receives; `parse` reads a reply, turns a failed envelope into an [`ApiFailure`], checks the
//! documented shape leniently and marks each result item with its outcome. Unknown fields are
//! kept as they are.

use super::Command;
use super::types::ItemOutcome;
use crate::errors;
use crate::validate::Violations;
use crate::validate::schema::{self, Options};
use serde_json::{Map, Value};

/// How much of an unreadable body an error keeps.
pub const SNIPPET_CHARS: usize = 200;

/// A reply whose envelope says the whole request failed (`ErrorCode != 0` or `ActionStatus: "FAIL"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiFailure {
    /// `ActionStatus`, normally `"FAIL"`.
    pub action_status: String,
    /// `ErrorCode`.
    pub error_code: u32,
    /// `ErrorInfo` (may be empty).
    pub error_info: String,
    /// `ErrorDisplay`, when sent.
    pub error_display: Option<String>,
    /// `RequestId`, when sent.
    pub request_id: Option<String>,
}

impl ApiFailure {
    /// The catalogue's explanation of the code (name, retryable, hint).
    pub fn explanation(&self) -> errors::ErrorExplanation {
        errors::explain(self.error_code)
    }
}

impl std::fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let e = self.explanation();
        write!(f, "request failed with {} ({}): {}", self.error_code, e.name, e.meaning)?;
        if !self.error_info.is_empty() {
            write!(f, "; ErrorInfo: {}", self.error_info)?;
        }
        Ok(())
    }
}

/// Why a reply could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The service answered that the request failed.
    Api(ApiFailure),
    /// The body is not a JSON object, or its documented fields have the wrong types.
    Decode {
        /// What is wrong.
        message: String,
        /// The start of the body, for diagnosis (responses carry no credentials).
        snippet: String,
        /// Field-level problems, when the body was JSON.
        violations: Violations,
    },
}

fn snippet(text: &str) -> String {
    text.chars().take(SNIPPET_CHARS).collect()
}

impl Command {
    /// Validates a request body and writes it as compact JSON. `null` members (JS `undefined`)
    /// are left out, as `JSON.stringify` would.
    pub fn build(self, body: &Value, opts: &Options) -> Result<String, Violations> {
        self.validate_request(body, opts).into_result(())?;
        let mut body = body.clone();
        strip_nulls(&mut body);
        Ok(serde_json::to_string(&body).unwrap_or_default())
    }

    /// Reads a reply body.
    pub fn parse(self, text: &str) -> Result<Value, ParseError> {
        parse_reply(text, Some(self))
    }
}

/// Reads a reply body of `command`, or of any command (envelope only) when `None`.
pub fn parse_reply(text: &str, command: Option<Command>) -> Result<Value, ParseError> {
    let decode = |message: String, violations: Violations| ParseError::Decode { message, snippet: snippet(text), violations };
    let mut body: Value = match serde_json::from_str(text) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) => return Err(decode("the reply is JSON but not an object".into(), Violations::new())),
        Err(e) => return Err(decode(format!("the reply is not JSON ({e})"), Violations::new())),
    };
    if let Some(failure) = failure(&body) {
        return Err(ParseError::Api(failure));
    }
    // Without a command (another service's reply) the envelope alone is checked.
    let shape = match command {
        Some(cmd) => cmd.check_response(&body),
        None => super::check_envelope(&body),
    };
    if !shape.is_empty() {
        return Err(decode(format!("the reply does not have the documented shape: {shape}"), shape));
    }
    if let Some(cmd) = command {
        schema::fill_lists(&mut body, cmd.response_fields());
    }
    if let Value::Object(m) = &mut body {
        annotate(m);
    }
    Ok(body)
}

/// The envelope's verdict: `None` when the request succeeded.
fn failure(body: &Value) -> Option<ApiFailure> {
    let code = body.get("ErrorCode").and_then(Value::as_u64).unwrap_or(0);
    let status = body.get("ActionStatus").and_then(Value::as_str).unwrap_or("OK");
    if code == 0 && status != "FAIL" {
        return None;
    }
    let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_owned);
    Some(ApiFailure {
        action_status: status.to_owned(),
        error_code: u32::try_from(code).unwrap_or(u32::MAX),
        error_info: text("ErrorInfo").unwrap_or_default(),
        error_display: text("ErrorDisplay"),
        request_id: text("RequestId"),
    })
}

/// Marks result items with their outcome, adds `CurrentSequence` where the wire only has
/// the misspelt `CurruentSequence`, and `ActionStatus: "OK"` to a successful reply that left
/// it out or sent `null` (so the typed envelope holds).
fn annotate(m: &mut Map<String, Value>) {
    if m.get("ActionStatus").is_none_or(Value::is_null) {
        m.insert("ActionStatus".into(), Value::from("OK"));
    }
    for key in ["ResultItem", "InfoItem", "BlackListCheckItem"] {
        if let Some(Value::Array(items)) = m.get_mut(key) {
            for item in items.iter_mut().filter_map(Value::as_object_mut) {
                if let Some(code) = item.get("ResultCode").and_then(Value::as_u64) {
                    item.insert("outcome".into(), Value::from(ItemOutcome::of(code).as_str()));
                }
            }
        }
    }
    // Only a sequence is copied: under another command the misspelt key is an unknown field
    // that nothing checked, and a copy of, say, a string would be refused on the next parse.
    if !m.contains_key("CurrentSequence") {
        if let Some(seq) = m.get("CurruentSequence").filter(|v| v.is_u64()).cloned() {
            m.insert("CurrentSequence".into(), seq);
        }
    }
}

/// Removes `null` members in place (a copy that filters would sort every object's keys again,
/// which costs the .wasm a sort).
fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, v| !v.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn build_drops_nulls_and_refuses_invalid_bodies() {
        let body = json!({ "From_Account": "a", "DeleteType": null });
        assert_eq!(Command::FriendDeleteAll.build(&body, &Options::REQUEST).unwrap(), r#"{"From_Account":"a"}"#);
        assert!(Command::FriendDeleteAll.build(&json!({}), &Options::REQUEST).is_err());
    }

    #[test]
    fn parse_marks_outcomes_and_keeps_unknown_fields() {
        let text = r#"{"ResultItem":[{"To_Account":"b","ResultCode":0,"ResultInfo":""},
            {"To_Account":"c","ResultCode":30539,"ResultInfo":""},{"To_Account":"d","ResultCode":30002,"ResultInfo":"x"}],
            "Fail_Account":["d"],"NewField":{"x":1},"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;
        let v = Command::FriendAdd.parse(text).unwrap();
        let outcomes: Vec<&str> = v["ResultItem"].as_array().unwrap().iter().map(|i| i["outcome"].as_str().unwrap()).collect();
        assert_eq!(outcomes, ["ok", "pending", "failed"]);
        assert_eq!(v["NewField"], json!({"x": 1}));
    }

    #[test]
    fn parse_turns_a_failed_envelope_into_an_api_failure() {
        let text = r#"{"ActionStatus":"FAIL","ErrorCode":70001,"ErrorInfo":"sig expired","ErrorDisplay":""}"#;
        let Err(ParseError::Api(f)) = Command::FriendGet.parse(text) else { panic!("expected an API failure") };
        assert_eq!((f.error_code, f.error_info.as_str()), (70001, "sig expired"));
        assert_eq!(f.explanation().name, "USERSIG_EXPIRED");
        assert!(f.to_string().contains("70001"));
    }

    #[test]
    fn parse_reports_bodies_it_cannot_use() {
        for text in ["<html>502 Bad Gateway</html>", "[1]", ""] {
            assert!(matches!(Command::FriendGet.parse(text), Err(ParseError::Decode { .. })), "{text}");
        }
        let bad = r#"{"ActionStatus":"OK","ErrorCode":0,"ResultItem":[{"To_Account":"b","ResultCode":"0"}]}"#;
        let Err(ParseError::Decode { violations, .. }) = Command::FriendAdd.parse(bad) else { panic!() };
        assert_eq!(violations.as_slice()[0].path, "ResultItem[0].ResultCode");
    }

    #[test]
    fn parse_without_a_command_still_checks_the_envelope() {
        // Found by the reply fuzz target: an envelope-only read let `"ActionStatus": "O["` through.
        let bad = r#"{"ActionStatus":"O[","ErrorCode":0}"#;
        assert!(matches!(parse_reply(bad, None), Err(ParseError::Decode { .. })));
        assert!(matches!(parse_reply(r#"{"ActionStatus":"OK"}"#, None), Err(ParseError::Decode { .. })));
        assert_eq!(parse_reply(r#"{"ErrorCode":0,"Any":1}"#, None).unwrap()["ActionStatus"], json!("OK"));
        // Found by the reply fuzz target: a null status was kept as null in an accepted reply.
        assert_eq!(parse_reply(r#"{"ErrorCode":0,"ActionStatus":null}"#, None).unwrap()["ActionStatus"], json!("OK"));
    }

    #[test]
    fn parse_adds_the_correctly_spelt_sequence() {
        let text = r#"{"BlackListItem":[],"StartIndex":0,"CurruentSequence":3,"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;
        assert_eq!(Command::BlackListGet.parse(text).unwrap()["CurrentSequence"], json!(3));
        // Found by the reply fuzz target: under another command the misspelt key is unchecked,
        // and a copy that is not a sequence would make the parsed reply refuse to parse again.
        let odd = r#"{"CurruentSequence":"","ActionStatus":"OK","ErrorCode":0}"#;
        let parsed = Command::FriendGet.parse(odd).unwrap();
        assert!(parsed.get("CurrentSequence").is_none());
        assert!(Command::FriendGet.parse(&parsed.to_string()).is_ok());
    }
}
