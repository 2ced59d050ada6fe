//! The emulator's webhook sender: it signs and `POST`s the callbacks the core queued, in order,
//! to `webhook.url` (or through `webhook.fetch`), keeps a log of what was sent and how the app
//! answered, and for simulated client requests sends the "before" callback first and waits at
//! most 2 s for the verdict. Which callbacks, with which bodies, is the core's decision.

use super::client::{Attempt, FetchFn, get, post_json, sleep};
use super::convert::to_js;
use crate::emulator::Emulator as Core;
use crate::emulator::events::{CLIENT_IP, CLIENT_PLATFORM, CallbackEvent};
use crate::validate::{Path, Violations};
use crate::webhook::outgoing::{Origin, TIMEOUT_MS, callback_query, callback_url};
use crate::webhook::reply::{PrevVerdict, read_prev_reply, targets};
use js_sys::Function;
use serde_json::{Value, json};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};

/// Entries kept in the log (oldest dropped first).
const MAX_LOG: usize = 500;

/// Where callbacks go; without `url` and `fetch` they are only logged.
pub(crate) struct Target {
    url: Option<String>,
    fetch: Option<FetchFn>,
    token: Option<String>,
}

impl Target {
    /// Reads `options.webhook`: `{ url?, fetch?, token? }` (all optional; absent: log only).
    pub(crate) fn from_js(webhook: &JsValue, out: &mut Violations) -> Option<Self> {
        if webhook.is_undefined() || webhook.is_null() {
            return None;
        }
        let url = get(webhook, "url");
        let url = match url.as_string() {
            Some(u) if u.starts_with("http://") || u.starts_with("https://") => Some(u),
            None if url.is_undefined() || url.is_null() => None,
            _ => {
                out.push(&Path::named("webhook.url"), "url", "webhook.url must be an http:// or https:// URL");
                None
            }
        };
        let fetch = get(webhook, "fetch");
        let fetch = match fetch.dyn_into::<Function>() {
            Ok(f) => Some(f.unchecked_into()),
            Err(v) if v.is_undefined() || v.is_null() => None,
            Err(_) => {
                out.push(&Path::named("webhook.fetch"), "type", "webhook.fetch must be a function");
                None
            }
        };
        let token = get(webhook, "token");
        let token = match token.as_string() {
            Some(t) if (1..=crate::webhook::verify::MAX_TOKEN_CHARS).contains(&t.chars().count()) => Some(t),
            None if token.is_undefined() || token.is_null() => None,
            _ => {
                out.push(&Path::named("webhook.token"), "length", "webhook.token must be a string of 1 to 128 characters, or null");
                None
            }
        };
        Some(Self { url, fetch, token })
    }

    fn sends(&self) -> bool {
        self.url.is_some() || self.fetch.is_some()
    }
}

/// URL of callbacks sent through `webhook.fetch` without a `webhook.url`.
const DEFAULT_URL: &str = "http://localhost/tim-sns-webhook";

/// The sender's state: the target, the queue of "after" callbacks, and the log.
#[derive(Default)]
pub(crate) struct Outbox {
    pub(crate) target: Option<Target>,
    queue: VecDeque<(usize, String, String)>,
    sending: bool,
    log: VecDeque<Value>,
    /// Index of `log[0]` among all entries ever logged.
    first: usize,
}

impl Outbox {
    /// An empty outbox for `target`.
    pub(crate) fn new(target: Option<Target>) -> Self {
        Self { target, ..Default::default() }
    }

    fn sends(&self) -> bool {
        self.target.as_ref().is_some_and(Target::sends)
    }

    /// Logs a callback, signed at `now_ms`; returns its index, URL and body.
    fn record(&mut self, sdk_app_id: u64, event: &CallbackEvent, now_ms: f64) -> (usize, String, String) {
        let token = self.target.as_ref().and_then(|t| t.token.as_deref());
        let origin = Origin { client_ip: CLIENT_IP, platform: event.platform };
        let query = callback_query(sdk_app_id, event.command, origin, token, (now_ms / 1000.0) as u64);
        let base = self.target.as_ref().and_then(|t| t.url.as_deref()).unwrap_or(DEFAULT_URL);
        let url = callback_url(base, &query);
        let index = self.first + self.log.len();
        let delivery = if self.sends() { json!({ "state": "pending" }) } else { json!({ "state": "not-sent" }) };
        self.log.push_back(json!({ "index": index, "command": event.command, "url": url, "query": query, "body": event.body, "signed": token.is_some(), "delivery": delivery }));
        if self.log.len() > MAX_LOG {
            self.log.pop_front();
            self.first += 1;
        }
        (index, url, event.body.to_string())
    }

