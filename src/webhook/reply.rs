//! Replies to callbacks: the plain OK reply, the reply to a
//! "before" callback (a `ResultItem` for every target: `0` allows, `38000..=39000` refuses and
//! is what the requesting client receives), the failure reply, and — for the emulator, which
//! plays the service — reading an app's reply to a "before" callback.

use super::callbacks::{PREV_FRIEND_ADD, PREV_FRIEND_RESPONSE};
use crate::validate::{self, Path, Violations};
use serde_json::{Value, json};

/// Lowest code that refuses an item.
pub const MIN_REFUSE_CODE: u64 = 38000;
/// Highest code that refuses an item.
pub const MAX_REFUSE_CODE: u64 = 39000;
/// `ResultInfo` of a refused item when the app gives none.
pub const DEFAULT_REFUSE_INFO: &str = "refused by the app";

/// `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`: the reply to every "after" callback.
pub fn ok_reply() -> Value {
    json!({ "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "" })
}

/// A reply the service counts as the app's failure (`ErrorCode` 1). For a "before" callback it
/// applies the console's failure policy (by default: proceed as if allowed).
pub fn failure_reply(info: &str) -> Value {
    json!({ "ActionStatus": "FAIL", "ErrorCode": 1, "ErrorInfo": info })
}

/// The targets a "before" callback asks about, in order (`FriendItem` or `ResponseFriendItem`).
pub fn targets(callback: &Value) -> Vec<String> {
    let key = match callback.get("CallbackCommand").and_then(Value::as_str) {
        Some(PREV_FRIEND_ADD) => "FriendItem",
        Some(PREV_FRIEND_RESPONSE) => "ResponseFriendItem",
        _ => return Vec::new(),
    };
    callback
        .get(key)
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(|i| i.get("To_Account").and_then(Value::as_str)).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The reply to a "before" callback: every target allowed except those in `refusals`
/// (`[{ To_Account, ResultCode, ResultInfo? }]`, codes in 38000..=39000, each a target of the
/// callback, none twice). Reports every problem at once, paths under `refusals`.
pub fn prev_reply(callback: &Value, refusals: &Value) -> Result<Value, Violations> {
    let mut out = Violations::new();
    let command = callback.get("CallbackCommand").and_then(Value::as_str).unwrap_or_default();
    if command != PREV_FRIEND_ADD && command != PREV_FRIEND_RESPONSE {
        out.push(&Path::named("callback.CallbackCommand"), "enum", format!("only {PREV_FRIEND_ADD} and {PREV_FRIEND_RESPONSE} take refusals"));
        return Err(out);
    }
    let targets = targets(callback);
    let root = Path::named("refusals");
    let list: &[Value] = match refusals {
        Value::Null => &[],
        Value::Array(a) => a,
        other => {
            out.push(&root, "type", format!("refusals must be an array, got {}", validate::kind(other)));
            return Err(out);
        }
    };
    let mut refused: Vec<(String, u64, String)> = Vec::new();
    for (i, r) in list.iter().enumerate() {
        let at = root.index(i);
        let Some(m) = validate::object(r, &at, &mut out) else { continue };
        validate::no_unknown_fields(m, &["To_Account", "ResultCode", "ResultInfo"], &at, &mut out);
        let to = validate::required(m, "To_Account", &at, &mut out).and_then(|v| validate::string(v, &at.key("To_Account"), &mut out));
        let code = validate::required(m, "ResultCode", &at, &mut out)
            .and_then(|v| validate::uint(v, MIN_REFUSE_CODE, MAX_REFUSE_CODE, &at.key("ResultCode"), &mut out));
        let info = validate::optional(m, "ResultInfo").and_then(|v| validate::string(v, &at.key("ResultInfo"), &mut out));
        let Some(to) = to else { continue };
        if !targets.iter().any(|t| t == to) {
            out.push(&at.key("To_Account"), "unknown-target", format!("{at}.To_Account is not a target of this callback"));
        } else if refused.iter().any(|(t, _, _)| t == to) {
            out.push(&at.key("To_Account"), "duplicate", format!("{at}.To_Account is refused twice"));
        } else if let Some(code) = code {
            refused.push((to.to_owned(), code, info.unwrap_or(DEFAULT_REFUSE_INFO).to_owned()));
        }
    }
    out.into_result(())?;
    let items: Vec<Value> = targets
        .iter()
        .map(|t| match refused.iter().find(|(r, _, _)| r == t) {
            Some((_, code, info)) => json!({ "To_Account": t, "ResultCode": code, "ResultInfo": info }),
            None => json!({ "To_Account": t, "ResultCode": 0, "ResultInfo": "" }),
        })
        .collect();
    let mut reply = ok_reply();
    reply["ResultItem"] = Value::Array(items);
    Ok(reply)
}

/// What the service does with the app's answer to a "before" callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrevVerdict {
    /// The app answered: per target, `None` to allow or `Some((code, info))` to refuse.
    Answered(Vec<(String, Option<(u64, String)>)>),
    /// The callback failed (timeout, non-200, not JSON, `ErrorCode` not 0): the default policy
    /// proceeds as if every target were allowed. The text says why.
    Failed(String),
}

impl PrevVerdict {
    /// The refusal for `target`, if the app refused it.
    pub fn refusal(&self, target: &str) -> Option<(u64, String)> {
        match self {
            PrevVerdict::Answered(items) => items.iter().find(|(t, _)| t == target).and_then(|(_, r)| r.clone()),
            PrevVerdict::Failed(_) => None,
        }
    }
}

/// Reads the app's HTTP reply to a "before" callback asking about `targets`. Targets missing
/// from `ResultItem` are allowed. A non-zero code outside 38000..=39000 is not one Tencent
/// documents (unconfirmed how the service treats it); the emulator passes it to the client as a
/// refusal, so that a mistake in the app shows up rather than being silently allowed.
pub fn read_prev_reply(status: u16, text: &str, targets: &[String]) -> PrevVerdict {
    if status != 200 {
        return PrevVerdict::Failed(format!("the app answered HTTP {status}"));
    }
    let Ok(Value::Object(m)) = serde_json::from_str::<Value>(text) else {
        return PrevVerdict::Failed("the app's reply is not a JSON object".into());
    };
    if m.get("ErrorCode").and_then(Value::as_u64) != Some(0) {
        return PrevVerdict::Failed("the app's reply has ErrorCode other than 0".into());
    }
    let items = m.get("ResultItem").and_then(Value::as_array).cloned().unwrap_or_default();
    let verdicts = targets
        .iter()
        .map(|t| {
            let item = items.iter().find(|i| i.get("To_Account").and_then(Value::as_str) == Some(t));
            let code = item.and_then(|i| i.get("ResultCode")).and_then(Value::as_u64).unwrap_or(0);
            let info = item.and_then(|i| i.get("ResultInfo")).and_then(Value::as_str).unwrap_or(DEFAULT_REFUSE_INFO);
            (t.clone(), (code != 0).then(|| (code, info.to_owned())))
        })
        .collect();
    PrevVerdict::Answered(verdicts)
}

/// The app's reply to a callback (HTTP 200, JSON).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, tsify::Tsify)]
pub struct CallbackReply {
    /// `"OK"`, or `"FAIL"` in a failure reply.
    #[serde(rename = "ActionStatus")]
    pub action_status: String,
    /// `0` processed, `1` the app failed (for a "before" callback: the failure policy applies).
    #[serde(rename = "ErrorCode")]
    pub error_code: u32,
    /// Text, usually `""`.
    #[serde(rename = "ErrorInfo")]
    pub error_info: String,
    /// "Before" callbacks only: one item per target.
    #[serde(rename = "ResultItem", default, skip_serializing_if = "Option::is_none")]
    pub result_item: Option<Vec<CallbackResultItem>>,
}

/// The app's verdict on one target of a "before" callback.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, tsify::Tsify)]
pub struct CallbackResultItem {
    /// The target.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `0` allows; 38000 to 39000 refuses, and the requesting client receives this code.
    #[serde(rename = "ResultCode")]
    pub result_code: u32,
    /// The reason text (`""` when allowed).
    #[serde(rename = "ResultInfo")]
    pub result_info: String,
}

/// One target to refuse, for `refuseReply` and the handlers' "before" hooks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, tsify::Tsify)]
pub struct CallbackRefusal {
    /// The target to refuse: a `To_Account` of the callback.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// The app's code, 38000 to 39000: what the requesting client receives as the error.
    #[serde(rename = "ResultCode")]
    pub result_code: u32,
    /// The reason text. Default "refused by the app".
    #[serde(rename = "ResultInfo", default, skip_serializing_if = "Option::is_none")]
    pub result_info: Option<String>,
}
