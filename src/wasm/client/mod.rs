//! `SnsClient`: signed, throttled, retrying calls over fetch. The policy (URLs, sig cache,
//! throttle, retries, paging) lives in `crate::client`; this module does the JS side, by job:
//! `options` reads `new SnsClient(options)`, `transport` sends one call (fetch, timers, the
//! retry loop), `hooks` calls the caller's hooks so that they cannot break a call, `paging`
//! walks paged lists, and this file holds the class and its TS types.
//!
//! State sits behind an `Rc` and every method returns a Promise from a plain `&self` method, so
//! many calls can be in flight on one client (an exported `async fn(&self)` would hold a borrow
//! across `.await` and fail with "recursive use of an object").

mod globals;
mod hooks;
mod limiter;
mod options;
mod paging;
mod transport;

use super::convert::{check_js, plain_json};
use super::endpoints::checked_text;
use super::errors::validation_error;
use super::promise;
use crate::client::options::call_settings;
use crate::client::paging::Kind;
use crate::client::regions::REGIONS;
use crate::client::url::{REDACTED, request_url};
use crate::model::Command;
#[cfg(feature = "bulk")]
use crate::validate::schema::Options;
use crate::validate::{Path, Violations};
use js_sys::{Object, Promise, Reflect};
use serde_json::Value;
use std::rc::Rc;
use globals::random_u32;
use transport::{send, set_fields};
use wasm_bindgen::prelude::*;

// What the bulk helpers, the webhook functions and the emulator share with the client.
#[cfg(feature = "bulk")]
pub(crate) use limiter::RateLimiter;
pub(crate) use options::{Inner, get};
pub(crate) use transport::{CallSettings, Prepared};
#[cfg(feature = "migrate")]
pub(crate) use transport::send_value;
#[cfg(feature = "bulk")]
pub(crate) use globals::{delay, now_ms};
#[cfg(feature = "bulk")]
pub(crate) use transport::once;
#[cfg(feature = "bulk")]
pub(crate) use hooks::describe;
#[cfg(feature = "emulator")]
pub(crate) use globals::{FetchFn, sleep};
#[cfg(feature = "emulator")]
pub(crate) use transport::{Attempt, post_json};

#[wasm_bindgen(typescript_custom_section)]
const CLIENT_TYPES: &'static str = r#"
/** A rate limiter shared by every call of a client (see `SnsClientOptions.rateLimiter`). */
export interface RateLimiter {
  /** Resolves when a call of `command` may start. It fails closed: if it throws, rejects, or
   * does not settle within the call's `timeoutMs` (then `signal` aborts, so the limiter can
   * drop the waiter), the call is not sent and fails with a `RateLimiterError` (a bulk run
   * stops with a `BulkError` whose `reason` is "rateLimiter"). */
  acquire(command: string, options: { signal: AbortSignal }): Promise<void> | void;
  /** Called after a call of `command` was answered "over the rate" (60007 and the other
   * `RateLimited` codes) so that every user of the budget backs off; that call goes again
   * after its next `acquire`, with no backoff of its own. A throw or rejection is ignored. */
  penalize?(command: string): void | Promise<void>;
}

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
  retries?: number | RetryPolicy;
  /** Calls started per second and endpoint (default 200, the documented limit), spent by the
   * built-in rate budget that every call of the client shares (single calls, pages, bulk runs). */
  rateLimitPerSecond?: number;
  /** Paces every call of the client (single calls, pages, bulk runs, retries) instead of the
   * built-in rate budget, e.g. one budget shared by several processes. */
  rateLimiter?: RateLimiter;
  /** A fetch-compatible function (default: the global fetch). */
  fetch?: (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<FetchReply>;
  /** Called before each attempt. The URL has the usersig redacted. The call does not wait for a returned promise. */
  onRequest?: (event: { command: string; url: string; body: string; attempt: number }) => void | Promise<void>;
  /** Called after each reply. */
  onResponse?: (event: { command: string; url: string; status: number; attempt: number; durationMs: number }) => void | Promise<void>;
  /** Called after each failed attempt, with whether it will be retried. */
  onError?: (event: { command: string; url: string; error: Error; attempt: number; willRetry: boolean }) => void | Promise<void>;
  /** Called once for each throw or rejected promise of a hook (the call goes on regardless).
   * Default: one `console.warn` line naming the hook. If this throws or rejects too, that is warned. */
  onHookError?: (event: HookErrorEvent) => void | Promise<void>;
  /** Request validation settings (see `validate`). */
  validation?: ValidateOptions;
}

