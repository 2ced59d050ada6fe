//! `SnsClient`'s options: `new SnsClient(options)` parsed and checked into `Inner`, the state
//! every call of one client shares, with the admin UserSig it signs with.

use super::super::convert::check_js;
use super::super::endpoints::parse_options_into;
use crate::client::regions::{self, REGIONS};
use crate::client::retry::RetryPolicy;
use crate::client::sig_cache::{CachedSig, MINTED_EXPIRE_SECONDS};
use crate::client::url::{REDACTED, redact};
use crate::usersig::{SigParams, generate};
use crate::validate::schema::Options;
use crate::validate::{self, Path, Violations};
use js_sys::{Function, Object, Reflect};
use serde_json::Value;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use super::transport::{FetchFn, now_ms};

pub(super) enum Auth {
    Key(String),
    Sig(String),
}

pub(super) struct Hooks {
    pub(super) on_request: Option<Function>,
    pub(super) on_response: Option<Function>,
    pub(super) on_error: Option<Function>,
    /// Where a failing hook is reported (default: `console.warn`).
    pub(super) on_hook_error: Option<Function>,
}

pub(crate) struct Inner {
    pub(super) sdk_app_id: u64,
    pub(super) identifier: String,
    pub(super) auth: Auth,
    pub(super) base: String,
    pub(super) timeout_ms: f64,
    pub(super) retry: RetryPolicy,
    pub(crate) rate: f64,
    pub(super) fetch: Option<FetchFn>,
    pub(super) hooks: Hooks,
    pub(super) validation: Options,
    pub(super) sig: RefCell<Option<CachedSig>>,
    /// The rate budgets every call and bulk run of this client spends.
    pub(crate) budgets: crate::client::budget::SharedBudgets,
    /// The caller's `rateLimiter`: paces every call instead of `budgets`.
    pub(crate) limiter: Option<super::limiter::RateLimiter>,
}

/// `obj[key]` of a caller's object or function (options, a thrown error); `undefined` for
/// anything else, or when the lookup throws.
pub(crate) fn get(obj: &JsValue, key: &str) -> JsValue {
    if obj.is_object() || obj.is_function() {
        Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

fn function(obj: &JsValue, key: &str, out: &mut Violations) -> Option<Function> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return None;
    }
    let f = v.dyn_into::<Function>().ok();
    if f.is_none() {
        out.push(&Path::named(key), "type", format!("{key} must be a function"));
    }
    f
}

impl Inner {
    pub(super) fn from_js(options: JsValue) -> Result<Self, Violations> {
        let mut out = Violations::new();
        if !options.is_object() {
            out.push(&Path::named("options"), "type", "options must be an object");
            return Err(out);
        }
        let fetch = function(&options, "fetch", &mut out).map(JsCast::unchecked_into);
        let limiter = super::limiter::RateLimiter::from_js(get(&options, "rateLimiter")).unwrap_or_else(|rule| {
            out.push(&Path::named("rateLimiter"), "type", format!("rateLimiter {rule}"));
            None
        });
        let hooks = Hooks {
            on_request: function(&options, "onRequest", &mut out),
            on_response: function(&options, "onResponse", &mut out),
            on_error: function(&options, "onError", &mut out),
            on_hook_error: function(&options, "onHookError", &mut out),
        };
        // The rest is plain data: copy it without the functions and check it as JSON.
        let data = Object::assign(&Object::new(), options.unchecked_ref::<Object>());
        for key in ["fetch", "onRequest", "onResponse", "onError", "onHookError", "validation", "rateLimiter"] {
            let _ = Reflect::delete_property(&data, &JsValue::from_str(key));
        }
        let mut validation = Options::REQUEST;
        let v = get(&options, "validation");
        if !v.is_undefined() && !v.is_null() {
            if let Some(o) = parse_options_into(v, "validation", &mut out) {
                validation = o;
            }
        }
        let parsed = check_js(data.into(), &Path::root(), Self::from_json);
        match parsed {
            Ok(mut inner) if out.is_empty() => {
                inner.fetch = fetch;
                inner.hooks = hooks;
                inner.validation = validation;
                inner.limiter = limiter;
                Ok(inner)
            }
            Ok(_) => Err(out),
            Err(found) => {
                let mut all = found.into_vec();
                all.extend(out.into_vec());
                Err(Violations::from(all))
            }
        }
    }

    fn from_json(json: &Value) -> Result<Self, Violations> {
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
            .unwrap_or(10_000) as f64;
        let rate = validate::optional(m, "rateLimitPerSecond")
            .and_then(|v| validate::uint(v, 1, 100_000, &root.key("rateLimitPerSecond"), &mut out))
            .unwrap_or(200) as f64;
        let retry = validate::optional(m, "retries").map(|v| retry_policy(v, &root.key("retries"), &mut out)).unwrap_or_default();
        match (sdk_app_id, identifier, auth, base) {
            (Some(sdk_app_id), Some(identifier), Some(auth), Some(base)) if out.is_empty() => Ok(Inner {
                sdk_app_id,
                identifier: identifier.to_owned(),
                auth,
                base,
                timeout_ms,
                retry,
                rate,
                fetch: None,
                hooks: Hooks { on_request: None, on_response: None, on_error: None, on_hook_error: None },
                validation: Options::REQUEST,
                sig: RefCell::new(None),
                budgets: crate::client::budget::Budgets::shared(),
                limiter: None,
            }),
            _ => Err(out),
        }
    }

    /// The admin sig: the given one, or a cached minted one (minted anew after 80% of its life).
    pub(super) fn usersig(&self) -> String {
        match &self.auth {
            Auth::Sig(sig) => sig.clone(),
            Auth::Key(key) => {
                let now = (now_ms() / 1000.0).floor() as u64;
                let mut cache = self.sig.borrow_mut();
                if let Some(c) = cache.as_ref().filter(|c| c.fresh(now)) {
                    return c.sig.clone();
                }
                let params = SigParams { sdk_app_id: self.sdk_app_id, identifier: &self.identifier, time: now, expire: MINTED_EXPIRE_SECONDS, userbuf: None };
                let sig = generate(key, &params);
                *cache = Some(CachedSig { sig: sig.clone(), issued: now, expire: MINTED_EXPIRE_SECONDS });
                sig
            }
        }
    }

    /// Removes the usersig and key from any text (a fetch error could quote the URL).
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut t = redact(text);
        if let Some(c) = self.sig.borrow().as_ref() {
            t = t.replace(&c.sig, REDACTED);
        }
        match &self.auth {
            Auth::Sig(s) | Auth::Key(s) if !s.is_empty() => t.replace(s.as_str(), REDACTED),
            _ => t,
        }
    }
}

fn retry_policy(v: &Value, at: &Path, out: &mut Violations) -> RetryPolicy {
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
