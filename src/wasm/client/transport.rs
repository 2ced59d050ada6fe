//! One call on the wire: the fetch itself (with its timeout and the caller's signal), the
//! executor of the core's call state machine (`crate::client::call`: it decides the budget,
//! the retries and the reconciliation; this file sends, waits and calls the hooks), the single
//! attempt the bulk engine drives, and the clock, random numbers and timers they use.

use super::super::errors::{api_error_with, decode_error, internal_error, js_error};
use super::globals::{FetchFn, Timer, abort_signal_any, global_fetch, now_ms, random_u32, set_timeout, sleep};
use super::options::{Inner, get};
use crate::client::budget::DEFAULT_MARGIN_MS;
use crate::client::call::{self, Call, CallError, Reply, Step};
use crate::client::retry::RetryPolicy;
use crate::client::url::{redact, request_url};
use crate::model::Command;
#[cfg(feature = "bulk")]
use crate::client::bulk::answer::{Answer, reply_rows};
#[cfg(feature = "bulk")]
use crate::model::wire::ParseError;
use js_sys::{Array, Function, Object, Promise, Reflect};
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, RequestInit, Response};

impl Inner {
    /// Calls a hook (one of `self.hooks`) with a fresh event object; a throw or rejection is
    /// reported, never passed on (see `hooks`).
    pub(super) fn hook(&self, f: &Option<Function>, event: &[(&str, JsValue)]) {
        if let Some(hook) = f {
            let obj = Object::new();
            set_fields(&obj, event);
            let command = event.iter().find(|(k, _)| *k == "command").map_or(JsValue::UNDEFINED, |(_, v)| v.clone());
            self.call_hook(self.hooks.name_of(f), hook, &obj, &command);
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
    pub(super) signal: Option<AbortSignal>,
}

/// How one attempt ended.
pub(crate) enum Attempt {
    Reply(u16, String),
    /// No reply: what the fetch failed with, as a message and as thrown.
    Network(String, JsValue),
    Timeout,
}


/// One JSON `POST` through `fetch` (default: the global one), aborted after `timeout_ms` or
/// when `user_signal` aborts. Shared by the client and the emulator's webhook sender.
pub(crate) async fn post_json(fetch: Option<&FetchFn>, url: &str, body: &str, timeout_ms: f64, user_signal: Option<&AbortSignal>) -> Attempt {
    // Missing only on very old runtimes; the attempt then runs without a timeout of its own.
    let controller = AbortController::new().ok();
    let mut signal = controller.as_ref().map(AbortController::signal);
    if let Some(user) = user_signal {
        if user.aborted() {
            return Attempt::Timeout;
        }
        // Either signal ends the attempt; without `AbortSignal.any` only the timeout does.
        signal = match signal {
            Some(own) => Some(abort_signal_any(&Array::of2(&own, user)).unwrap_or(own)),
            None => Some(user.clone()),
        };
    }
    let timer = controller.and_then(|c| {
        let abort = Closure::<dyn FnMut()>::new(move || c.abort());
        set_timeout(abort.as_ref().unchecked_ref(), timeout_ms).ok().map(|id| Timer::new(id, abort))
    });
    let init = RequestInit::new();
    init.set_method("POST");
    let headers = Object::new();
    set_fields(&headers, &[("Content-Type", JsValue::from_str("application/json"))]);
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(body));
    init.set_signal(signal.as_ref());
    // The wait ends when the signal aborts, whether or not the fetch honours it (a custom fetch
    // or a test stub may ignore it, and would otherwise hold the call for ever).
    let stop = signal.as_ref().map(abort_promise);
    let race = |p: Promise| match &stop {
        Some((stopped, _)) => Promise::race(&Array::of2(&p, stopped)),
        None => p,
    };
    let result = async {
        let promise = match fetch {
            Some(f) => f.call(&JsValue::UNDEFINED, url, &init)?,
            // A ReferenceError: the runtime has no global fetch.
            None => global_fetch(url, &init).map_err(|e| if e.is_instance_of::<js_sys::ReferenceError>() { JsValue::from_str("no fetch function: pass options.fetch") } else { e })?,
        };
        let response: Response = JsFuture::from(race(Promise::resolve(&promise))).await?.unchecked_into();
        let status = response.status();
        // A TypeError here means no callable `text`: a real Response rejects rather than throws.
        let text = response.text().map_err(|e| if e.is_instance_of::<js_sys::TypeError>() { JsValue::from_str("reply has no text()") } else { e })?;
        let text = JsFuture::from(race(Promise::resolve(&text))).await?;
        Ok::<_, JsValue>((status, crate::wasm::text::read(&text).unwrap_or_default()))
    }
    .await;
    drop(timer);
    if let (Some(signal), Some((_, reject))) = (&signal, &stop) {
        let _ = signal.remove_event_listener_with_callback("abort", reject);
    }
    let aborted = signal.as_ref().is_some_and(AbortSignal::aborted);
    match result {
        Ok((status, text)) => Attempt::Reply(status, text),
        Err(_) if aborted => Attempt::Timeout,
        Err(e) => {
            let message = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| e.as_string()).unwrap_or_else(|| "fetch failed".into());
            let cause = get(&get(&e, "cause"), "message").as_string();
            let message = match cause {
                Some(c) => format!("{message} ({c})"),
                None => message,
            };
            Attempt::Network(message, e)
        }
    }
}

