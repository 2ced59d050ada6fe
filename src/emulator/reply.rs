//! Reply envelopes: HTTP 200 with `ActionStatus`, `ErrorCode`, `ErrorInfo`.

use serde::Serialize;
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
    json!({ "To_Account": to, "ResultCode": code, "ResultInfo": info(code) })
}

/// What the service says of a code, as it would: the catalogue's meaning (empty for success).
fn info(code: u32) -> &'static str {
    match code {
        0 => "",
        _ => crate::errors::lookup(code).map_or("error", |c| c.meaning),
    }
}

/// One per-target result with nothing but its code, written straight to text.
#[derive(Serialize)]
struct Plain<'a> {
    #[serde(rename = "To_Account")]
    to: &'a str,
    #[serde(rename = "ResultCode")]
    code: u32,
    #[serde(rename = "ResultInfo")]
    info: &'static str,
}

/// The same reply as [`items`] with a [`result`] per `(target, code)` and no other fields,
/// written without building a JSON tree first (a 1000-item `friend_import` spent most of its
/// time building and printing that tree). Members in the same order as [`ok`] writes them.
pub fn plain_items<S: AsRef<str>>(key: &str, results: &[(S, u32)]) -> Reply {
    let failed: Vec<&str> = results.iter().filter(|(_, code)| *code != 0).map(|(to, _)| to.as_ref()).collect();
    let list: Vec<Plain<'_>> = results.iter().map(|(to, code)| Plain { to: to.as_ref(), code: *code, info: info(*code) }).collect();
    // Writing these to a Vec cannot fail: plain strings and numbers.
    let mut body = Vec::with_capacity(96 + results.len() * 56);
    body.extend_from_slice(br#"{"ActionStatus":"OK","ErrorCode":0,"ErrorDisplay":"","ErrorInfo":"""#);
    if !failed.is_empty() {
        body.extend_from_slice(br#","Fail_Account":"#);
        let _ = serde_json::to_writer(&mut body, &failed);
    }
    body.push(b',');
    let _ = serde_json::to_writer(&mut body, key);
    body.push(b':');
    let _ = serde_json::to_writer(&mut body, &list);
    body.push(b'}');
    let body = String::from_utf8(body).unwrap_or_default();
    Reply { status: 200, body }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(r: &Reply) -> Value {
        serde_json::from_str(&r.body).expect("a reply is JSON")
    }

    #[test]
    fn plain_items_says_what_items_says() {
        for results in [vec![("bob", 0), ("carol", 30001), ("dave\"", 30003)], vec![("bob", 0)], vec![]] {
            let tree = items("ResultItem", results.iter().map(|(to, code)| result(to, *code)).collect(), Map::new());
            let plain = plain_items("ResultItem", &results);
            assert_eq!(parsed(&plain), parsed(&tree), "{}", plain.body);
            assert_eq!(plain.status, 200);
        }
    }
}
