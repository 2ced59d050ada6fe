//! The webhook functions for JS (the `tim-sns/webhook` entry, built with the `webhook`
//! feature; the emulator entry includes them). Every decision is in `crate::webhook`; this
//! file converts values and reads the clock.

use super::convert::{check_js, to_js, to_json};
use super::errors::{decode_error, validation_error};
use super::now_seconds;
use crate::validate::{Path, Violations};
use crate::webhook::intake::{HOOK_KEYS, HandlerConfig, finish, intake};
use crate::webhook::reply::{ok_reply, prev_reply};
use crate::webhook::{Parsed, VerifyWebhookOptions, WebhookVerification, parse_callback, sign};
use serde_json::Value;
use tsify::Ts;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const WEBHOOK_TYPES: &'static str = r#"
/** The `CallbackCommand` of each relationship-chain callback. */
export type SnsCallbackCommand = SnsCallback["CallbackCommand"];
/** The callback type of one command, e.g. `SnsCallbackOf<"Sns.CallbackFriendAdd">`. */
export type SnsCallbackOf<C extends SnsCallbackCommand> = Extract<SnsCallback, { CallbackCommand: C }>;
/** The two "before" commands, whose reply can refuse targets. */
export type SnsBeforeCommand = "Sns.CallbackPrevFriendAdd" | "Sns.CallbackPrevFriendResponse";
/** What a "before" hook may return: nothing (allow all), refusals, or a reply from `refuseReply`/`allowAllReply`. */
export type BeforeHookResult = void | undefined | null | CallbackRefusal[] | CallbackReply;
/** What the handlers pass to every hook besides the callback. */
export interface WebhookRequestInfo {
  /** The request URL (path and query) as received. */
  url: string;
  /** The passed verification (signature and freshness when a token is set). */
  verification: WebhookVerification;
}
/** One hook per command; "before" hooks decide, "after" hooks' results are ignored (the reply is OK). */
export type WebhookHooks = {
  [C in SnsCallbackCommand]?: (callback: SnsCallbackOf<C>, info: WebhookRequestInfo) =>
    C extends SnsBeforeCommand ? BeforeHookResult | Promise<BeforeHookResult> : unknown;
};
/** A refused webhook request, as `onRefused` receives it. */
export interface WebhookRefusalEvent {
  /** The HTTP status answered. */
  status: number;
  /** Why, as in `WebhookIntakeRefuse.reason`. */
  reason: string;
  /** The same, in a sentence. */
  message: string;
}
/** Options of `webhookHandler` and `webhookFetchHandler`. */
export interface WebhookHandlerOptions {
  /** Our SDKAppID: requests for another app are refused. */
  sdkAppId: number;
  /** The console's callback token, or `null` when webhook authentication is off (then `Sign` is not checked). */
  token: string | null;
  /** Largest accepted `|now - RequestTime|` in seconds. Default 60. */
  maxSkewSeconds?: number;
  /** Largest body accepted, in bytes (larger ones get HTTP 413). Default 1 MiB. */
  maxBodyBytes?: number;
  /** The hooks, by command. */
  on?: WebhookHooks;
  /** Called for any other command (the reply is OK). */
  onUnknown?: (command: string, body: Record<string, unknown>, info: WebhookRequestInfo) => unknown;
  /** Called when a request is refused (bad signature, stale, wrong app, too large, unreadable). */
  onRefused?: (refusal: WebhookRefusalEvent, info: { url: string }) => unknown;
  /** Called when a hook throws or returns something invalid; the reply then is a failure (ErrorCode 1). Default: console.error. */
  onError?: (error: unknown, callback: SnsCallback) => unknown;
}
/** `webhookIntake` refused the request: answer `status` with `reply`. */
export interface WebhookIntakeRefuse {
  /** Always "refuse". */
  kind: "refuse";
  /** The HTTP status to answer (400, 401, 405 or 413). */
  status: number;
  /** The body to answer with. */
  reply: CallbackReply;
  /** Why it was refused. */
  reason: WebhookRefusal | "method-not-allowed" | "too-large" | "decode";
  /** The same, in a sentence. */
  message: string;
}
/** What `webhookIntake` hands to a hook, and the replies to answer with. */
interface WebhookIntakeAccepted {
  /** The passed verification. */
  verification: WebhookVerification;
  /** The reply when the hook succeeds (for a "before" command, with no refusals). */
  reply: CallbackReply;
  /** The reply when the hook throws or returns something invalid. */
  failure: CallbackReply;
  /** The HTTP status to send with `failure`. */
  failureStatus: number;
}
/** `webhookIntake` accepted a relationship-chain callback: call its hook. */
export interface WebhookIntakeDispatch extends WebhookIntakeAccepted {
  /** Always "dispatch". */
  kind: "dispatch";
  /** The callback's command. */
  command: SnsCallbackCommand;
  /** The parsed, typed callback. */
  callback: SnsCallback;
  /** Whether it is a "before" command, whose reply can refuse targets. */
  before: boolean;
}
/** `webhookIntake` accepted a callback of a command this package does not know. */
export interface WebhookIntakeUnknown extends WebhookIntakeAccepted {
  /** Always "unknown". */
  kind: "unknown";
  /** Its `CallbackCommand`. */
  command: string;
  /** Its JSON body. */
  body: Record<string, unknown>;
}
/** The decision of `webhookIntake` (used by the handlers; exported for custom adapters). */
export type WebhookIntake = WebhookIntakeRefuse | WebhookIntakeDispatch | WebhookIntakeUnknown;
"#;