    fn set_delivery(&mut self, index: usize, delivery: Value) {
        if let Some(entry) = index.checked_sub(self.first).and_then(|i| self.log.get_mut(i)) {
            entry["delivery"] = delivery;
        }
    }

    /// The log as JS data, oldest first.
    pub(crate) fn log_js(&self) -> JsValue {
        to_js(&self.log)
    }

    /// Forgets the log.
    pub(crate) fn clear(&mut self) {
        self.first += self.log.len();
        self.log.clear();
    }
}

/// The delivery record of one attempt.
fn delivery(attempt: &Attempt, started: f64) -> Value {
    let ms = (js_sys::Date::now() - started).round() as u64;
    match attempt {
        Attempt::Reply(status, text) => {
            let reply: String = text.chars().take(500).collect();
            json!({ "state": if *status == 200 { "delivered" } else { "failed" }, "status": status, "reply": reply, "ms": ms })
        }
        Attempt::Timeout => json!({ "state": "timeout", "error": format!("no reply within {TIMEOUT_MS} ms"), "ms": ms }),
        Attempt::Network(e, _) => json!({ "state": "failed", "error": e, "ms": ms }),
    }
}

async fn post(outbox: &Rc<RefCell<Outbox>>, url: &str, body: &str) -> (Attempt, f64) {
    let fetch = outbox.borrow().target.as_ref().and_then(|t| t.fetch.clone());
    let started = js_sys::Date::now();
    (post_json(fetch.as_ref(), url, body, TIMEOUT_MS as f64, None).await, started)
}

/// Logs the core's queued "after" callbacks and sends them in order, one at a time.
pub(crate) fn queue(outbox: &Rc<RefCell<Outbox>>, core: &mut Core) {
    let events = core.take_callbacks();
    if events.is_empty() {
        return;
    }
    let start = {
        let mut o = outbox.borrow_mut();
        let sends = o.sends();
        for e in &events {
            let (index, url, body) = o.record(core.sdk_app_id(), e, js_sys::Date::now());
            if sends {
                o.queue.push_back((index, url, body));
            }
        }
        let start = sends && !o.sending;
        o.sending |= start;
        start
    };
    if start {
        let outbox = Rc::clone(outbox);
        wasm_bindgen_futures::spawn_local(async move {
            loop {
                let next = outbox.borrow_mut().queue.pop_front();
                let Some((index, url, body)) = next else {
                    outbox.borrow_mut().sending = false;
                    break;
                };
                let (attempt, started) = post(&outbox, &url, &body).await;
                outbox.borrow_mut().set_delivery(index, delivery(&attempt, started));
            }
        });
    }
}

/// Resolves once every queued "after" callback has been answered (or timed out).
pub(crate) async fn flush(outbox: &Rc<RefCell<Outbox>>) {
    loop {
        let busy = {
            let o = outbox.borrow();
            o.sending || !o.queue.is_empty()
        };
        if !busy {
            break;
        }
        let _ = sleep(5.0).await;
    }
}

/// Sends a "before" callback and returns the app's verdict: its answer, or — on a timeout
/// (2 s), a non-200 status, a reply that is not JSON or a failure code — the default policy,
/// proceed as if every target were allowed. Without a target, nothing is sent (allow all).
pub(crate) async fn ask(outbox: &Rc<RefCell<Outbox>>, sdk_app_id: u64, command: &'static str, callback: Value) -> (PrevVerdict, Value) {
    let asked = targets(&callback);
    let event = CallbackEvent { command, body: callback, platform: CLIENT_PLATFORM };
    let (index, url, body, sends) = {
        let mut o = outbox.borrow_mut();
        let (index, url, body) = o.record(sdk_app_id, &event, js_sys::Date::now());
        (index, url, body, o.sends())
    };
    if !sends {
        return (PrevVerdict::Answered(Vec::new()), json!({ "state": "not-sent", "verdict": "allowed" }));
    }
    let (attempt, started) = post(outbox, &url, &body).await;
    let verdict = match &attempt {
        Attempt::Reply(status, text) => read_prev_reply(*status, text, &asked),
        Attempt::Timeout => PrevVerdict::Failed(format!("no reply within {TIMEOUT_MS} ms")),
        Attempt::Network(e, _) => PrevVerdict::Failed(e.clone()),
    };
    let mut d = delivery(&attempt, started);
    match &verdict {
        PrevVerdict::Answered(_) => d["verdict"] = json!("answered"),
        PrevVerdict::Failed(why) => {
            d["verdict"] = json!("proceeded");
            d["policy"] = json!(format!("the callback failed ({why}): proceeding as if allowed, the service's default"));
        }
    }
    outbox.borrow_mut().set_delivery(index, d.clone());
    (verdict, d)
}