/// A promise that rejects when `signal` aborts (Promise.race handles it), and the listener to
/// remove once the attempt is over.
fn abort_promise(signal: &AbortSignal) -> (Promise, Function) {
    let mut listener = None;
    let promise = Promise::new(&mut |_, reject| listener = Some(reject));
    let reject = listener.expect("the executor runs at once");
    if signal.aborted() {
        let _ = reject.call0(&JsValue::UNDEFINED);
    } else {
        let _ = signal.add_event_listener_with_callback("abort", &reject);
    }
    (promise, reject)
}

/// One call with its retries; the parsed reply with `meta`.
pub(super) async fn send(inner: &Inner, p: &Prepared, settings: &CallSettings) -> Result<JsValue, JsValue> {
    to_js_json(&send_value(inner, p, settings).await?)
}

/// A reply (plain JSON) as a JS value.
pub(super) fn to_js_json(value: &Value) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&value.to_string()).map_err(|_| internal_error("reply could not be re-read"))
}

/// One call, as the core's [`Call`] decides it; the parsed reply with `meta`, as JSON.
pub(crate) async fn send_value(inner: &Inner, p: &Prepared, settings: &CallSettings) -> Result<Value, JsValue> {
    let started = now_ms();
    let call_settings = call::Settings {
        retry: settings.retry,
        rate_per_second: inner.rate as u32,
        margin_ms: DEFAULT_MARGIN_MS,
        budgets: Some(std::rc::Rc::clone(&inner.budgets)),
        external_limiter: inner.limiter.is_some(),
    };
    let mut call = Call::new(&p.command, &p.path, p.known, p.body.clone(), call_settings);
    let aborted = || settings.signal.as_ref().is_some_and(AbortSignal::aborted);
    // The URL of the latest attempt (redacted), the error it ended with, and what the fetch of
    // the latest attempt without a reply failed with.
    let (mut shown, mut last_error, mut cause) = (String::new(), None, JsValue::UNDEFINED);
    loop {
        let now = now_ms();
        match call.poll(now, random_u32()) {
            Step::Send(a) => {
                if let Some(limiter) = &inner.limiter {
                    // Fail closed: the call ends with the limiter's failure, unsent.
                    if let Err(cause) = limiter.wait(&a.command, settings.timeout_ms, settings.signal.as_ref()).await {
                        return Err(limiter_error(&a.command, cause));
                    }
                }
                inner.budgets.borrow_mut().sent(&a.command, a.id, now_ms());
                let url = request_url(&inner.base, &a.path, inner.sdk_app_id, &inner.identifier, &inner.usersig(), a.random);
                shown = redact(&url);
                let common = |extra: &[(&'static str, JsValue)]| -> Vec<(&'static str, JsValue)> {
                    let mut v = vec![("command", JsValue::from_str(&a.command)), ("url", JsValue::from_str(&shown)), ("attempt", JsValue::from(a.number))];
                    v.extend(extra.iter().cloned());
                    v
                };
                inner.hook(&inner.hooks.on_request, &common(&[("body", JsValue::from_str(&a.body))]));
                let t0 = now_ms();
                let reply = match post_json(inner.fetch.as_ref(), &url, &a.body, settings.timeout_ms, settings.signal.as_ref()).await {
                    Attempt::Reply(status, text) => {
                        inner.hook(&inner.hooks.on_response, &common(&[("status", JsValue::from(status)), ("durationMs", JsValue::from_f64(now_ms() - t0))]));
                        Reply::Text(status, text)
                    }
                    Attempt::Network(message, thrown) => {
                        cause = inner.safe_cause(thrown);
                        Reply::Network(message)
                    }
                    Attempt::Timeout if aborted() => Reply::Aborted,
                    Attempt::Timeout => Reply::Timeout,
                };
                let answered = call.answer(a.id, now_ms(), reply, js_sys::Math::random());
                if let (true, Some(limiter)) = (answered.rate_limited, &inner.limiter) {
                    limiter.penalize(&a.command);
                }
                if let Some(error) = answered.error {
                    let meta = [("url", JsValue::from_str(&shown)), ("attempts", JsValue::from(a.number)), ("random", JsValue::from(a.random))];
                    let e = call_error(inner, &error, &a.command, &meta, settings, &cause);
                    inner.hook(&inner.hooks.on_error, &common(&[("error", e.clone()), ("willRetry", JsValue::from_bool(answered.will_retry))]));
                    last_error = Some(e);
                }
            }
            // A caller's abort during a backoff ends the call as an abort in flight would.
            Step::Wait(_) if aborted() => return Err(call_error(inner, &CallError::Aborted, &p.command, &[], settings, &cause)),
            Step::Wait(at) => {
                let _ = sleep(at - now).await;
            }
            Step::Done(Ok(value)) => return Ok(with_meta(value, call.random(), call.attempts(), now_ms() - started, &shown)),
            Step::Done(Err(error)) => return Err(last_error.unwrap_or_else(|| call_error(inner, &error, &p.command, &[], settings, &cause))),
        }
    }
}

/// The error of a call that its `rateLimiter` did not let go: what `acquire` threw, rejected
/// with or why it gave up waiting is its `cause`.
pub(crate) fn limiter_error(command: &str, cause: JsValue) -> JsValue {
    let why = cause.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| cause.as_string()).unwrap_or_else(|| "rejected".into());
    js_error("RateLimiterError", &format!("rateLimiter.acquire(\"{command}\") failed, so the call was not sent: {why}"), &[("command", JsValue::from_str(command)), ("cause", cause)])
}

