//! `verifyWebhook`: the checks a receiver makes on a callback's query string.
//! `SdkAppid` must be ours, then (when a token is configured) `Sign` must match
//! `SHA-256(token + RequestTime)` and `RequestTime` must be within the allowed skew of `now`.
//! A refused request is data (`valid: false` and a reason), never an exception.

use super::query::{self, get};
use super::sign::{sign, signature_matches};
use crate::usersig::MAX_SAFE_INTEGER;
use crate::validate::{self, Path, Violations};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tsify::Tsify;

/// Default freshness window: 60 s either way (the 1-minute window Tencent states for the same
/// signature in another product's webhook docs; for IM a recommendation).
pub const DEFAULT_MAX_SKEW_SECONDS: u64 = 60;

/// Longest token accepted (1..=128 characters is Tencent's limit for the same token in another
/// product's API; the IM console limit is unconfirmed, so this is the lenient bound, not a
/// tighter guess).
pub const MAX_TOKEN_CHARS: usize = 128;

/// Why a callback request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "kebab-case")]
pub enum WebhookRefusal {
    /// `Sign` does not match `SHA-256(token + RequestTime)`.
    BadSignature,
    /// `RequestTime` is further from now than the allowed skew (either way).
    Stale,
    /// `SdkAppid` is not our SDKAppID.
    SdkappidMismatch,
    /// A token is configured but `Sign` or `RequestTime` is absent.
    MissingSignature,
    /// The query cannot be read: no `SdkAppid`, or a value that is not a number or not hex.
    Malformed,
}

/// The outcome of `verifyWebhook`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct WebhookVerification {
    /// True when every check passed.
    pub valid: bool,
    /// Why the request was refused (absent when valid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub reason: Option<WebhookRefusal>,
    /// What was wrong, in words (never contains the token or the expected signature).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub message: Option<String>,
    /// `CallbackCommand` from the query, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub command: Option<String>,
    /// `RequestTime` from the query (Unix seconds), when present and a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub request_time: Option<u64>,
    /// Whether the signature was checked (false with `token: null`).
    pub signature_checked: bool,
}

/// Options of `verifyWebhook`. Give the request's `url` or its `query`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct VerifyWebhookOptions {
    /// The request URL (absolute, or the path with its query, like Node's `req.url`).
    #[tsify(optional)]
    pub url: Option<String>,
    /// The query string (with or without `?`), or its parameters as an object.
    #[tsify(optional, type = "string | Record<string, string | number>")]
    pub query: Option<String>,
    /// The token configured in the console (1 to 128 characters), or `null` when webhook
    /// authentication is not enabled: then `Sign` is not checked, but `SdkAppid` and (when
    /// present) `RequestTime` still are. Required, so that skipping the signature is explicit.
    #[tsify(type = "string | null")]
    pub token: Option<String>,
    /// Our SDKAppID; `SdkAppid` of the request must equal it.
    pub sdk_app_id: u64,
    /// The time to check `RequestTime` against, in Unix seconds. Default: now.
    #[tsify(optional)]
    pub now: Option<u64>,
    /// Largest accepted `|now - RequestTime|` in seconds. Default 60.
    #[tsify(optional)]
    pub max_skew_seconds: Option<u64>,
}

impl VerifyWebhookOptions {
    /// Checks loosely typed options, reporting every problem at once. A `query` object becomes
    /// a query string.
    pub fn from_json(v: &Value) -> Result<Self, Violations> {
        let mut out = Violations::new();
        let root = Path::root();
        let Some(m) = validate::object(v, &root, &mut out) else { return Err(out) };
        validate::no_unknown_fields(m, &["url", "query", "token", "sdkAppId", "now", "maxSkewSeconds"], &root, &mut out);
        let url = validate::optional(m, "url").and_then(|v| validate::string(v, &root.key("url"), &mut out)).map(str::to_owned);
        let query = validate::optional(m, "query").and_then(|v| query_text(v, &root.key("query"), &mut out));
        if url.is_none() && query.is_none() && out.is_empty() {
            out.push(&root.key("url"), "required", "give the request's url or its query");
        }
        let token = token(m, &root, &mut out);
        let sdk_app_id = validate::required(m, "sdkAppId", &root, &mut out)
            .and_then(|v| validate::uint(v, 1, MAX_SAFE_INTEGER, &root.key("sdkAppId"), &mut out));
        let now = validate::optional(m, "now").and_then(|v| validate::uint(v, 0, MAX_SAFE_INTEGER, &root.key("now"), &mut out));
        let max_skew_seconds = validate::optional(m, "maxSkewSeconds")
            .and_then(|v| validate::uint(v, 0, MAX_SAFE_INTEGER, &root.key("maxSkewSeconds"), &mut out));
        match (token, sdk_app_id) {
            (Some(token), Some(sdk_app_id)) if out.is_empty() => Ok(Self { url, query, token, sdk_app_id, now, max_skew_seconds }),
            _ => Err(out),
        }
    }

