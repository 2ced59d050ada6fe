//! The options of `new SnsClient(options)` and of its calls, as plain data: every rule and
//! default in one place (the executor in `src/wasm/` reads the functions among them, such as
//! `fetch` and the hooks, and hands the rest here as JSON).

use crate::client::regions::{self, REGIONS};
use crate::client::retry::RetryPolicy;
use crate::validate::{self, Path, Violations};
use serde_json::{Map, Value};

/// Time allowed for one attempt when the options do not say, ms.
pub const DEFAULT_TIMEOUT_MS: f64 = 10_000.0;
/// Calls per second and command when the options do not say: the documented limit.
pub const DEFAULT_RATE_PER_SECOND: u32 = 200;
/// Extra tries of bulk items answered with a transient code, when the options do not say.
pub const DEFAULT_ITEM_RETRIES: u32 = 2;

/// How the client signs its calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// The secret key: the client mints (and caches) the admin UserSig.
    Key(String),
    /// A ready admin UserSig.
    Sig(String),
}

/// The plain-data options of a client.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientOptions {
    /// The SDKAppID.
    pub sdk_app_id: u64,
    /// The App admin every call is signed for.
    pub identifier: String,
    /// The key or the sig.
    pub auth: Auth,
    /// `https://` + the region's domain, or the given base URL.
    pub base: String,
    /// Time allowed for one attempt, ms.
    pub timeout_ms: f64,
    /// Retries and backoff.
    pub retry: RetryPolicy,
    /// Calls per second and command.
    pub rate_per_second: u32,
}

impl ClientOptions {
    /// Reads and checks the options (functions already taken out); every violation at once.
    pub fn from_json(json: &Value) -> Result<Self, Violations> {
        let mut out = Violations::new();
        let root = Path::root();
        let Some(m) = validate::object(json, &root, &mut out) else { return Err(out) };
        validate::no_unknown_fields(
            m,
            &["sdkAppId", "identifier", "secretKey", "userSig", "region", "backupDomain", "baseUrl", "timeoutMs", "retries", "rateLimitPerSecond"],
            &root,
            &mut out,
        );
        let sdk_app_id = validate::required(m, "sdkAppId", &root, &mut out)
            .and_then(|v| validate::uint(v, 1, crate::usersig::MAX_SAFE_INTEGER, &root.key("sdkAppId"), &mut out));
        let identifier = validate::required(m, "identifier", &root, &mut out)
            .and_then(|v| validate::string_bytes(v, 32, &root.key("identifier"), &mut out));
        let text = |key: &str, out: &mut Violations| {
            validate::optional(m, key).and_then(|v| validate::string_bytes(v, usize::MAX, &root.key(key), out)).map(str::to_owned)
        };
        let auth = match (text("secretKey", &mut out), text("userSig", &mut out)) {
            (Some(key), None) => Some(Auth::Key(key)),
            (None, Some(sig)) => Some(Auth::Sig(sig)),
            (Some(_), Some(_)) => {
                out.push(&root.key("userSig"), "one-of", "give secretKey or userSig, not both");
                None
            }
            (None, None) => {
                out.push(&root.key("secretKey"), "required", "secretKey or userSig is required");
                None
            }
        };
        let backup = match validate::optional(m, "backupDomain") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                out.push(&root.key("backupDomain"), "type", "backupDomain must be a boolean");
                false
            }
        };
        let base = match (text("region", &mut out), text("baseUrl", &mut out)) {
            (Some(id), None) => match regions::find(&id) {
                Some(r) => Some(format!("https://{}", if backup { r.backup_domain } else { r.domain })),
                None => {
                    let ids: Vec<&str> = REGIONS.iter().map(|r| r.id).collect();
                    out.push(&root.key("region"), "enum", format!("region must be one of {}", ids.join(", ")));
                    None
                }
            },
            (None, Some(url)) if url.starts_with("https://") || url.starts_with("http://") => Some(url),
            (None, Some(_)) => {
                out.push(&root.key("baseUrl"), "pattern", "baseUrl must start with https:// or http://");
                None
            }
            (Some(_), Some(_)) => {
                out.push(&root.key("baseUrl"), "one-of", "give region or baseUrl, not both");
                None
            }
            (None, None) => {
                out.push(&root.key("region"), "required", "region or baseUrl is required");
                None
            }
        };
        let timeout_ms = validate::optional(m, "timeoutMs")
            .and_then(|v| validate::uint(v, 1, 600_000, &root.key("timeoutMs"), &mut out))
            .unwrap_or(DEFAULT_TIMEOUT_MS as u64) as f64;
        let rate = validate::optional(m, "rateLimitPerSecond")
            .and_then(|v| validate::uint(v, 1, 100_000, &root.key("rateLimitPerSecond"), &mut out))
            .unwrap_or(u64::from(DEFAULT_RATE_PER_SECOND)) as u32;
        let retry = validate::optional(m, "retries").map(|v| retry_policy(v, &root.key("retries"), &mut out)).unwrap_or_default();
        match (sdk_app_id, identifier, auth, base) {
            (Some(sdk_app_id), Some(identifier), Some(auth), Some(base)) if out.is_empty() => {
                Ok(ClientOptions { sdk_app_id, identifier: identifier.to_owned(), auth, base, timeout_ms, retry, rate_per_second: rate })
            }
            _ => Err(out),
        }
    }
}