/// Checks a callback request's query as the vendor asks receivers to: `SdkAppid` equals
/// `sdkAppId`; with a `token`, `Sign` equals `SHA-256(token + RequestTime)` (constant-time
/// compare) and `RequestTime` is within `maxSkewSeconds` (default 60) of `now` (default: the
/// clock). `token: null` skips the signature only. A refused request is not an exception:
/// `valid` is false and `reason` says why. Throws a `ValidationError` only for bad options.
///
/// @example
/// import { createServer } from "node:http";
/// import { verifyWebhook } from "tim-sns/webhook";
/// createServer((req, res) => {
///   const v = verifyWebhook({ url: req.url ?? "", token: process.env.TIM_CALLBACK_TOKEN ?? null, sdkAppId: 1400000000 });
///   if (!v.valid) return res.writeHead(401).end(v.reason);
///   res.end("ok");
/// }).listen(9000);
#[wasm_bindgen(js_name = verifyWebhook)]
pub fn verify_webhook(options: Ts<VerifyWebhookOptions>) -> Result<Ts<WebhookVerification>, JsValue> {
    let options = check_js(options.into(), &Path::root(), VerifyWebhookOptions::from_json).map_err(validation_error)?;
    Ok(Ts::new_unchecked(to_js(&options.verify(now_seconds()))))
}

/// The `Sign` the service computes: lowercase hex of `SHA-256(token + requestTime)`.
#[wasm_bindgen(js_name = webhookSign)]
pub fn webhook_sign(token: &str, request_time: &str) -> String {
    sign::sign(token, request_time)
}

/// Reads a callback body. `queryOrUrl` (the request URL, or its query, or `""`) supplies
/// `CallbackCommand` when the body lacks it; when both have it they must agree. Unknown fields
/// are kept. Throws a `DecodeError` (with field paths) when the body is not JSON, lacks a
/// documented field the receiver needs, has one of the wrong type, or is neither an `Sns.*`
/// command nor `Alert.RequestOverLimit`.
#[wasm_bindgen(js_name = parseCallback)]
pub fn parse_callback_js(query_or_url: &str, body_text: &str) -> Result<Ts<crate::webhook::SnsCallback>, JsValue> {
    match parse_callback(query_or_url, body_text) {
        Ok(Parsed::Known { body, .. }) => Ok(Ts::new_unchecked(to_js(&body))),
        Ok(Parsed::Unknown { command, .. }) => {
            let mut v = Violations::new();
            let why = format!("{command} is not a relationship-chain (Sns.*) callback nor Alert.RequestOverLimit");
            v.push(&Path::named("CallbackCommand"), "unknown-command", why.clone());
            let snippet: String = body_text.chars().take(crate::model::wire::SNIPPET_CHARS).collect();
            Err(decode_error(&why, &snippet, &v))
        }
        Err(e) => Err(decode_error(&e.message, &e.snippet, &e.violations)),
    }
}

/// `{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`: the reply to every "after" callback.
#[wasm_bindgen(js_name = okReply)]
pub fn ok_reply_js() -> Ts<crate::webhook::reply::CallbackReply> {
    Ts::new_unchecked(to_js(&ok_reply()))
}

/// The reply to a "before" callback that allows every target (a `ResultItem` with code 0 each).
/// Throws a `ValidationError` when `callback` is not a "before" callback.
#[wasm_bindgen(js_name = allowAllReply)]
pub fn allow_all_reply(
    #[wasm_bindgen(unchecked_param_type = "SnsCallback")] callback: JsValue,
) -> Result<Ts<crate::webhook::reply::CallbackReply>, JsValue> {
    refuse_reply(callback, JsValue::NULL)
}

/// The reply to a "before" callback refusing the listed targets with the app's codes
/// (38000 to 39000; the requesting client receives the code) and allowing the rest. Throws a
/// `ValidationError` listing every bad refusal (code out of range, not a target, refused twice).
#[wasm_bindgen(js_name = refuseReply)]
pub fn refuse_reply(
    #[wasm_bindgen(unchecked_param_type = "SnsCallback")] callback: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CallbackRefusal[]")] refusals: JsValue,
) -> Result<Ts<crate::webhook::reply::CallbackReply>, JsValue> {
    let callback = to_json(callback, &Path::named("callback")).map_err(validation_error)?;
    let refusals = to_json(refusals, &Path::named("refusals")).map_err(validation_error)?;
    let reply = prev_reply(&callback, &refusals).map_err(validation_error)?;
    Ok(Ts::new_unchecked(to_js(&reply)))
}

