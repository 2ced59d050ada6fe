//! Reply envelopes (spec README §1.4): HTTP 200 with `ActionStatus`, `ErrorCode`, `ErrorInfo`.

use serde_json::{Map, Value, json};

/// An HTTP reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status (always 200 here, as the service answers).
    pub status: u16,
    /// The JSON body.
    pub body: String,
}

/// A failed request.
pub fn fail(code: u32, info: &str) -> Reply {
    Reply { status: 200, body: json!({ "ActionStatus": "FAIL", "ErrorCode": code, "ErrorInfo": info, "ErrorDisplay": "" }).to_string() }
}

/// A successful request with these fields.
pub fn ok(mut fields: Map<String, Value>) -> Reply {
    fields.insert("ActionStatus".into(), json!("OK"));
    fields.insert("ErrorCode".into(), json!(0));
    fields.insert("ErrorInfo".into(), json!(""));
    fields.insert("ErrorDisplay".into(), json!(""));
    Reply { status: 200, body: Value::Object(fields).to_string() }
}

/// Per-target results with `Fail_Account` when any failed.
pub fn items(key: &str, results: Vec<Value>, mut extra: Map<String, Value>) -> Reply {
    let failed: Vec<Value> = results
        .iter()
        .filter(|r| r["ResultCode"].as_u64().unwrap_or(0) != 0)
        .map(|r| r["To_Account"].clone())
        .collect();
    if !failed.is_empty() {
        extra.insert("Fail_Account".into(), Value::Array(failed));
    }
    extra.insert(key.into(), Value::Array(results));
    ok(extra)
}

/// One per-target result.
pub fn result(to: &str, code: u32) -> Value {
    json!({ "To_Account": to, "ResultCode": code, "ResultInfo": if code == 0 { "" } else { "see ResultCode" } })
}
