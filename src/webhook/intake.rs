//! What a webhook handler does with one HTTP request, decided here so that the Node and fetch
//! adapters only move bytes: refuse it (wrong method, too large, failed verification,
//! unreadable body), dispatch a known callback to the app's hook, or pass an unknown command
//! to `onUnknown`; then turn what the hook returned into the reply.

use super::callbacks::is_before;
use super::parse::{Parsed, parse_callback};
use super::query::query_part;
use super::reply::{failure_reply, ok_reply, prev_reply};
use super::verify::{Check, DEFAULT_MAX_SKEW_SECONDS, MAX_TOKEN_CHARS, WebhookVerification};
use crate::usersig::MAX_SAFE_INTEGER;
use crate::validate::{self, Path, Violations};
use serde_json::{Value, json};

/// Default largest body accepted: 1 MiB. The largest documented body, a `friend_delete_all`
/// of 3000 two-way friendships, is about 6000 pairs of ~60 bytes, well below it.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 1 << 20;

/// `ErrorInfo` of the reply when the app's hook throws: the exception's text stays in the app.
pub const HOOK_FAILED: &str = "the app's callback handler failed";

/// HTTP status of that reply: the service treats any non-200 status as a failed callback.
pub const HOOK_FAILED_STATUS: u16 = 500;

/// A handler's settings (the hooks stay in JS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlerConfig {
    /// Our SDKAppID.
    pub sdk_app_id: u64,
    /// The console token, or `None` when authentication is off.
    pub token: Option<String>,
    /// Allowed `|now - RequestTime|`, seconds.
    pub max_skew_seconds: u64,
    /// Largest body accepted, bytes.
    pub max_body_bytes: u64,
}

/// Option keys the adapters read themselves (the hooks).
pub const HOOK_KEYS: [&str; 4] = ["on", "onUnknown", "onRefused", "onError"];

impl HandlerConfig {
    /// Checks the handler options, reporting every problem at once.
    pub fn from_json(v: &Value) -> Result<Self, Violations> {
        let mut out = Violations::new();
        let root = Path::root();
        let Some(m) = validate::object(v, &root, &mut out) else { return Err(out) };
        let mut known = vec!["sdkAppId", "token", "maxSkewSeconds", "maxBodyBytes"];
        known.extend(HOOK_KEYS);
        validate::no_unknown_fields(m, &known, &root, &mut out);
        let sdk_app_id = validate::required(m, "sdkAppId", &root, &mut out)
            .and_then(|v| validate::uint(v, 1, MAX_SAFE_INTEGER, &root.key("sdkAppId"), &mut out));
        let at = root.key("token");
        let token = match m.get("token") {
            None => {
                out.push(&at, "required", "token is required: the console token, or null when webhook authentication is off");
                None
            }
            Some(Value::Null) => Some(None),
            Some(v) => validate::string(v, &at, &mut out).and_then(|t| {
                let n = t.chars().count();
                if n == 0 || n > MAX_TOKEN_CHARS {
                    out.push(&at, "length", format!("{at} must have 1 to {MAX_TOKEN_CHARS} characters, got {n}"));
                    return None;
                }
                Some(Some(t.to_owned()))
            }),
        };
        let skew = validate::optional(m, "maxSkewSeconds").and_then(|v| validate::uint(v, 0, MAX_SAFE_INTEGER, &root.key("maxSkewSeconds"), &mut out));
        let max_body = validate::optional(m, "maxBodyBytes").and_then(|v| validate::uint(v, 1, MAX_SAFE_INTEGER, &root.key("maxBodyBytes"), &mut out));
        match (sdk_app_id, token) {
            (Some(sdk_app_id), Some(token)) if out.is_empty() => Ok(Self {
                sdk_app_id,
                token,
                max_skew_seconds: skew.unwrap_or(DEFAULT_MAX_SKEW_SECONDS),
                max_body_bytes: max_body.unwrap_or(DEFAULT_MAX_BODY_BYTES),
            }),
            _ => Err(out),
        }
    }
}

