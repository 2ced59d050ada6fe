//! `SnsClient`: signed, throttled, retrying calls over fetch. The policy (URLs, sig cache,
//! throttle, retries) lives in `crate::client`; this file does the JS side: options, the clock,
//! `crypto.getRandomValues`, timers, `AbortController` and the fetch call itself.
//!
//! State sits behind an `Rc` and every method returns a Promise from a plain `&self` method, so
//! many calls can be in flight on one client (an exported `async fn(&self)` would hold a borrow
//! across `.await` and fail with "recursive use of an object").

use super::convert::{check_js, plain_json};
use super::endpoints::parse_options_into;
use super::errors::{api_error_with, decode_error, internal_error, js_error, validation_error};
use crate::client::regions::{self, REGIONS};
use crate::client::retry::{Failure, RetryPolicy};
use crate::client::sig_cache::{CachedSig, MINTED_EXPIRE_SECONDS};
use crate::client::throttle::{DEFAULT_MARGIN_MS, Throttle};
use crate::client::url::{REDACTED, redact, request_url};
use crate::model::Command;
use crate::model::wire::{ParseError, parse_reply};
use crate::usersig::{SigParams, generate};
use crate::validate::schema::Options;
use crate::validate::{self, Path, Violations};
use crate::client::paging::{Kind, Pager};
#[cfg(feature = "bulk")]
use crate::client::bulk::Answer;
use js_sys::{Array, Function, Object, Promise, Reflect};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use super::promise;

#[wasm_bindgen(typescript_custom_section)]
const CLIENT_TYPES: &'static str = r#"
/** A data center: `id` is what `SnsClient` takes as `region`. */
export interface Region { id: string; name: string; domain: string; backupDomain: string; unconfirmed: boolean; }