/** How failed attempts are retried: after a transient failure, wait a random time up to
 * `min(maxMs, baseMs × 2^n)` (full jitter), then try again, at most `retries` times. */
export interface RetryPolicy {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** The first backoff's upper bound, in ms (default 200). */
  baseMs?: number;
  /** The largest backoff, in ms (default 5000). */
  maxMs?: number;
}

/** What a `fetch` option must resolve to: the parts of a `Response` the client reads. */
export interface FetchReply {
  /** The HTTP status. */
  status: number;
  /** The body as text. */
  text(): Promise<string>;
}

/** A hook that threw or rejected, as `onHookError` receives it. */
export interface HookErrorEvent {
  /** The option that failed: a client hook or a bulk run's `onProgress`. */
  hook: "onRequest" | "onResponse" | "onError" | "onProgress";
  /** What it threw or rejected with. */
  error: unknown;
  /** The command of the call (for `onProgress`, of the bulk run). */
  command?: string;
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
export type WithMeta<T> = T & {
  /** How the call went: attempts, time, the URL (usersig redacted). */
  meta: CallMeta;
};

/** What `preview` shows: nothing is sent. */
export interface RequestPreview {
  /** The URL the call would use, usersig redacted. */
  url: string;
  /** The JSON body it would send. */
  body: string;
  /** The same call as a `curl` command, usersig redacted. */
  curl: string;
}

/** Thrown when the reply has an HTTP status other than 200. */
export class HttpError extends TimSnsError {
  /** Always "HttpError". */
  name: "HttpError";
  /** The HTTP status of the last attempt. */
  status: number;
  /** The first 200 characters of its body. */
  snippet: string;
  /** The URL, usersig redacted. */
  url: string;
  /** Attempts made. */
  attempts: number;
}
/** Thrown when the fetch itself fails (no reply); `cause` is what it failed with (a stand-in
 * `Error` with the message scrubbed, when the original showed the usersig or key). */
export class NetworkError extends TimSnsError {
  /** Always "NetworkError". */
  name: "NetworkError";
  /** The URL, usersig redacted. */
  url: string;
  /** Attempts made. */
  attempts: number;
  /** What the fetch failed with (the socket error, for example). */
  cause: unknown;
}
/** Thrown when an attempt takes longer than `timeoutMs`. */
export class TimeoutError extends TimSnsError {
  /** Always "TimeoutError". */
  name: "TimeoutError";
  /** The URL, usersig redacted. */
  url: string;
  /** Attempts made. */
  attempts: number;
  /** The time allowed for one attempt, in ms. */
  timeoutMs: number;
}
/** Thrown when the call's `signal` aborts it; `cause` is the signal's reason. */
export class AbortError extends TimSnsError {
  /** Always "AbortError". */
  name: "AbortError";
  /** The URL, usersig redacted, when an attempt had started. */
  url?: string;
  /** Attempts made, when any had started. */
  attempts?: number;
  /** The signal's reason. */
  cause: unknown;
}
/** Thrown when the client's `rateLimiter` fails, so the call was not sent; `cause` is why. */
export class RateLimiterError extends TimSnsError {
  /** Always "RateLimiterError". */
  name: "RateLimiterError";
  /** The command whose call was not sent. */
  command: string;
  /** What the limiter threw or rejected with (or why it gave up waiting). */
  cause: unknown;
}
/** True when `e` is an {@link HttpError} thrown by this package. */
export function isHttpError(e: unknown): e is HttpError;
/** True when `e` is a {@link NetworkError} thrown by this package. */
export function isNetworkError(e: unknown): e is NetworkError;
/** True when `e` is a {@link TimeoutError} thrown by this package. */
export function isTimeoutError(e: unknown): e is TimeoutError;
/** True when `e` is an {@link AbortError} thrown by this package (the caller's signal ended the call). */
export function isAbortError(e: unknown): e is AbortError;

/** Every documented data center. */
export function regions(): Region[];

/** The first request of a `friend_get` walk; `StartIndex` defaults to 0. */
export interface FriendGetPagesRequest {
  /** The user whose friends are read. */
  From_Account: string;
  /** Where to start (default 0: the first page). */
  StartIndex?: number;
  /** The last `StandardSequence` seen; when current, standard data is left out of the pages. */
  StandardSequence?: number;
  /** The last `CustomSequence` seen; when current, custom data is left out of the pages. */
  CustomSequence?: number;
}
/** The first request of a `black_list_get` walk: `StartIndex` defaults to 0, `MaxLimited` to 100, `LastSequence` to 0. */
export interface BlackListGetPagesRequest {
  /** The user whose blocklist is read. */
  From_Account: string;
  /** Where to start (default 0: the first page). */
  StartIndex?: number;
  /** Users a page (default 100). */
  MaxLimited?: number;
  /** The last `CurrentSequence` seen (default 0). */
  LastSequence?: number;
}
"#;

/// Every documented data center.
#[wasm_bindgen(skip_typescript)]
pub fn regions() -> JsValue {
    super::convert::to_js(REGIONS)
}

/// A client for the relationship-chain API: validates each body, signs the call with the admin
/// UserSig, throttles per endpoint, retries transient failures and parses the reply.
#[wasm_bindgen]
pub struct SnsClient {
    inner: Rc<Inner>,
}

impl SnsClient {
    /// The shared state, for helpers that outlive the call (bulk runs).
    #[cfg(any(feature = "bulk", feature = "migrate"))]
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
        // Valid plain data takes the streaming check (no tree); the rest, the tree walk.
        let fast = known.and_then(|cmd| checked_text(cmd, &body, &self.inner.validation));
        let text = match (known, fast) {
            (_, Some((_, text))) => text,
            (Some(cmd), None) => match plain_json(&body) {
                Some((text, json)) => cmd.validate_request(&json, &self.inner.validation).into_result(text).map_err(validation_error)?,
                None => check_js(body, &Path::root(), |json| cmd.build(json, &self.inner.validation)).map_err(validation_error)?,
            },
            (None, None) => match plain_json(&body) {
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
        let signal = get(options, "signal");
        if !signal.is_undefined() && !signal.is_null() {
            // Taken as given, unchecked, as before: the bindings read it structurally.
            s.signal = Some(signal.unchecked_into());
        }
        let data = Object::assign(&Object::new(), options.unchecked_ref::<Object>());
        let _ = Reflect::delete_property(&data, &JsValue::from_str("signal"));
        let json = check_js(data.into(), &Path::named("options"), |j| Ok(j.clone())).map_err(validation_error)?;
        (s.retry, s.timeout_ms) = call_settings(&json, &Path::named("options"), s.retry, s.timeout_ms).map_err(validation_error)?;
        Ok(s)
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
    /// import { SnsClient } from "tim-sns";
    /// declare const client: SnsClient;
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

/// True when `e` is an `AbortError` thrown by this package (the caller's signal ended the call).
#[wasm_bindgen(js_name = isAbortError, skip_typescript)]
pub fn is_abort_error(e: &JsValue) -> bool {
    super::errors::has_name(e, "AbortError")
}

/// True when `e` is a `TimeoutError` thrown by this package.
#[wasm_bindgen(js_name = isTimeoutError, skip_typescript)]
pub fn is_timeout_error(e: &JsValue) -> bool {
    super::errors::has_name(e, "TimeoutError")
}
