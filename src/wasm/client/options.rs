//! `SnsClient`'s options: `new SnsClient(options)` parsed and checked into `Inner`, the state
//! every call of one client shares, with the admin UserSig it signs with.

use super::super::convert::check_js;
use super::super::endpoints::parse_options_into;
use crate::client::options::{Auth, ClientOptions};
use crate::client::retry::RetryPolicy;
use crate::client::sig_cache::{CachedSig, MINTED_EXPIRE_SECONDS};
use crate::client::url::{REDACTED, redact};
use crate::usersig::{SigParams, generate};
use crate::validate::schema::Options;
use crate::validate::{Path, Violations};
use js_sys::{Function, Object, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use super::globals::{FetchFn, now_ms};

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
        let parsed = check_js(data.into(), &Path::root(), ClientOptions::from_json);
        match parsed {
            Ok(o) if out.is_empty() => Ok(Inner {
                sdk_app_id: o.sdk_app_id,
                identifier: o.identifier,
                auth: o.auth,
                base: o.base,
                timeout_ms: o.timeout_ms,
                retry: o.retry,
                rate: f64::from(o.rate_per_second),
                fetch,
                hooks,
                validation,
                sig: RefCell::new(None),
                budgets: crate::client::budget::Budgets::shared(),
                limiter,
            }),
            Ok(_) => Err(out),
            Err(found) => {
                let mut all = found.into_vec();
                all.extend(out.into_vec());
                Err(Violations::from(all))
            }
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
    /// What a fetch failed with, as the `cause` of a `NetworkError`: itself, unless its message
    /// or stack (or its own cause's) shows a secret, when a plain `Error` with the message
    /// scrubbed stands in for it.
    pub(crate) fn safe_cause(&self, thrown: JsValue) -> JsValue {
        let text = |v: &JsValue, k: &str| get(v, k).as_string().unwrap_or_default();
        let inner = get(&thrown, "cause");
        let shows = [text(&thrown, "message"), text(&thrown, "stack"), text(&inner, "message"), text(&inner, "stack"), thrown.as_string().unwrap_or_default()];
        if shows.iter().all(|s| self.scrub(s) == *s) {
            return thrown;
        }
        let message = thrown.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| thrown.as_string()).unwrap_or_default();
        js_sys::Error::new(&self.scrub(&message)).into()
    }

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
