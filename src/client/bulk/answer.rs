//! How one call of a bulk run ended, as the driver reports it to the engine, and what that
//! means: whether the service may have applied it, whether it may be tried again, and the
//! error it becomes in JS. A reply is kept only as its per-item results: that is all the
//! engine reads of it.

use crate::client::retry::Failure;
use crate::model::Command;
use crate::model::wire::{ParseError, parse_reply};
use crate::validate::stream::{RESULT_LISTS, Verdict};
pub use crate::validate::stream::Row;
use serde_json::Value;

/// How a call ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// A reply whose envelope succeeded: its per-item results, in the reply's order.
    Reply(Vec<Row>),
    /// The envelope failed with this code.
    Api(u32, String),
    /// HTTP status other than 200.
    Http(u16),
    /// No reply: the fetch failed or the connection dropped.
    Network(String),
    /// No reply within the timeout.
    Timeout,
    /// A 200 reply that could not be read.
    Decode(String),
}

impl Answer {
    /// A successful reply from its parsed JSON.
    pub fn reply(body: &Value) -> Answer {
        Answer::Reply(rows(body))
    }

    /// The failure, for the retry policy; `None` for a reply.
    pub fn failure(&self) -> Option<Failure> {
        Some(match self {
            Answer::Reply(_) => return None,
            Answer::Api(code, _) => Failure::Api(*code),
            Answer::Http(s) => Failure::Http(*s),
            Answer::Network(_) => Failure::Network,
            Answer::Timeout => Failure::Timeout,
            Answer::Decode(_) => Failure::Decode,
        })
    }

    /// Whether the service may have applied the call: no reply, or no usable one.
    pub fn unknown_outcome(&self) -> bool {
        self.failure().is_some_and(Failure::unknown_outcome)
    }

    /// The `name` of the JS error this answer becomes.
    pub fn error_name(&self) -> &'static str {
        match self {
            Answer::Network(_) => "NetworkError",
            Answer::Timeout => "TimeoutError",
            Answer::Http(_) => "HttpError",
            Answer::Api(..) => "ApiError",
            Answer::Reply(_) | Answer::Decode(_) => "DecodeError",
        }
    }

    /// Whether the engine may try this call again (it also needs tries left): a transient
    /// failure, or one whose outcome is unknown.
    pub fn may_retry(&self) -> bool {
        self.failure().is_some_and(Failure::read_retryable)
    }

    /// The code (for envelope failures) and a message naming `command`.
    pub fn describe(&self, command: &str) -> (Option<u32>, String) {
        match self {
            Answer::Reply(_) => (None, String::new()),
            Answer::Api(code, m) => (Some(*code), m.clone()),
            Answer::Http(s) => (None, format!("{command} answered HTTP {s}")),
            Answer::Network(m) => (None, format!("{command} could not be sent: {m}")),
            Answer::Timeout => (None, format!("{command} got no reply in time")),
            Answer::Decode(m) => (None, m.clone()),
        }
    }
}

/// The per-item results of a parsed reply: its first result list, in order.
pub fn rows(body: &Value) -> Vec<Row> {
    // A parsed reply carries its command's lists even when empty, so the first non-empty one
    // is read (a reply that names its results under another command's list is read as before).
    let Some(list) = RESULT_LISTS.iter().find_map(|k| body.get(*k).and_then(Value::as_array).filter(|l| !l.is_empty())) else {
        return Vec::new();
    };
    let text = |r: &Value, k: &str| r.get(k).and_then(Value::as_str).map(str::to_owned);
    list.iter()
        .map(|r| Row {
            to_account: text(r, "To_Account"),
            code: r.get("ResultCode").and_then(Value::as_u64).unwrap_or(0) as u32,
            info: text(r, "ResultInfo"),
            relation: text(r, "Relation"),
        })
        .collect()
}