/// What a handler does with one request (method, URL with its query, body text, whether the
/// body was cut off at `maxBodyBytes`). `options` are the handler's (`sdkAppId`, `token`,
/// `maxSkewSeconds`, `maxBodyBytes`; hooks are ignored here). Used by `webhookHandler` and
/// `webhookFetchHandler`; exported for other servers' adapters.
#[wasm_bindgen(js_name = webhookIntake, unchecked_return_type = "WebhookIntake")]
pub fn webhook_intake(
    #[wasm_bindgen(unchecked_param_type = "WebhookHandlerOptions")] options: JsValue,
    method: &str,
    url: &str,
    body: &str,
    too_large: bool,
) -> Result<JsValue, JsValue> {
    let config = webhook_config(options)?;
    Ok(to_js(&intake(&config, method, url, body, too_large, now_seconds()).to_json()))
}

/// Checks handler options (throws a `ValidationError` listing every problem).
#[wasm_bindgen(js_name = webhookCheckOptions)]
pub fn webhook_check_options(#[wasm_bindgen(unchecked_param_type = "WebhookHandlerOptions")] options: JsValue) -> Result<(), JsValue> {
    webhook_config(options).map(|_| ())
}

fn webhook_config(options: JsValue) -> Result<HandlerConfig, JsValue> {
    if !options.is_object() {
        let mut out = Violations::new();
        out.push(&Path::root(), "type", "options must be an object");
        return Err(validation_error(out));
    }
    // Hooks are functions, which have no JSON form: they are checked by the adapters, and stand
    // here as null so that every other key, typos included, reaches the core's checks.
    let mut out = Violations::new();
    check_hooks(&options, &mut out);
    let data = js_sys::Object::new();
    for key in js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>()).iter() {
        let name = key.as_string().unwrap_or_default();
        let value = if HOOK_KEYS.contains(&name.as_str()) { JsValue::NULL } else { super::client::get(&options, &name) };
        let _ = js_sys::Reflect::set(&data, &key, &value);
    }
    match check_js(data.into(), &Path::root(), HandlerConfig::from_json) {
        Ok(config) if out.is_empty() => Ok(config),
        Ok(_) => Err(validation_error(out)),
        Err(found) => {
            let mut all = found.into_vec();
            all.extend(out.into_vec());
            Err(validation_error(Violations::from(all)))
        }
    }
}

/// `on` maps known commands to functions (a misspelt command would never be called); the
/// other hooks are functions. Absent or null hooks are fine.
fn check_hooks(options: &JsValue, out: &mut Violations) {
    let is_fn_or_absent = |v: &JsValue| v.is_undefined() || v.is_null() || v.is_function();
    for key in ["onUnknown", "onRefused", "onError"] {
        if !is_fn_or_absent(&super::client::get(options, key)) {
            out.push(&Path::named(key), "type", format!("{key} must be a function"));
        }
    }
    let on = super::client::get(options, "on");
    if on.is_undefined() || on.is_null() {
        return;
    }
    if !on.is_object() {
        out.push(&Path::named("on"), "type", "on must be an object of hooks by CallbackCommand");
        return;
    }
    for key in js_sys::Object::keys(on.unchecked_ref::<js_sys::Object>()).iter() {
        let name = key.as_string().unwrap_or_default();
        let at = Path::named("on").key(&name).to_string();
        if !crate::webhook::callbacks::COMMANDS.contains(&name.as_str()) {
            out.push(&Path::named(&at), "unknown-command", format!("{at}: not a relationship-chain callback command (use onUnknown for others)"));
        } else if !is_fn_or_absent(&super::client::get(&on, &name)) {
            out.push(&Path::named(&at), "type", format!("{at} must be a function"));
        }
    }
}

/// The reply after a hook returned `returned` for `callback`: OK for "after" callbacks; for
/// "before" ones, nothing allows all, an array refuses those targets, a reply is re-checked.
/// Throws a `ValidationError` for a bad return value.
#[wasm_bindgen(js_name = webhookFinish)]
pub fn webhook_finish(
    #[wasm_bindgen(unchecked_param_type = "SnsCallback")] callback: JsValue,
    returned: JsValue,
) -> Result<Ts<crate::webhook::reply::CallbackReply>, JsValue> {
    let callback = to_json(callback, &Path::named("callback")).map_err(validation_error)?;
    let returned: Value = to_json(returned, &Path::named("returned")).map_err(validation_error)?;
    let reply = finish(&callback, &returned).map_err(validation_error)?;
    Ok(Ts::new_unchecked(to_js(&reply)))
}