/// The per-call options (`{ retries, timeoutMs }`) over the client's.
pub fn call_settings(json: &Value, at: &Path, retry: RetryPolicy, timeout_ms: f64) -> Result<(RetryPolicy, f64), Violations> {
    let mut out = Violations::new();
    let (mut retry, mut timeout_ms) = (retry, timeout_ms);
    if json.is_null() {
        return Ok((retry, timeout_ms));
    }
    if let Some(m) = validate::object(json, at, &mut out) {
        validate::no_unknown_fields(m, &["retries", "timeoutMs"], at, &mut out);
        if let Some(n) = validate::optional(m, "retries").and_then(|v| validate::uint(v, 0, 10, &at.key("retries"), &mut out)) {
            retry.retries = n as u32;
        }
        if let Some(n) = validate::optional(m, "timeoutMs").and_then(|v| validate::uint(v, 1, 600_000, &at.key("timeoutMs"), &mut out)) {
            timeout_ms = n as f64;
        }
    }
    out.into_result((retry, timeout_ms))
}

/// The plain-data options of a bulk run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BulkTuning {
    /// At most this many users at once; `None`: adaptive.
    pub concurrency: Option<usize>,
    /// Extra tries of items answered with a transient code.
    pub item_retries: u32,
    /// Fields added to every body.
    pub body: Map<String, Value>,
}

impl BulkTuning {
    /// Reads and checks `{ concurrency, itemRetries, body }` (functions and the journal taken out).
    pub fn from_json(json: &Value) -> Result<Self, Violations> {
        let mut out = Violations::new();
        let at = Path::named("options");
        let mut result = BulkTuning { concurrency: None, item_retries: DEFAULT_ITEM_RETRIES, body: Map::new() };
        if json.is_null() {
            return Ok(result);
        }
        if let Some(m) = validate::object(json, &at, &mut out) {
            validate::no_unknown_fields(m, &["concurrency", "itemRetries", "body"], &at, &mut out);
            if let Some(n) = validate::optional(m, "concurrency").and_then(|v| validate::uint(v, 1, 10_000, &at.key("concurrency"), &mut out)) {
                result.concurrency = Some(n as usize);
            }
            if let Some(n) = validate::optional(m, "itemRetries").and_then(|v| validate::uint(v, 0, 10, &at.key("itemRetries"), &mut out)) {
                result.item_retries = n as u32;
            }
            if let Some(b) = validate::optional(m, "body") {
                if let Some(obj) = validate::object(b, &at.key("body"), &mut out) {
                    result.body = obj.clone();
                }
            }
        }
        out.into_result(result)
    }
}

/// `retries`: a number of retries, or `{ retries, baseMs, maxMs }`.
pub fn retry_policy(v: &Value, at: &Path, out: &mut Violations) -> RetryPolicy {
    let mut p = RetryPolicy::default();
    match v {
        Value::Number(_) => p.retries = validate::uint(v, 0, 10, at, out).unwrap_or(3) as u32,
        Value::Object(m) => {
            validate::no_unknown_fields(m, &["retries", "baseMs", "maxMs"], at, out);
            if let Some(n) = validate::optional(m, "retries").and_then(|x| validate::uint(x, 0, 10, &at.key("retries"), out)) {
                p.retries = n as u32;
            }
            if let Some(n) = validate::optional(m, "baseMs").and_then(|x| validate::uint(x, 0, 60_000, &at.key("baseMs"), out)) {
                p.base_ms = n as f64;
            }
            if let Some(n) = validate::optional(m, "maxMs").and_then(|x| validate::uint(x, 0, 600_000, &at.key("maxMs"), out)) {
                p.max_ms = n as f64;
            }
        }
        _ => out.push(at, "type", format!("{at} must be a number or an object")),
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_fill_what_the_options_leave_out() {
        let o = ClientOptions::from_json(&json!({ "sdkAppId": 1400000000, "identifier": "admin", "secretKey": "k", "region": "singapore" })).unwrap();
        assert_eq!((o.timeout_ms, o.rate_per_second, o.retry), (DEFAULT_TIMEOUT_MS, DEFAULT_RATE_PER_SECOND, RetryPolicy::default()));
        assert_eq!(o.base, "https://adminapisgp.im.qcloud.com");
        let t = BulkTuning::from_json(&Value::Null).unwrap();
        assert_eq!((t.concurrency, t.item_retries), (None, DEFAULT_ITEM_RETRIES));
    }

    #[test]
    fn every_bad_option_is_reported_at_once() {
        let e = ClientOptions::from_json(&json!({ "sdkAppId": 0, "identifier": "", "region": "mars", "baseUrl": "ftp://x", "timeoutMs": 0, "retries": "x", "color": 1 })).unwrap_err();
        let paths: Vec<String> = e.as_slice().iter().map(|v| v.path.clone()).collect();
        for p in ["sdkAppId", "identifier", "secretKey", "baseUrl", "timeoutMs", "retries", "color"] {
            assert!(paths.iter().any(|x| x == p), "{p} missing from {paths:?}");
        }
        let at = Path::named("options");
        assert!(call_settings(&json!({ "retries": 11 }), &at, RetryPolicy::default(), 1.0).is_err());
        assert_eq!(call_settings(&json!({ "retries": 0, "timeoutMs": 5 }), &at, RetryPolicy::default(), 1.0).unwrap().1, 5.0);
    }
}