    /// Verifies the request; `now` (Unix seconds) is used when no `now` option was given.
    pub fn verify(&self, now: u64) -> WebhookVerification {
        let text = self.query.as_deref().or(self.url.as_deref().map(query::query_part)).unwrap_or_default();
        let check = Check { sdk_app_id: self.sdk_app_id, token: self.token.as_deref(), max_skew: self.max_skew_seconds.unwrap_or(DEFAULT_MAX_SKEW_SECONDS) };
        check.run(text, self.now.unwrap_or(now))
    }
}

/// `token`: required, a string of 1..=128 characters or `null`.
fn token(m: &serde_json::Map<String, Value>, root: &Path, out: &mut Violations) -> Option<Option<String>> {
    let at = root.key("token");
    match m.get("token") {
        None => {
            out.push(&at, "required", "token is required: the console token, or null when webhook authentication is off");
            None
        }
        Some(Value::Null) => Some(None),
        Some(v) => {
            let t = validate::string(v, &at, out)?;
            let chars = t.chars().count();
            if chars == 0 || chars > MAX_TOKEN_CHARS {
                out.push(&at, "length", format!("{at} must have 1 to {MAX_TOKEN_CHARS} characters, got {chars}"));
                return None;
            }
            Some(Some(t.to_owned()))
        }
    }
}

/// A query given as text, or as an object of string or number values.
fn query_text(v: &Value, at: &Path, out: &mut Violations) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim_start_matches('?').to_owned()),
        Value::Object(m) => {
            let mut parts = Vec::new();
            for (k, val) in m {
                let text = match val {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    other => {
                        let key = at.key(k);
                        out.push(&key, "type", format!("{key} must be a string or a number, got {}", validate::kind(other)));
                        continue;
                    }
                };
                parts.push(format!("{}={}", query::encode(k), query::encode(&text)));
            }
            Some(parts.join("&"))
        }
        other => {
            out.push(at, "type", format!("{at} must be a string or an object, got {}", validate::kind(other)));
            None
        }
    }
}

/// The checks with their settings, shared by `verifyWebhook` and the handlers.
#[derive(Debug, Clone, Copy)]
pub struct Check<'a> {
    /// Our SDKAppID.
    pub sdk_app_id: u64,
    /// The token, or `None` to skip the signature.
    pub token: Option<&'a str>,
    /// Allowed `|now - RequestTime|`, seconds.
    pub max_skew: u64,
}

impl Check<'_> {
    /// Runs every check on the query string `query` at `now` (Unix seconds).
    pub fn run(&self, query: &str, now: u64) -> WebhookVerification {
        let pairs = query::pairs(query);
        let mut result = WebhookVerification {
            valid: false,
            reason: None,
            message: None,
            command: get(&pairs, "CallbackCommand").map(str::to_owned),
            request_time: None,
            signature_checked: self.token.is_some(),
        };
        let refuse = |mut r: WebhookVerification, reason, message: String| {
            r.reason = Some(reason);
            r.message = Some(message);
            r
        };
        let time_text = get(&pairs, "RequestTime");
        let time = time_text.map(|t| t.parse::<u64>().ok().filter(|_| t.bytes().all(|b| b.is_ascii_digit())));
        result.request_time = time.flatten();
        let Some(app) = get(&pairs, "SdkAppid") else {
            return refuse(result, WebhookRefusal::Malformed, "the query has no SdkAppid".into());
        };
        if app.parse::<u64>().ok() != Some(self.sdk_app_id) {
            return refuse(result, WebhookRefusal::SdkappidMismatch, format!("SdkAppid is not {}", self.sdk_app_id));
        }
        if let Some(token) = self.token {
            let (Some(signature), Some(time_text)) = (get(&pairs, "Sign"), time_text) else {
                return refuse(result, WebhookRefusal::MissingSignature, "a token is configured but the query has no Sign or no RequestTime".into());
            };
            if time.flatten().is_none() {
                return refuse(result, WebhookRefusal::Malformed, "RequestTime is not a whole number of seconds".into());
            }
            if !signature_matches(signature, &sign(token, time_text)) {
                return refuse(result, WebhookRefusal::BadSignature, "Sign does not match SHA-256(token + RequestTime)".into());
            }
        } else if time == Some(None) {
            return refuse(result, WebhookRefusal::Malformed, "RequestTime is not a whole number of seconds".into());
        }
        if let Some(t) = result.request_time {
            if t.abs_diff(now) > self.max_skew {
                let message = format!("RequestTime is {} s from now, more than the allowed {} s", t.abs_diff(now), self.max_skew);
                return refuse(result, WebhookRefusal::Stale, message);
            }
        }
        result.valid = true;
        result
    }
}
