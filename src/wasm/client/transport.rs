//! One call on the wire: the fetch itself (with its timeout and the caller's signal), the
//! retry loop around it, the single attempt the bulk engine drives, and the clock, random
//! numbers and timers they use.

use super::super::errors::{api_error_with, decode_error, internal_error, js_error};
use super::options::{Inner, get};
use crate::client::retry::{Failure, RetryPolicy};
use crate::client::throttle::{DEFAULT_MARGIN_MS, Throttle};
use crate::client::url::{redact, request_url};
use crate::model::Command;
use crate::model::wire::{ParseError, parse_reply};
#[cfg(feature = "bulk")]
use crate::client::bulk::Answer;
use js_sys::{Function, Object, Promise, Reflect};
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

fn global(name: &str) -> JsValue {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Milliseconds since the epoch from the JS clock.
pub(crate) fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A fresh u32 from `crypto.getRandomValues` (the service wants a random `random`).
pub(super) fn random_u32() -> u32 {
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

    /// Calls a hook with a fresh event object.
    pub(super) fn hook(&self, f: &Option<Function>, event: &[(&str, JsValue)]) {
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
    pub(super) signal: Option<JsValue>,
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
        let promise = fetch.call2(&JsValue::UNDEFINED, &JsValue::from_str(url), &init)?;
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

pub(super) async fn send(inner: &Inner, p: &Prepared, settings: &CallSettings) -> Result<JsValue, JsValue> {
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

pub(super) fn set_fields(target: &JsValue, fields: &[(&str, JsValue)]) {
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
