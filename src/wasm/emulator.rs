//! `Emulator` for JS (the `tim-sns/emulator` entry, built with the `emulator` feature so that
//! users who only call Tencent do not download it): the in-memory service behind a
//! fetch-compatible function, with seeded fault injection.

use super::client::{get, sleep};
use super::convert::{to_js, to_json};
use super::emulator_webhook::{self, Outbox, Target};
use crate::emulator::events;
use super::errors::validation_error;
use super::promise;
use crate::emulator::Emulator as Core;
use crate::emulator::state::AllowType;
use crate::validate::{Path, Violations};
use js_sys::{Object, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{EventTarget, Response, ResponseInit};

#[wasm_bindgen(typescript_custom_section)]
const EMULATOR_TYPES: &'static str = r#"
/** Faults the emulator injects, each a rate from 0 to 1 per request (seeded, reproducible). */
export interface EmulatorFaults {
  /** Added delay per request, in ms. */
  latencyMs?: number;
  /** Reply HTTP 502 without handling the request. */
  http502?: number;
  /** Never reply (the caller's timeout fires). */
  drop?: number;
  /** Fail the whole request with 30006. */
  request30006?: number;
  /** Fail the whole request with 30008. */
  request30008?: number;
  /** Apply the request, then lose the reply: the fetch rejects as a dropped connection does (over
   * HTTP, `tim-sns emulator` destroys the socket). What a client must reconcile. */
  lostReply?: number;
}

/** Options of `new Emulator(...)`. */
export interface EmulatorOptions {
  /** The SDKAppID the emulator answers for; calls for another are refused as the service refuses them. */
  sdkAppId: number;
  /** The key it verifies each call's UserSig with. */
  secretKey: string;
  /** The App admin identifier (default "administrator"). */
  admin?: string;
  /** Seed of the fault injection (default 1). */
  seed?: number;
  /** Faults to inject (default none). */
  faults?: EmulatorFaults;
  /**
   * Where the emulator sends the relationship-chain callbacks the service would send: the
   * "after" callbacks of REST calls (not friend_import) and, for `clientFriendAdd` /
   * `clientFriendResponse`, the "before" ones. Without `url` and `fetch` they are only logged
   * (see `callbacks()`).
   */
  webhook?: EmulatorWebhook;
}

/** One answer of `Emulator.handle`. */
export interface EmulatorReply {
  /** The HTTP status. */
  status: number;
  /** The reply body. */
  body: string;
}

/** The app's webhook as the emulator calls it. */
export interface EmulatorWebhook {
  /** The callback URL (http or https); the documented query is appended. */
  url?: string;
  /** A fetch-compatible function to send through instead of the global fetch. */
  fetch?: (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<Response>;
  /** The callback token: when set, each request carries `Sign` and `RequestTime`. */
  token?: string | null;
}

/** How a logged callback went. */
export interface EmulatorCallbackDelivery {
  /** `pending` (queued), `delivered` (HTTP 200), `failed`, `timeout` (no reply in 2 s), `not-sent` (no url or fetch). */
  state: "pending" | "delivered" | "failed" | "timeout" | "not-sent";
  /** HTTP status of the app's reply. */
  status?: number;
  /** The app's reply text (first 500 characters). */
  reply?: string;
  /** What failed. */
  error?: string;
  /** Time to the reply, in ms. */
  ms?: number;
  /** "Before" callbacks: whether the app's answer was used or the default policy applied. */
  verdict?: "answered" | "proceeded" | "allowed";
  /** "Before" callbacks that failed: the policy applied. */
  policy?: string;
}

/** One callback the emulator sent (or would have sent). */
export interface EmulatorCallback {
  /** Position among all callbacks of this emulator. */
  index: number;
  /** The callback's `CallbackCommand`. */
  command: SnsCallbackCommand;
  /** The full URL, with the signed query. */
  url: string;
  /** The query string alone. */
  query: string;
  /** The JSON body sent. */
  body: SnsCallback;
  /** Whether the query carries `Sign` and `RequestTime`. */
  signed: boolean;
  /** How it went. */
  delivery: EmulatorCallbackDelivery;
}

/** The reply to a simulated client request, with what happened to its "before" callback. */
export interface ClientRequestReply {
  /** "OK", or "FAIL" when the whole request failed. */
  ActionStatus: string;
  /** 0, or the request's error code. */
  ErrorCode: number;
  /** The error's text ("" on success). */
  ErrorInfo: string;
  /** One per target: 0, a friend_add code (30539 pending, ...), or the app's refusal code. */
  ResultItem?: ResultItem[];
  /** Targets whose `ResultCode` is not 0. */
  Fail_Account?: string[];
  /** The "before" callback's delivery (absent when the request was invalid). */
  prevCallback?: EmulatorCallbackDelivery;
}

/** A simulated client friend request: the shape of a friend_add request. */
export type ClientFriendAddRequest = FriendAddRequest;

/** A simulated client answer to friend requests. */
export interface ClientFriendResponseRequest {
  /** The user answering. */
  From_Account: string;
  /** One answer per pending request. */
  ResponseFriendItem: {
    /** The user whose pending request is answered. */
    To_Account: string;
    /** Agree and add back, agree only, or reject. */
    ResponseAction: "Response_Action_AgreeAndAdd" | "Response_Action_Agree" | "Response_Action_Reject";
    /** The answering user's remark for the requester. */
    Remark?: string;
    /** The friend list to put the requester in. */
    TagName?: string;
  }[];
}
"#;

#[derive(Default, Clone, Copy)]
struct Faults {
    latency_ms: f64,
    http502: f64,
    drop: f64,
    request30006: f64,
    request30008: f64,
    lost_reply: f64,
}

struct State {
    core: Core,
    faults: Faults,
    rng: u64,
}

impl State {
    fn roll(&mut self) -> f64 {
        // xorshift64*: deterministic for a seed.
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        (self.rng.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The relationship-chain service, in memory. Its `fetch` answers requests for the real URL
/// layout (`/v4/<service>/<command>?sdkappid=…`) and can be given to `SnsClient` as `fetch`.
#[wasm_bindgen]
pub struct Emulator {
    state: Rc<RefCell<State>>,
    outbox: Rc<RefCell<Outbox>>,
}

fn number(obj: &JsValue, key: &str) -> Option<f64> {
    get(obj, key).as_f64()
}

#[wasm_bindgen]
impl Emulator {
    /// Creates an emulated app whose only account is its admin.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "EmulatorOptions")] options: JsValue) -> Result<Emulator, JsValue> {
        let mut out = Violations::new();
        let sdk_app_id = number(&options, "sdkAppId").filter(|n| *n >= 1.0 && n.fract() == 0.0);
        let key = get(&options, "secretKey").as_string().filter(|k| !k.is_empty());
        if sdk_app_id.is_none() {
            out.push(&Path::named("sdkAppId"), "integer-range", "sdkAppId must be a positive integer");
        }
        if key.is_none() {
            out.push(&Path::named("secretKey"), "required", "secretKey must be a non-empty string");
        }
        let admin = get(&options, "admin").as_string().unwrap_or_else(|| "administrator".into());
        let f = get(&options, "faults");
        let rate = |k: &str| number(&f, k).unwrap_or(0.0).clamp(0.0, 1.0);
        let faults = Faults {
            latency_ms: number(&f, "latencyMs").unwrap_or(0.0).max(0.0),
            http502: rate("http502"),
            drop: rate("drop"),
            request30006: rate("request30006"),
            request30008: rate("request30008"),
            lost_reply: rate("lostReply"),
        };
        let seed = number(&options, "seed").unwrap_or(1.0) as u64;
        let target = Target::from_js(&get(&options, "webhook"), &mut out);
        match (sdk_app_id, key) {
            (Some(id), Some(key)) if out.is_empty() => Ok(Emulator {
                state: Rc::new(RefCell::new(State { core: Core::new(id as u64, &key, &admin), faults, rng: seed.max(1) })),
                outbox: Rc::new(RefCell::new(Outbox::new(target))),
            }),
            _ => Err(validation_error(out)),
        }
    }

    /// Imports accounts (as `account_import` would).
    #[wasm_bindgen(js_name = importAccounts)]
    pub fn import_accounts(&self, ids: Vec<String>) {
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        self.state.borrow_mut().core.import(&refs);
    }

    /// Sets a user's `Tag_Profile_IM_AllowType`.
    #[wasm_bindgen(js_name = setAllowType)]
    pub fn set_allow_type(
        &self,
        id: &str,
        #[wasm_bindgen(unchecked_param_type = "\"AllowType_Type_NeedConfirm\" | \"AllowType_Type_AllowAny\" | \"AllowType_Type_DenyAny\"")] allow: JsValue,
    ) -> Result<(), JsValue> {
        let mut out = Violations::new();
        let parsed = allow.as_string().and_then(|a| AllowType::from_wire(&a));
        let mut state = self.state.borrow_mut();
        match (parsed, state.core.accounts.get_mut(id)) {
            (Some(t), Some(account)) => {
                account.allow_type = t;
                Ok(())
            }
            (None, _) => {
                out.push(&Path::named("allowType"), "enum", "allowType must be AllowType_Type_NeedConfirm, AllowType_Type_AllowAny or AllowType_Type_DenyAny");
                Err(validation_error(out))
            }
            (_, None) => {
                out.push(&Path::named("id"), "not-found", "no such account: import it first");
                Err(validation_error(out))
            }
        }
    }

    /// Every account with its friends, lists, blocklist and pending requests, as JSON data.
    pub fn snapshot(&self) -> JsValue {
        to_js(&self.state.borrow().core.snapshot())
    }

    /// A fetch-compatible function (bound: pass it around as is) answering like the service.
    #[wasm_bindgen(getter, unchecked_return_type = "(url: string, init?: { method?: string; body?: string; signal?: AbortSignal }) => Promise<Response>")]
    pub fn fetch(&self) -> JsValue {
        let state = Rc::clone(&self.state);
        let outbox = Rc::clone(&self.outbox);
        Closure::<dyn FnMut(JsValue, JsValue) -> Promise>::new(move |url: JsValue, init: JsValue| {
            let state = Rc::clone(&state);
            let outbox = Rc::clone(&outbox);
            promise(async move {
                let url = url.as_string().or_else(|| get(&url, "href").as_string()).or_else(|| get(&url, "url").as_string()).unwrap_or_default();
                let body = super::text::read(&get(&init, "body")).unwrap_or_default();
                let (status, text) = answer(&state, &outbox, &url, &body, get(&init, "signal")).await?;
                Ok(response(status, &text))
            })
        })
        .into_js_value()
    }

    /// The answer to one request, as `fetch` gives it (faults included) but as plain data, for
    /// serving over HTTP without building a `Response`: `url` is the request's URL or its path
    /// and query. Rejects where `fetch` would (the `lostReply` fault), and never settles where
    /// it would hang (the `drop` fault).
    #[wasm_bindgen(unchecked_return_type = "Promise<EmulatorReply>")]
    pub fn handle(&self, url: String, #[wasm_bindgen(unchecked_param_type = "string")] body: JsValue) -> Promise {
        let state = Rc::clone(&self.state);
        let outbox = Rc::clone(&self.outbox);
        // In one `encodeInto` (see `text`): a request body can be a 1000-item list.
        let body = super::text::read(&body).unwrap_or_default();
        promise(async move {
            let (status, text) = answer(&state, &outbox, &url, &body, JsValue::UNDEFINED).await?;
            let reply: PlainReply = Object::new().unchecked_into();
            reply.set_status(status);
            reply.set_body(&text);
            Ok(reply.into())
        })
    }

    /// The callbacks sent (or, without a webhook target, that would have been sent), oldest
    /// first (the last 500), each with its signed URL, body and delivery.
    #[wasm_bindgen(unchecked_return_type = "EmulatorCallback[]")]
    pub fn callbacks(&self) -> JsValue {
        self.outbox.borrow().log_js()
    }

    /// Forgets the callback log.
    #[wasm_bindgen(js_name = clearCallbacks)]
    pub fn clear_callbacks(&self) {
        self.outbox.borrow_mut().clear();
    }

    /// Resolves when every queued "after" callback has been answered or has timed out.
    #[wasm_bindgen(js_name = flushCallbacks, unchecked_return_type = "Promise<void>")]
    pub fn flush_callbacks(&self) -> Promise {
        let outbox = Rc::clone(&self.outbox);
        promise(async move {
            emulator_webhook::flush(&outbox).await;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Simulates a client app's friend request (REST calls never fire the "before" callback):
    /// sends `Sns.CallbackPrevFriendAdd` to the webhook and waits up to 2 s for the verdict,
    /// then applies the request. A target the app refused gets the app's code and is not
    /// added; when the callback fails or times out the request proceeds (the default policy).
    /// Pairs created are reported in `Sns.CallbackFriendAdd`, as for REST adds.
    #[wasm_bindgen(js_name = clientFriendAdd, unchecked_return_type = "Promise<ClientRequestReply>")]
    pub fn client_friend_add(&self, #[wasm_bindgen(unchecked_param_type = "ClientFriendAddRequest")] body: JsValue) -> Promise {
        self.client_request(body, false)
    }

    /// Simulates a client's answer to pending friend requests (`Response_Action_Agree`,
    /// `_AgreeAndAdd` or `_Reject`), with `Sns.CallbackPrevFriendResponse` first, honoured as in
    /// `clientFriendAdd`. An item without a pending request gets 30614.
    #[wasm_bindgen(js_name = clientFriendResponse, unchecked_return_type = "Promise<ClientRequestReply>")]
    pub fn client_friend_response(&self, #[wasm_bindgen(unchecked_param_type = "ClientFriendResponseRequest")] body: JsValue) -> Promise {
        self.client_request(body, true)
    }
}

impl Emulator {
    fn client_request(&self, body: JsValue, response: bool) -> Promise {
        let state = Rc::clone(&self.state);
        let outbox = Rc::clone(&self.outbox);
        promise(async move {
            let body = to_json(body, &Path::named("body")).map_err(validation_error)?;
            let now = js_sys::Date::now() as u64;
            let (before, app) = {
                let s = state.borrow();
                let before = if response { s.core.prev_friend_response(&body, now) } else { s.core.prev_friend_add(&body, now) };
                (before, s.core.sdk_app_id())
            };
            let callback = match before {
                Ok(cb) => cb,
                Err(reply) => return js_sys::JSON::parse(&reply.body),
            };
            let command = if response { events::PREV_FRIEND_RESPONSE } else { events::PREV_FRIEND_ADD };
            let (verdict, delivery) = emulator_webhook::ask(&outbox, app, command, callback).await;
            let reply = {
                let mut s = state.borrow_mut();
                let now = js_sys::Date::now() as u64;
                let reply = if response { s.core.client_friend_response(&body, &verdict, now) } else { s.core.client_friend_add(&body, &verdict, now) };
                emulator_webhook::queue(&outbox, &mut s.core);
                reply
            };
            let mut value: serde_json::Value = serde_json::from_str(&reply.body).unwrap_or_default();
            value["prevCallback"] = delivery;
            Ok(to_js(&value))
        })
    }
}

#[wasm_bindgen]
extern "C" {
    /// What `Emulator.handle` resolves to: `{ status, body }`.
    type PlainReply;
    #[wasm_bindgen(method, setter)]
    fn set_status(this: &PlainReply, status: u16);
    #[wasm_bindgen(method, setter)]
    fn set_body(this: &PlainReply, body: &str);
}

/// A `Response` when the runtime has one (Node 18+, browsers), else a minimal look-alike.
fn response(status: u16, body: &str) -> JsValue {
    let init = ResponseInit::new();
    init.set_status(status);
    let headers = Object::new();
    let _ = Reflect::set(&headers, &"content-type".into(), &"application/json".into());
    init.set_headers(&headers);
    // Without a global `Response` the constructor throws a ReferenceError.
    if let Ok(r) = Response::new_with_opt_str_and_init(Some(body), &init) {
        return r.into();
    }
    let text = JsValue::from_str(body);
    let obj = Object::new();
    let _ = Reflect::set(&obj, &"status".into(), &JsValue::from(status));
    let _ = Reflect::set(&obj, &"ok".into(), &JsValue::from_bool(status == 200));
    let _ = Reflect::set(&obj, &"text".into(), &Closure::<dyn FnMut() -> Promise>::new(move || Promise::resolve(&text)).into_js_value());
    obj.into()
}

/// The status and body of the answer to a request (`url`, `body`), faults included; `signal`
/// is the caller's, which ends a dropped request.
async fn answer(state: &Rc<RefCell<State>>, outbox: &Rc<RefCell<Outbox>>, url: &str, body: &str, signal: JsValue) -> Result<(u16, String), JsValue> {
    let (faults, roll) = {
        let mut s = state.borrow_mut();
        (s.faults, s.roll())
    };
    if faults.latency_ms > 0.0 {
        let _ = sleep(faults.latency_ms).await;
    }
    let mut edge = 0.0;
    let mut hit = |rate: f64| {
        edge += rate;
        roll < edge
    };
    if hit(faults.drop) {
        // Never answer; reject only when the caller's signal aborts, like a real fetch. (The
        // promise is never resolved, so the `Ok` below is never reached.)
        let signal = signal.clone();
        let ended = JsFuture::from(Promise::new(&mut |_, reject| {
            if signal.is_object() {
                let reject = reject.clone();
                let on_abort = Closure::<dyn FnMut()>::new(move || {
                    let _ = reject.call1(&JsValue::UNDEFINED, &js_sys::Error::new("The operation was aborted").into());
                });
                // Whatever the caller passed: one without `addEventListener` just throws here.
                let _ = signal.unchecked_ref::<EventTarget>().add_event_listener_with_callback("abort", on_abort.into_js_value().unchecked_ref());
            }
        }))
        .await;
        return ended.map(|_| (200, String::new()));
    }
    if hit(faults.http502) {
        return Ok((502, "<html><body>502 Bad Gateway</body></html>".into()));
    }
    for (rate, code) in [(faults.request30006, 30006), (faults.request30008, 30008)] {
        if hit(rate) {
            let text = format!(r#"{{"ActionStatus":"FAIL","ErrorCode":{code},"ErrorInfo":"injected fault","ErrorDisplay":""}}"#);
            return Ok((200, text));
        }
    }
    let lost = hit(faults.lost_reply);
    let (path, query) = split(url);
    let reply = {
        let mut s = state.borrow_mut();
        let reply = s.core.handle(path, query, body, js_sys::Date::now() as u64);
        emulator_webhook::queue(outbox, &mut s.core);
        reply
    };
    if lost {
        // Applied, then the connection drops: fetch rejects with a TypeError, as Node's does.
        return Err(js_sys::TypeError::new("fetch failed: the reply was lost after the request was applied (lostReply fault)").into());
    }
    Ok((reply.status, reply.body))
}

/// `path` and `query` of a URL (scheme and host dropped).
fn split(url: &str) -> (&str, &str) {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path_and_query = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    path_and_query.split_once('?').unwrap_or((path_and_query, ""))
}