/// The decision for one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Answer at once with `status` and `reply`, calling nobody's hook but `onRefused`.
    Refuse {
        /// HTTP status.
        status: u16,
        /// The JSON reply (a failure reply).
        reply: Value,
        /// `method-not-allowed`, `too-large`, `decode`, or a verification reason.
        reason: String,
        /// What was wrong, in words.
        message: String,
    },
    /// Call the hook for `command` with `callback`, then [`finish`].
    Dispatch {
        /// The command.
        command: String,
        /// The parsed body.
        callback: Value,
        /// The verification result.
        verification: WebhookVerification,
    },
    /// Not an `Sns.*` command: answer OK and call `onUnknown`.
    Unknown {
        /// The command.
        command: String,
        /// The body.
        body: Value,
        /// The verification result.
        verification: WebhookVerification,
    },
}

impl Decision {
    /// The decision as JSON for the adapters: `{ kind, ... }`.
    pub fn to_json(&self) -> Value {
        match self {
            Decision::Refuse { status, reply, reason, message } => {
                json!({ "kind": "refuse", "status": status, "reply": reply, "reason": reason, "message": message })
            }
            Decision::Dispatch { command, callback, verification } => {
                json!({ "kind": "dispatch", "command": command, "callback": callback, "before": is_before(command), "verification": verification,
                        "reply": ok_reply(), "failure": failure_reply(HOOK_FAILED), "failureStatus": HOOK_FAILED_STATUS })
            }
            Decision::Unknown { command, body, verification } => {
                json!({ "kind": "unknown", "command": command, "body": body, "verification": verification, "reply": ok_reply(),
                        "failure": failure_reply(HOOK_FAILED), "failureStatus": HOOK_FAILED_STATUS })
            }
        }
    }
}

fn refuse(status: u16, reason: &str, message: String) -> Decision {
    Decision::Refuse { status, reply: failure_reply(&message), reason: reason.to_owned(), message }
}

/// Decides what to do with a request: `method`, its `url` (path and query, or absolute), the
/// body text, whether the body exceeded the limit while reading, and now (Unix seconds).
pub fn intake(config: &HandlerConfig, method: &str, url: &str, body: &str, too_large: bool, now: u64) -> Decision {
    if !method.eq_ignore_ascii_case("POST") {
        return refuse(405, "method-not-allowed", "callbacks are POST requests".into());
    }
    if too_large || body.len() as u64 > config.max_body_bytes {
        return refuse(413, "too-large", format!("the body is larger than {} bytes", config.max_body_bytes));
    }
    let check = Check { sdk_app_id: config.sdk_app_id, token: config.token.as_deref(), max_skew: config.max_skew_seconds };
    let verification = check.run(query_part(url), now);
    if let Some(reason) = verification.reason {
        let status = if reason == super::WebhookRefusal::Malformed { 400 } else { 401 };
        let name = serde_json::to_value(reason).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        return refuse(status, &name, verification.message.clone().unwrap_or_default());
    }
    match parse_callback(url, body) {
        Ok(Parsed::Known { command, body }) => Decision::Dispatch { command, callback: body, verification },
        Ok(Parsed::Unknown { command, body }) => Decision::Unknown { command, body, verification },
        Err(e) => refuse(400, "decode", e.message),
    }
}

/// The reply after the hook returned `returned` for `callback`. "After" callbacks always get
/// the OK reply. For "before" callbacks: nothing (`null`) allows every target; an array is the
/// list of refusals; a reply object (from `allowAllReply`/`refuseReply`) is checked again and
/// sent. A bad return value is a `Violations` (the adapters then send the failure reply).
pub fn finish(callback: &Value, returned: &Value) -> Result<Value, Violations> {
    let command = callback.get("CallbackCommand").and_then(Value::as_str).unwrap_or_default();
    if !is_before(command) {
        return Ok(ok_reply());
    }
    match returned {
        Value::Null | Value::Array(_) => prev_reply(callback, returned),
        Value::Object(m) if m.contains_key("ResultItem") => {
            let refusals: Vec<Value> = m["ResultItem"]
                .as_array()
                .map(|items| items.iter().filter(|i| i.get("ResultCode").and_then(Value::as_u64) != Some(0)).cloned().collect())
                .unwrap_or_default();
            prev_reply(callback, &Value::Array(refusals))
        }
        other => {
            let mut out = Violations::new();
            out.push(&Path::named("returned"), "type", format!("a before-callback hook must return nothing, an array of refusals or a reply, got {}", validate::kind(other)));
            Err(out)
        }
    }
}