/** Options of `new SnsClient(...)`. */
export interface SnsClientOptions {
  /** The application's SDKAppID. */
  sdkAppId: number;
  /** An App admin UserID; every call is signed for it. */
  identifier: string;
  /** The secret key: the client mints (and caches) the admin UserSig. Never ship it to a browser. */
  secretKey?: string;
  /** A ready admin UserSig instead of the key (what a browser should use). */
  userSig?: string;
  /** A data center id (see `REGIONS`), e.g. "singapore"; or give `baseUrl`. */
  region?: string;
  /** Use the region's backup domain. */
  backupDomain?: boolean;
  /** Any base URL instead of a region, e.g. "http://127.0.0.1:8080" for the emulator. */
  baseUrl?: string;
  /** Time allowed for one attempt, in ms (default 10000). */
  timeoutMs?: number;
  /** Retries after a failed attempt for transient failures (default 3), or a policy. */
  retries?: number | { retries?: number; baseMs?: number; maxMs?: number };
  /** Calls started per second and endpoint (default 200, the documented limit). */
  rateLimitPerSecond?: number;
  /** A fetch-compatible function (default: the global fetch). */
  fetch?: (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{ status: number; text(): Promise<string> }>;
  /** Called before each attempt. The URL has the usersig redacted. */
  onRequest?: (event: { command: string; url: string; body: string; attempt: number }) => void;
  /** Called after each reply. */
  onResponse?: (event: { command: string; url: string; status: number; attempt: number; durationMs: number }) => void;
  /** Called after each failed attempt, with whether it will be retried. */
  onError?: (event: { command: string; url: string; error: Error; attempt: number; willRetry: boolean }) => void;
  /** Request validation settings (see `validate`). */
  validation?: ValidateOptions;
}

/** Per-call settings. */
export interface CallOptions {
  /** Retries for this call, overriding the client's. */
  retries?: number;
  /** Time allowed for one attempt, in ms. */
  timeoutMs?: number;
  /** Aborting it ends the call with a TimeoutError. */
  signal?: AbortSignal;
}

/** What every reply carries besides Tencent's fields. */
export interface CallMeta {
  /** The `random` of the last attempt. */
  random: number;
  /** Attempts made (1 without retries). */
  attempts: number;
  /** Time from the first attempt to the reply, in ms. */
  durationMs: number;
  /** The URL of the last attempt, usersig redacted. */
  url: string;
}

/** A reply with the call's metadata. */
export type WithMeta<T> = T & { meta: CallMeta };

/** What `preview` shows: nothing is sent. */
export interface RequestPreview { url: string; body: string; curl: string; }

/** Thrown when the reply has an HTTP status other than 200. */
export interface HttpError extends Error { name: "HttpError"; status: number; snippet: string; url: string; attempts: number; }
/** Thrown when the fetch itself fails (no reply). */
export interface NetworkError extends Error { name: "NetworkError"; url: string; attempts: number; }
/** Thrown when an attempt takes longer than `timeoutMs`, or the call's signal aborts. */
export interface TimeoutError extends Error { name: "TimeoutError"; url: string; attempts: number; timeoutMs: number; }
export function isHttpError(e: unknown): e is HttpError;
export function isNetworkError(e: unknown): e is NetworkError;
export function isTimeoutError(e: unknown): e is TimeoutError;

/** Every documented data center. */
export function regions(): Region[];

/** The first request of a `friend_get` walk; `StartIndex` defaults to 0. */
export interface FriendGetPagesRequest { From_Account: string; StartIndex?: number; StandardSequence?: number; CustomSequence?: number; }
/** The first request of a `black_list_get` walk: `StartIndex` defaults to 0, `MaxLimited` to 100, `LastSequence` to 0. */
export interface BlackListGetPagesRequest { From_Account: string; StartIndex?: number; MaxLimited?: number; LastSequence?: number; }
"#;

/// Every documented data center.
#[wasm_bindgen(skip_typescript)]
pub fn regions() -> JsValue {
    super::convert::to_js(REGIONS)
}

enum Auth {
    Key(String),
    Sig(String),
}

struct Hooks {
    on_request: Option<Function>,
    on_response: Option<Function>,
    on_error: Option<Function>,
}

pub(crate) struct Inner {
    sdk_app_id: u64,
    identifier: String,
    auth: Auth,
    base: String,
    timeout_ms: f64,
    retry: RetryPolicy,
    pub(crate) rate: f64,
    fetch: Option<Function>,
    hooks: Hooks,
    validation: Options,
    sig: RefCell<Option<CachedSig>>,
    buckets: RefCell<BTreeMap<String, Throttle>>,
}

/// A client for the relationship-chain API: validates each body, signs the call with the admin
/// UserSig, throttles per endpoint, retries transient failures and parses the reply.
#[wasm_bindgen]
pub struct SnsClient {
    inner: Rc<Inner>,
}

fn global(name: &str) -> JsValue {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// `obj[key]` for objects and functions (constructors such as `AbortSignal` are functions).
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

/// Milliseconds since the epoch from the JS clock.
pub(crate) fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A fresh u32 from `crypto.getRandomValues` (the service wants a random `random`).
pub(crate) fn random_u32() -> u32 {
    let arr = js_sys::Uint32Array::new_with_length(1);
    let crypto = global("crypto");
    if let Ok(f) = get(&crypto, "getRandomValues").dyn_into::<Function>() {
        if f.call1(&crypto, &arr).is_ok() {
            return arr.get_index(0);
        }
    }
    // No Web Crypto (very old runtimes): Math.random is still fine for a request nonce.
    (js_sys::Math::random() * 4_294_967_296.0) as u32
}

/// A Promise resolved after `ms` milliseconds.
pub(crate) fn sleep(ms: f64) -> JsFuture {
    JsFuture::from(delay(ms))
}

/// The Promise of `sleep`, for racing it against others.
pub(crate) fn delay(ms: f64) -> Promise {
    Promise::new(&mut |resolve, _| {
        if let Ok(set_timeout) = global("setTimeout").dyn_into::<Function>() {
            let _ = set_timeout.call2(&JsValue::UNDEFINED, &resolve, &JsValue::from_f64(ms.max(0.0)));
        } else {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    })
}

impl Inner {
    fn from_js(options: JsValue) -> Result<Self, Violations> {
        let mut out = Violations::new();
        if !options.is_object() {
            out.push(&Path::named("options"), "type", "options must be an object");
            return Err(out);
        }
        let fetch = function(&options, "fetch", &mut out);
        let hooks = Hooks {
            on_request: function(&options, "onRequest", &mut out),
            on_response: function(&options, "onResponse", &mut out),
            on_error: function(&options, "onError", &mut out),
        };
        // The rest is plain data: copy it without the functions and check it as JSON.
        let data = Object::assign(&Object::new(), options.unchecked_ref::<Object>());
        for key in ["fetch", "onRequest", "onResponse", "onError", "validation"] {
            let _ = Reflect::delete_property(&data, &JsValue::from_str(key));
        }
        let mut validation = Options::REQUEST;
        let v = get(&options, "validation");
        if !v.is_undefined() && !v.is_null() {
            if let Some(o) = parse_options_into(v, "validation", &mut out) {
                validation = o;
            }
        }
        let parsed = check_js(data.into(), &Path::root(), |json| Self::from_json(json));
        match parsed {
            Ok(mut inner) if out.is_empty() => {
                inner.fetch = fetch;
                inner.hooks = hooks;
                inner.validation = validation;
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
                hooks: Hooks { on_request: None, on_response: None, on_error: None },
                validation: Options::REQUEST,
                sig: RefCell::new(None),
                buckets: RefCell::new(BTreeMap::new()),
            }),
            _ => Err(out),
        }
    }

    /// The admin sig: the given one, or a cached minted one (minted anew after 80% of its life).
    fn usersig(&self) -> String {
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
    fn scrub(&self, text: &str) -> String {
        let mut t = redact(text);
        if let Some(c) = self.sig.borrow().as_ref() {
            t = t.replace(&c.sig, REDACTED);
        }
        match &self.auth {
            Auth::Sig(s) | Auth::Key(s) if !s.is_empty() => t.replace(s.as_str(), REDACTED),
            _ => t,
        }
    }

    /// Waits for this endpoint's throttle.
    async fn throttle(&self, path: &str) {
        loop {
            let now = now_ms();
            let ready = self.buckets.borrow_mut().entry(path.to_owned()).or_insert_with(|| Throttle::new(self.rate as u32, DEFAULT_MARGIN_MS)).take(now);
            match ready {
                None => return,
                Some(at) => {
                    let _ = sleep(at - now).await;
                }
            }
        }
    }

    fn hook(&self, f: &Option<Function>, event: &[(&str, JsValue)]) {
        if let Some(f) = f {
            let obj = Object::new();
            for (k, v) in event {
                let _ = Reflect::set(&obj, &JsValue::from_str(k), v);
            }
            // A throwing hook must not break the call.
            let _ = f.call1(&JsValue::UNDEFINED, &obj);
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

/// One call's request, ready to send.
pub(crate) struct Prepared {
    pub(crate) command: String,
    pub(crate) path: String,
    pub(crate) known: Option<Command>,
    pub(crate) body: String,
}

/// Per-call settings.
pub(crate) struct CallSettings {
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout_ms: f64,
    signal: Option<JsValue>,
}

impl SnsClient {
    /// The shared state, for helpers that outlive the call (bulk runs).
    #[cfg(feature = "bulk")]
    pub(crate) fn inner(&self) -> Rc<Inner> {
        Rc::clone(&self.inner)
    }

    /// The client's validation options.
    #[cfg(feature = "bulk")]
    pub(crate) fn validation(&self) -> Options {
        self.inner.validation
    }

    fn prepare(&self, command: &str, body: JsValue) -> Result<Prepared, JsValue> {
        let known = Command::from_wire(command);
        let path = match known {
            Some(cmd) => cmd.path(),
            // `request` for commands outside the table: "service/command" or a full "v4/..." path.
            None if command.starts_with("v4/") => command.to_owned(),
            None if command.contains('/') => format!("v4/{command}"),
            None => format!("v4/sns/{command}"),
        };
        let text = match known {
            Some(cmd) => match plain_json(&body) {
                Some((text, json)) => cmd.validate_request(&json, &self.inner.validation).into_result(text).map_err(validation_error)?,
                None => check_js(body, &Path::root(), |json| cmd.build(json, &self.inner.validation)).map_err(validation_error)?,
            },
            None => match plain_json(&body) {
                Some((text, Value::Object(_))) => text,
                _ => {
                    let mut out = Violations::new();
                    out.push(&Path::root(), "type", "input must be a JSON object");
                    return Err(validation_error(out));
                }
            },
        };
        Ok(Prepared { command: command.to_owned(), path, known, body: text })
    }

    pub(crate) fn settings(&self, options: &JsValue) -> Result<CallSettings, JsValue> {
        let mut s = CallSettings { retry: self.inner.retry, timeout_ms: self.inner.timeout_ms, signal: None };
        if options.is_undefined() || options.is_null() {
            return Ok(s);
        }
        let mut out = Violations::new();
        let signal = get(options, "signal");
        if !signal.is_undefined() && !signal.is_null() {
            s.signal = Some(signal);
        }
        let data = Object::assign(&Object::new(), options.unchecked_ref::<Object>());
        let _ = Reflect::delete_property(&data, &JsValue::from_str("signal"));
        let json = check_js(data.into(), &Path::named("options"), |j| Ok(j.clone())).map_err(validation_error)?;
        let at = Path::named("options");
        if let Some(m) = validate::object(&json, &at, &mut out) {
            validate::no_unknown_fields(m, &["retries", "timeoutMs"], &at, &mut out);
            if let Some(n) = validate::optional(m, "retries").and_then(|v| validate::uint(v, 0, 10, &at.key("retries"), &mut out)) {
                s.retry.retries = n as u32;
            }
            if let Some(n) = validate::optional(m, "timeoutMs").and_then(|v| validate::uint(v, 1, 600_000, &at.key("timeoutMs"), &mut out)) {
                s.timeout_ms = n as f64;
            }
        }
        out.into_result(s).map_err(validation_error)
    }

    fn call(&self, command: &str, body: JsValue, options: JsValue) -> Promise {
        let prepared = self.prepare(command, body).and_then(|p| Ok((p, self.settings(&options)?)));
        let inner = Rc::clone(&self.inner);
        promise(async move {
            let (prepared, settings) = prepared?;
            send(&inner, &prepared, &settings).await
        })
    }
}

/// One paged walk: the pager and what every request of it shares.
struct Walk {
    pager: RefCell<Pager>,
    inner: Rc<Inner>,
    settings: CallSettings,
    command: Command,
}

impl Walk {
    /// The next page, or `None` when the walk is over.
    async fn next(&self) -> Result<Option<JsValue>, JsValue> {
        let Some(body) = self.pager.borrow().next_body() else { return Ok(None) };
        let prepared = Prepared { command: self.command.wire_name().to_owned(), path: self.command.path(), known: Some(self.command), body: body.to_string() };
        let page = send(&self.inner, &prepared, &self.settings).await?;
        let field = |k: &str| get(&page, k).as_f64().map_or(Value::Null, |n| Value::from(n as u64));
        let reply = serde_json::json!({ "CompleteFlag": field("CompleteFlag"), "NextStartIndex": field("NextStartIndex"), "StartIndex": field("StartIndex") });
        let advanced = self.pager.borrow_mut().advance(&reply);
        advanced.map_err(|stuck| decode_error(&stuck.0, "", &Violations::new()))?;
        Ok(Some(page))
    }
}

impl SnsClient {
    /// The first body of a walk, with defaults filled in and every rule checked.
    fn walk(&self, kind: Kind, body: JsValue, options: JsValue) -> Result<Rc<Walk>, JsValue> {
        let (command, defaults): (Command, &[(&str, u64)]) = match kind {
            Kind::Friends => (Command::FriendGet, &[("StartIndex", 0)]),
            Kind::Blocklist => (Command::BlackListGet, &[("StartIndex", 0), ("MaxLimited", 100), ("LastSequence", 0)]),
        };
        let settings = self.settings(&options)?;
        let mut json = check_js(body, &Path::root(), |j| Ok(j.clone())).map_err(validation_error)?;
        if let Value::Object(m) = &mut json {
            for (key, value) in defaults {
                if m.get(*key).is_none_or(Value::is_null) {
                    m.insert((*key).to_owned(), Value::from(*value));
                }
            }
        }
        command.validate_request(&json, &self.inner.validation).into_result(()).map_err(validation_error)?;
        Ok(Rc::new(Walk { pager: RefCell::new(Pager::new(kind, json)), inner: Rc::clone(&self.inner), settings, command }))
    }

    /// An async iterator over the pages of a walk.
    fn pages(&self, kind: Kind, body: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        let walk = self.walk(kind, body, options)?;
        let iterator = Object::new();
        let next = Closure::<dyn FnMut() -> Promise>::new(move || {
            let walk = Rc::clone(&walk);
            promise(async move {
                let result = Object::new();
                let page = walk.next().await?;
                set_fields(&result, &[("done", JsValue::from_bool(page.is_none())), ("value", page.unwrap_or(JsValue::UNDEFINED))]);
                Ok(result.into())
            })
        });
        let this = iterator.clone();
        let itself = Closure::<dyn FnMut() -> JsValue>::new(move || this.clone().into());
        let _ = Reflect::set(&iterator, &JsValue::from_str("next"), &next.into_js_value());
        let _ = Reflect::set(&iterator, &js_sys::Symbol::async_iterator(), &itself.into_js_value());
        Ok(iterator.into())
    }

    /// Every item of every page of a walk.
    fn collect(&self, kind: Kind, body: JsValue, options: JsValue) -> Promise {
        let walk = self.walk(kind, body, options);
        let key = match kind {
            Kind::Friends => "UserDataItem",
            Kind::Blocklist => "BlackListItem",
        };
        promise(async move {
            let walk = walk?;
            let all = Array::new();
            while let Some(page) = walk.next().await? {
                if let Some(items) = get(&page, key).dyn_ref::<Array>() {
                    for item in items.iter() {
                        all.push(&item);
                    }
                }
            }
            Ok(all.into())
        })
    }
}

/// How one attempt ended.
pub(crate) enum Attempt {
    Reply(u16, String),
    Network(String),
    Timeout,
}

/// One JSON `POST` through `fetch` (default: the global one), aborted after `timeout_ms` or
/// when `user_signal` aborts. Shared by the client and the emulator's webhook sender.
pub(crate) async fn post_json(fetch: Option<&Function>, url: &str, body: &str, timeout_ms: f64, user_signal: Option<&JsValue>) -> Attempt {
    let fetch = match fetch {
        Some(f) => f.clone(),
        None => match global("fetch").dyn_into::<Function>() {
            Ok(f) => f,
            Err(_) => return Attempt::Network("no fetch function: pass options.fetch".into()),
        },
    };
    let controller = Reflect::construct(&global("AbortController").unchecked_into::<Function>(), &js_sys::Array::new()).ok();
    let mut signal = controller.as_ref().map(|c| get(c, "signal"));
    if let Some(user) = user_signal {
        if get(user, "aborted").as_bool() == Some(true) {
            return Attempt::Timeout;
        }
        // Either signal ends the attempt.
        let any = get(&global("AbortSignal"), "any");
        signal = match (any.dyn_ref::<Function>(), signal) {
            (Some(any), Some(own)) => any.call1(&global("AbortSignal"), &js_sys::Array::of2(&own, user)).ok(),
            (_, own) => own.or_else(|| Some(user.clone())),
        };
    }
    let timer = controller.as_ref().and_then(|c| {
        let abort = get(c, "abort").dyn_into::<Function>().ok()?.bind0(c);
        global("setTimeout").dyn_into::<Function>().ok()?.call2(&JsValue::UNDEFINED, &abort, &JsValue::from_f64(timeout_ms)).ok()
    });
    let init = Object::new();
    let headers = Object::new();
    let _ = Reflect::set(&headers, &"Content-Type".into(), &"application/json".into());
    let _ = Reflect::set(&init, &"method".into(), &"POST".into());
    let _ = Reflect::set(&init, &"headers".into(), &headers);
    let _ = Reflect::set(&init, &"body".into(), &JsValue::from_str(body));
    if let Some(s) = &signal {
        let _ = Reflect::set(&init, &"signal".into(), s);
    }
    let aborted = || signal.as_ref().is_some_and(|s| get(s, "aborted").as_bool() == Some(true));
    let result = async {
        let promise = fetch.call2(&JsValue::UNDEFINED, &JsValue::from_str(url), &init).map_err(|e| e)?;
        let response = JsFuture::from(Promise::resolve(&promise)).await?;
        let status = get(&response, "status").as_f64().unwrap_or(0.0) as u16;
        let text_fn = get(&response, "text").dyn_into::<Function>().map_err(|_| JsValue::from_str("reply has no text()"))?;
        let text = JsFuture::from(Promise::resolve(&text_fn.call0(&response)?)).await?;
        Ok::<_, JsValue>((status, text.as_string().unwrap_or_default()))
    }
    .await;
    if let Some(t) = timer {
        if let Ok(clear) = global("clearTimeout").dyn_into::<Function>() {
            let _ = clear.call1(&JsValue::UNDEFINED, &t);
        }
    }
    match result {
        Ok((status, text)) => Attempt::Reply(status, text),
        Err(_) if aborted() => Attempt::Timeout,
        Err(e) => {
            let message = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| e.as_string()).unwrap_or_else(|| "fetch failed".into());
            let cause = get(&get(&e, "cause"), "message").as_string();
            Attempt::Network(match cause {
                Some(c) => format!("{message} ({c})"),
                None => message,
            })
        }
    }
}

async fn send(inner: &Inner, p: &Prepared, settings: &CallSettings) -> Result<JsValue, JsValue> {
    let value = send_value(inner, p, settings).await?;
    js_sys::JSON::parse(&value.to_string()).map_err(|_| internal_error("reply could not be re-read"))
}

/// One call with its retries; the parsed reply with `meta`, as JSON.
pub(crate) async fn send_value(inner: &Inner, p: &Prepared, settings: &CallSettings) -> Result<Value, JsValue> {
    let started = now_ms();
    let mut attempts = 0u32;
    loop {
        attempts += 1;
        inner.throttle(&p.path).await;
        let random = random_u32();
        let url = request_url(&inner.base, &p.path, inner.sdk_app_id, &inner.identifier, &inner.usersig(), random);
        let shown = redact(&url);
        let common = |extra: &[(&'static str, JsValue)]| -> Vec<(&'static str, JsValue)> {
            let mut v = vec![("command", JsValue::from_str(&p.command)), ("url", JsValue::from_str(&shown)), ("attempt", JsValue::from(attempts))];
            v.extend(extra.iter().cloned());
            v
        };
        inner.hook(&inner.hooks.on_request, &common(&[("body", JsValue::from_str(&p.body))]));
        let t0 = now_ms();
        let outcome = post_json(inner.fetch.as_ref(), &url, &p.body, settings.timeout_ms, settings.signal.as_ref()).await;
        let meta_fields = [
            ("url", JsValue::from_str(&shown)),
            ("attempts", JsValue::from(attempts)),
            ("random", JsValue::from(random)),
        ];
        let (failure, error) = match outcome {
            Attempt::Reply(status, text) => {
                inner.hook(&inner.hooks.on_response, &common(&[("status", JsValue::from(status)), ("durationMs", JsValue::from_f64(now_ms() - t0))]));
                if status != 200 {
                    let snippet: String = inner.scrub(&text).chars().take(200).collect();
                    let e = js_error(
                        "HttpError",
                        &format!("{} answered HTTP {status}", p.command),
                        &[&meta_fields[..], &[("status", JsValue::from(status)), ("snippet", JsValue::from_str(&snippet))]].concat(),
                    );
                    (Failure::Http(status), e)
                } else {
                    match parse_reply(&text, p.known) {
                        Ok(value) => return Ok(with_meta(value, random, attempts, now_ms() - started, &shown)),
                        Err(ParseError::Api(f)) => (Failure::Api(f.error_code), api_error_with(&f, &meta_fields)),
                        Err(ParseError::Decode { message, snippet, violations }) => {
                            let e = decode_error(&message, &inner.scrub(&snippet), &violations);
                            set_fields(&e, &meta_fields);
                            (Failure::Decode, e)
                        }
                    }
                }
            }
            Attempt::Network(message) => (
                Failure::Network,
                js_error("NetworkError", &format!("{} could not be sent: {}", p.command, inner.scrub(&message)), &meta_fields),
            ),
            Attempt::Timeout => (
                Failure::Timeout,
                js_error(
                    "TimeoutError",
                    &format!("{} got no reply within {} ms (or was aborted)", p.command, settings.timeout_ms as u64),
                    &[&meta_fields[..], &[("timeoutMs", JsValue::from_f64(settings.timeout_ms))]].concat(),
                ),
            ),
        };
        let user_aborted = settings.signal.as_ref().is_some_and(|s| get(s, "aborted").as_bool() == Some(true));
        let will_retry = !user_aborted && settings.retry.should_retry(attempts, failure);
        inner.hook(&inner.hooks.on_error, &common(&[("error", error.clone()), ("willRetry", JsValue::from_bool(will_retry))]));
        if !will_retry {
            return Err(error);
        }
        let _ = sleep(settings.retry.backoff_ms(attempts, js_sys::Math::random())).await;
    }
}

/// One attempt, unthrottled and not retried (the bulk engine decides both), as the engine's
/// `Answer`. The hooks see it like any other attempt.
#[cfg(feature = "bulk")]
pub(crate) async fn once(inner: &Inner, p: &Prepared, settings: &CallSettings, attempt_no: u32) -> Answer {
    let url = request_url(&inner.base, &p.path, inner.sdk_app_id, &inner.identifier, &inner.usersig(), random_u32());
    let shown = redact(&url);
    let common = |extra: &[(&'static str, JsValue)]| -> Vec<(&'static str, JsValue)> {
        let mut v = vec![("command", JsValue::from_str(&p.command)), ("url", JsValue::from_str(&shown)), ("attempt", JsValue::from(attempt_no))];
        v.extend(extra.iter().cloned());
        v
    };
    inner.hook(&inner.hooks.on_request, &common(&[("body", JsValue::from_str(&p.body))]));
    let t0 = now_ms();
    let answer = match post_json(inner.fetch.as_ref(), &url, &p.body, settings.timeout_ms, settings.signal.as_ref()).await {
        Attempt::Reply(status, text) => {
            inner.hook(&inner.hooks.on_response, &common(&[("status", JsValue::from(status)), ("durationMs", JsValue::from_f64(now_ms() - t0))]));
            if status != 200 {
                Answer::Http(status)
            } else {
                match parse_reply(&text, p.known) {
                    Ok(value) => return Answer::Reply(value),
                    Err(ParseError::Api(f)) => Answer::Api(f.error_code, inner.scrub(&f.error_info)),
                    Err(ParseError::Decode { message, .. }) => Answer::Decode(inner.scrub(&message)),
                }
            }
        }
        Attempt::Network(message) => Answer::Network(inner.scrub(&message)),
        Attempt::Timeout => Answer::Timeout,
    };
    let (code, message) = answer.describe(&p.command);
    let mut fields = vec![("url", JsValue::from_str(&shown)), ("attempts", JsValue::from(attempt_no))];
    if let Some(c) = code {
        fields.push(("errorCode", JsValue::from(c)));
    }
    let name = match answer {
        Answer::Network(_) => "NetworkError",
        Answer::Timeout => "TimeoutError",
        Answer::Http(_) => "HttpError",
        Answer::Api(..) => "ApiError",
        _ => "DecodeError",
    };
    let error = js_error(name, &message, &fields);
    // Whether the engine tries again also depends on the tries left; this says whether it may.
    let may_retry = answer.failure().is_some_and(|f| f.retryable()) || answer.unknown_outcome();
    inner.hook(&inner.hooks.on_error, &common(&[("error", error), ("willRetry", JsValue::from_bool(may_retry))]));
    answer
}

fn set_fields(target: &JsValue, fields: &[(&str, JsValue)]) {
    for (k, v) in fields {
        let _ = Reflect::set(target, &JsValue::from_str(k), v);
    }
}

fn with_meta(mut value: Value, random: u32, attempts: u32, duration_ms: f64, url: &str) -> Value {
    if let Value::Object(m) = &mut value {
        let mut meta = Map::new();
        meta.insert("random".into(), random.into());
        meta.insert("attempts".into(), attempts.into());
        meta.insert("durationMs".into(), serde_json::Number::from_f64(duration_ms.max(0.0).round()).map_or(Value::Null, Value::Number));
        meta.insert("url".into(), url.into());
        m.insert("meta".into(), Value::Object(meta));
    }
    value
}

/// The 15 typed methods, one per row of the endpoint table.
macro_rules! client_methods {
    ($($cmd:ident => $module:ident, $req:ident, $resp:ident, $v:ident = $vjs:literal, $b:ident = $bjs:literal, $p:ident = $pjs:literal, $m:literal, $ret:literal;)*) => {
        #[wasm_bindgen]
        impl SnsClient {
            $(
                #[doc = concat!("Calls `v4/sns/", stringify!($module), "`: validates the body, signs, throttles, retries")]
                #[doc = "transient failures and resolves to the parsed reply with `meta`; rejects with a ValidationError,"]
                #[doc = "ApiError, HttpError, NetworkError, TimeoutError or DecodeError."]
                #[wasm_bindgen(js_name = $m, unchecked_return_type = $ret)]
                pub fn $module(
                    &self,
                    body: tsify::Ts<crate::model::$module::$req>,
                    #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
                ) -> Promise {
                    self.call(stringify!($module), body.into(), options)
                }
            )*
        }
    };
}

crate::for_each_endpoint!(client_methods);

#[wasm_bindgen]
impl SnsClient {
    /// Creates a client. Throws a ValidationError listing every bad option.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "SnsClientOptions")] options: JsValue) -> Result<SnsClient, JsValue> {
        Inner::from_js(options).map(|inner| SnsClient { inner: Rc::new(inner) }).map_err(validation_error)
    }

    /// Calls any command: one of the 15 sns wire names (validated), or `"service/command"` /
    /// `"v4/service/command"` for APIs outside the table (sent as given, envelope checked).
    #[wasm_bindgen(unchecked_return_type = "Promise<WithMeta<Record<string, unknown>>>")]
    pub fn request(
        &self,
        command: &str,
        #[wasm_bindgen(unchecked_param_type = "unknown")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.call(command, body, options)
    }

    /// Pages through all friends of `From_Account` (`friend_get`), one reply per iteration,
    /// following `NextStartIndex` until `CompleteFlag` is set; stops with a DecodeError if the
    /// service stops advancing.
    ///
    /// @example
    /// for await (const page of client.friendGetPages({ From_Account: "alice" })) console.log(page.UserDataItem);
    #[wasm_bindgen(js_name = friendGetPages, unchecked_return_type = "AsyncIterableIterator<WithMeta<FriendGetResponse>>")]
    pub fn friend_get_pages(
        &self,
        #[wasm_bindgen(unchecked_param_type = "FriendGetPagesRequest")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.pages(Kind::Friends, body, options)
    }

    /// Pages through the blocklist of `From_Account` (`black_list_get`), one reply per
    /// iteration, until the reply's `StartIndex` is 0.
    #[wasm_bindgen(js_name = blackListGetPages, unchecked_return_type = "AsyncIterableIterator<WithMeta<BlackListGetResponse>>")]
    pub fn black_list_get_pages(
        &self,
        #[wasm_bindgen(unchecked_param_type = "BlackListGetPagesRequest")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.pages(Kind::Blocklist, body, options)
    }

    /// Every friend of `From_Account` with their friend data: all pages of `friend_get`.
    #[wasm_bindgen(js_name = friendGetAll, unchecked_return_type = "Promise<FriendData[]>")]
    pub fn friend_get_all(
        &self,
        #[wasm_bindgen(unchecked_param_type = "FriendGetPagesRequest")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.collect(Kind::Friends, body, options)
    }

    /// Every blocked user of `From_Account`: all pages of `black_list_get`.
    #[wasm_bindgen(js_name = blackListGetAll, unchecked_return_type = "Promise<BlockedUser[]>")]
    pub fn black_list_get_all(
        &self,
        #[wasm_bindgen(unchecked_param_type = "BlackListGetPagesRequest")] body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.collect(Kind::Blocklist, body, options)
    }

    /// Shows what a call would send, without sending it: the URL (usersig redacted), the body
    /// and an equivalent curl command (also redacted). Throws a ValidationError for a bad body.
    #[wasm_bindgen(unchecked_return_type = "RequestPreview")]
    pub fn preview(&self, command: &str, #[wasm_bindgen(unchecked_param_type = "unknown")] body: JsValue) -> Result<JsValue, JsValue> {
        let p = self.prepare(command, body)?;
        let url = request_url(&self.inner.base, &p.path, self.inner.sdk_app_id, &self.inner.identifier, REDACTED, random_u32());
        let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
        let curl = format!("curl -X POST {} -H 'Content-Type: application/json' --data-raw {}", quote(&url), quote(&p.body));
        let obj = Object::new();
        set_fields(&obj, &[("url", url.into()), ("body", p.body.into()), ("curl", curl.into())]);
        Ok(obj.into())
    }
}

/// True when `e` is an `HttpError` thrown by this package.
#[wasm_bindgen(js_name = isHttpError, skip_typescript)]
pub fn is_http_error(e: &JsValue) -> bool {
    super::errors::has_name(e, "HttpError")
}

/// True when `e` is a `NetworkError` thrown by this package.
#[wasm_bindgen(js_name = isNetworkError, skip_typescript)]
pub fn is_network_error(e: &JsValue) -> bool {
    super::errors::has_name(e, "NetworkError")
}

/// True when `e` is a `TimeoutError` thrown by this package.
#[wasm_bindgen(js_name = isTimeoutError, skip_typescript)]
pub fn is_timeout_error(e: &JsValue) -> bool {
    super::errors::has_name(e, "TimeoutError")
}
