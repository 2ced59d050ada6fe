//! Calling the caller's hooks (`onRequest`, `onResponse`, `onError`, a bulk run's
//! `onProgress`) so that they never break a call or the process: a hook that throws, or returns
//! a promise (any thenable) that rejects, is caught and reported once, to `onHookError` or,
//! without one (or when it fails too), as one `console.warn` line naming the hook.

use super::options::{Hooks, Inner};
use crate::client::url::redact;
use js_sys::{Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `console.warn`; `catch`, so a runtime without a console cannot trap.
    #[wasm_bindgen(catch, js_namespace = console, js_name = warn)]
    fn console_warn(line: &str) -> Result<(), JsValue>;
    /// `String(v)`; `catch`: a `toString` may throw.
    #[wasm_bindgen(catch, js_name = String)]
    fn string_of(v: &JsValue) -> Result<JsValue, JsValue>;

    /// A value a hook threw, read for its `message` (a getter, which may throw).
    type Thrown;
    #[wasm_bindgen(method, getter, catch, structural)]
    fn message(this: &Thrown) -> Result<JsValue, JsValue>;

    /// The event handed to `onHookError`.
    type HookErrorEvent;
    #[wasm_bindgen(method, setter)]
    fn set_hook(this: &HookErrorEvent, v: &str);
    #[wasm_bindgen(method, setter)]
    fn set_error(this: &HookErrorEvent, v: &JsValue);
    #[wasm_bindgen(method, setter)]
    fn set_command(this: &HookErrorEvent, v: &JsValue);
}

impl Hooks {
    /// The option name of `f`, which is one of these hooks' fields (compared by address, so
    /// one function given for two hooks is still named right).
    pub(super) fn name_of(&self, f: &Option<Function>) -> &'static str {
        if std::ptr::eq(f, &self.on_request) {
            "onRequest"
        } else if std::ptr::eq(f, &self.on_response) {
            "onResponse"
        } else if std::ptr::eq(f, &self.on_error) {
            "onError"
        } else {
            "hook"
        }
    }
}

impl Inner {
    /// Calls hook `name` (`f`) with `arg` without waiting for it; a throw or a rejection is
    /// reported with `command` (a string, or `undefined` for none).
    pub(crate) fn call_hook(&self, name: &'static str, f: &Function, arg: &JsValue, command: &JsValue) {
        let sink = &self.hooks.on_hook_error;
        match f.call1(&JsValue::UNDEFINED, arg) {
            Err(error) => report(sink.as_ref(), name, command, error),
            Ok(returned) if may_be_thenable(&returned) => {
                let (sink, command) = (sink.clone(), command.clone());
                on_rejection(&returned, move |error| report(sink.as_ref(), name, &command, error));
            }
            Ok(_) => {}
        }
    }
}

/// Only objects and functions can have `then`; the rest (mostly `undefined`) cost nothing.
fn may_be_thenable(v: &JsValue) -> bool {
    v.is_object() || v.is_function()
}

/// Calls `on_reject` later if `returned` (a thenable, or any value) rejects. The handler is
/// attached now, so the runtime never sees the rejection unhandled.
fn on_rejection(returned: &JsValue, on_reject: impl FnOnce(JsValue) + 'static) {
    let settled = JsFuture::from(Promise::resolve(returned));
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) = settled.await {
            on_reject(error);
        }
    });
}

/// Reports one failure of hook `name`: to `sink` (`onHookError`), or as a warning.
fn report(sink: Option<&Function>, name: &'static str, command: &JsValue, error: JsValue) {
    let Some(sink) = sink else { return warn(&format!("the {name} hook failed"), command, &error) };
    let event: HookErrorEvent = Object::new().unchecked_into();
    event.set_hook(name);
    event.set_error(&error);
    if command.is_string() {
        event.set_command(command);
    }
    // The reporter may fail too: that is warned about, never reported to itself again.
    let failed = move |e: JsValue, command: &JsValue| warn(&format!("onHookError failed while reporting a failed {name} hook"), command, &e);
    match sink.call1(&JsValue::UNDEFINED, &event) {
        Err(e) => failed(e, command),
        Ok(returned) if may_be_thenable(&returned) => {
            let command = command.clone();
            on_rejection(&returned, move |e| failed(e, &command));
        }
        Ok(_) => {}
    }
}

/// One `console.warn` line: what failed, the command, and the error's message.
fn warn(what: &str, command: &JsValue, error: &JsValue) {
    let on = command.as_string().map(|c| format!(" ({c})")).unwrap_or_default();
    let _ = console_warn(&format!("tim-sns: {what}{on}: {}", describe(error)));
}

/// The first line of a thrown value's message (at most 200 characters), with any usersig in a
/// URL redacted: the hooks' events carry none, but a hook may quote anything.
pub(crate) fn describe(error: &JsValue) -> String {
    let message = match error.as_string() {
        Some(s) => s,
        None => {
            let m = if error.is_object() { error.unchecked_ref::<Thrown>().message().ok().and_then(|m| m.as_string()) } else { None };
            m.or_else(|| string_of(error).ok().and_then(|s| s.as_string())).unwrap_or_else(|| "(a value that cannot be shown)".into())
        }
    };
    let line: String = message.split('\n').next().unwrap_or_default().chars().take(200).collect();
    redact(&line)
}