/// The JS error for a failed attempt of `command`, with `meta` (url, attempts, random);
/// `cause` is what the fetch of a `NetworkError` failed with.
fn call_error(inner: &Inner, error: &CallError, command: &str, meta: &[(&str, JsValue)], settings: &CallSettings, cause: &JsValue) -> JsValue {
    let timeout_ms = settings.timeout_ms;
    match error {
        CallError::Http(status, text) => {
            let snippet: String = inner.scrub(text).chars().take(200).collect();
            js_error("HttpError", &format!("{command} answered HTTP {status}"), &[meta, &[("status", JsValue::from(*status)), ("snippet", JsValue::from_str(&snippet))]].concat())
        }
        CallError::Api(f) => api_error_with(f, meta),
        CallError::Decode { message, snippet, violations } => {
            let e = decode_error(message, &inner.scrub(snippet), violations);
            set_fields(&e, meta);
            e
        }
        CallError::Network(message) => js_error("NetworkError", &format!("{command} could not be sent: {}", inner.scrub(message)), &[meta, &[("cause", cause.clone())]].concat()),
        CallError::Aborted => {
            let reason = settings.signal.as_ref().map_or(JsValue::UNDEFINED, AbortSignal::reason);
            js_error("AbortError", &format!("{command} was aborted by the caller's signal"), &[meta, &[("cause", reason)]].concat())
        }
        CallError::Timeout => js_error(
            "TimeoutError",
            &format!("{command} got no reply within {} ms", timeout_ms as u64),
            &[meta, &[("timeoutMs", JsValue::from_f64(timeout_ms))]].concat(),
        ),
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
                match reply_rows(&text, p.known) {
                    Ok(rows) => return Answer::Reply(rows),
                    Err(ParseError::Api(f)) => Answer::Api(f.error_code, inner.scrub(&f.error_info)),
                    Err(ParseError::Decode { message, .. }) => Answer::Decode(inner.scrub(&message)),
                }
            }
        }
        Attempt::Network(message, _) => Answer::Network(inner.scrub(&message)),
        Attempt::Timeout => Answer::Timeout,
    };
    let (code, message) = answer.describe(&p.command);
    let mut fields = vec![("url", JsValue::from_str(&shown)), ("attempts", JsValue::from(attempt_no))];
    if let Some(c) = code {
        fields.push(("errorCode", JsValue::from(c)));
    }
    let error = js_error(answer.error_name(), &message, &fields);
    // Whether the engine tries again also depends on the tries left; this says whether it may.
    let may_retry = answer.may_retry();
    inner.hook(&inner.hooks.on_error, &common(&[("error", error), ("willRetry", JsValue::from_bool(may_retry))]));
    answer
}

/// Sets `fields` on a plain object of ours (an event, a result, headers).
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