/// Reads the reply text of a bulk call (`command`) down to its per-item results. A successful
/// reply that the streaming check passes is read once, its rows taken on the way; anything
/// else (a failed envelope, a shape the check does not decide, a refused one) takes the full
/// parse, so errors and decisions are the same as for a single call's reply.
pub fn reply_rows(text: &str, command: Option<Command>) -> Result<Vec<Row>, ParseError> {
    if let Some(cmd) = command {
        if let (Verdict::Valid, env, Some(rows)) = cmd.check_reply_rows(text) {
            if env.code_zero && env.status_ok {
                return Ok(rows);
            }
        }
    }
    parse_reply(text, command).map(|body| rows(&body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The fast read and the full parse give the same rows, for every result list and for
    /// replies the streaming check leaves to the full parse.
    #[test]
    fn both_reads_give_the_same_rows() {
        let cases = [
            (Command::FriendImport, json!({ "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "ResultItem": [
                { "To_Account": "a", "ResultCode": 0, "ResultInfo": "" },
                { "To_Account": "b\"q", "ResultCode": 30001, "ResultInfo": "already 好友" },
                { "To_Account": "c", "ResultCode": 30008, "Extra": { "x": [1, 2] } },
            ], "Fail_Account": ["b\"q"] })),
            // A null in a member no table names: skipped, as the tree walk leaves it.
            (Command::FriendImport, json!({ "ActionStatus": "OK", "ErrorCode": 0, "ResultItem": [{ "To_Account": "a", "ResultCode": 0 }], "New": null })),
            (Command::FriendCheck, json!({ "ActionStatus": "OK", "ErrorCode": 0, "InfoItem": [
                { "To_Account": "a", "Relation": "CheckResult_Type_AWithB", "ResultCode": 0 },
            ] })),
            (Command::BlackListCheck, json!({ "ActionStatus": "OK", "ErrorCode": 0, "BlackListCheckItem": [
                { "To_Account": "m", "Relation": "BlackCheckResult_Type_NO", "ResultCode": 0, "ResultInfo": "" },
            ] })),
            // A member the row's table does not name (kept as the tree walk keeps it), escapes.
            (Command::FriendImport, json!({ "ActionStatus": "OK", "ErrorCode": 0, "ResultItem": [
                { "ResultInfo": "two\nlines é\t", "Relation": "odd", "ResultCode": 7, "To_Account": "é\\" },
                { "ResultCode": 0, "To_Account": "b" },
            ] })),
            // A result list the command's table does not name: left to the full parse.
            (Command::FriendImport, json!({ "ActionStatus": "OK", "ErrorCode": 0, "InfoItem": [{ "To_Account": "x", "ResultCode": 30001 }] })),
            // No ActionStatus: left to the full parse, which accepts it.
            (Command::FriendDelete, json!({ "ErrorCode": 0, "ResultItem": [{ "To_Account": "z", "ResultCode": 31704 }] })),
        ];
        for (cmd, body) in cases {
            let text = body.to_string();
            let plain = !(cmd == Command::FriendImport && body.get("InfoItem").is_some());
            assert_eq!(cmd.check_reply_rows(&text).2.is_some(), plain, "the rows are read with the check: {text}");
            let fast = reply_rows(&text, Some(cmd)).unwrap();
            let tree = rows(&parse_reply(&text, Some(cmd)).unwrap());
            assert_eq!(fast, tree, "{text}");
            assert!(!fast.is_empty());
        }
    }

    #[test]
    fn a_failed_envelope_or_a_bad_shape_is_an_error_as_before() {
        let failed = reply_rows(r#"{"ActionStatus":"FAIL","ErrorCode":30006,"ErrorInfo":"busy"}"#, Some(Command::FriendImport));
        assert!(matches!(failed, Err(ParseError::Api(f)) if f.error_code == 30006));
        let wrong = reply_rows(r#"{"ActionStatus":"OK","ErrorCode":0,"ResultItem":[{"To_Account":"a","ResultCode":"zero"}]}"#, Some(Command::FriendImport));
        assert!(matches!(wrong, Err(ParseError::Decode { .. })));
        assert!(matches!(reply_rows("not json", Some(Command::FriendImport)), Err(ParseError::Decode { .. })));
    }

    #[test]
    fn the_fast_read_is_taken_for_a_plain_reply() {
        let text = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"To_Account":"a","ResultCode":0,"ResultInfo":""}]}"#;
        let (verdict, env) = Command::FriendImport.check_reply_text(text);
        assert!(verdict == Verdict::Valid && env.code_zero && env.status_ok);
        let (_, _, rows) = Command::FriendImport.check_reply_rows(text);
        assert_eq!(rows.map(|r| r.len()), Some(1), "the rows are read with the check");
        assert_eq!(reply_rows(text, Some(Command::FriendImport)).unwrap()[0].to_account.as_deref(), Some("a"));
    }
}
