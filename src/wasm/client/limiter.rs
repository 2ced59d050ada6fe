//! The caller's `rateLimiter` (a client option, used by every call: single calls, pages, bulk
//! runs): `acquire(command, { signal })` resolves when a call may start, and the optional
//! `penalize(command)` is told of every answer "over the rate", so that every user of a shared
//! budget backs off. It fails closed: an `acquire` that throws, rejects or does not settle
//! within the call's timeout stops the call; it never lets it through.

use super::super::errors::js_error;
use super::globals::{Timer, abort_signal_any, set_timeout};
use js_sys::{Array, Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

#[wasm_bindgen]
extern "C" {
    /// A caller's limiter object, checked to have a callable `acquire`.
    #[derive(Clone)]
    pub(crate) type RateLimiter;
    #[wasm_bindgen(method, getter, js_name = acquire)]
    fn acquire_member(this: &RateLimiter) -> JsValue;
    #[wasm_bindgen(method, getter, js_name = penalize)]
    fn penalize_member(this: &RateLimiter) -> JsValue;
    #[wasm_bindgen(method, catch, js_name = acquire)]
    fn call_acquire(this: &RateLimiter, command: &str, options: &AcquireOptions) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = penalize)]
    fn call_penalize(this: &RateLimiter, command: &str) -> Result<JsValue, JsValue>;

    /// The second argument of `acquire`.
    type AcquireOptions;
    #[wasm_bindgen(method, setter)]
    fn set_signal(this: &AcquireOptions, signal: &AbortSignal);
}

impl RateLimiter {
    /// The limiter in `value`; `Ok(None)` when absent, `Err` (the rule broken) when it has no
    /// callable `acquire`, or a `penalize` that is not a function.
    pub(crate) fn from_js(value: JsValue) -> Result<Option<RateLimiter>, &'static str> {
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        if !value.is_object() {
            return Err("must be an object with an acquire(command, { signal }) method");
        }
        let limiter: RateLimiter = value.unchecked_into();
        if !limiter.acquire_member().is_instance_of::<Function>() {
            return Err("must have an acquire(command, { signal }) method");
        }
        let penalize = limiter.penalize_member();
        if !(penalize.is_undefined() || penalize.is_null() || penalize.is_instance_of::<Function>()) {
            return Err("penalize must be a function when given");
        }
        Ok(Some(limiter))
    }

    /// Waits until `acquire(command)` resolves. `Err` with what it threw or rejected with, or
    /// an error saying it did not settle within `timeout_ms` (its signal is then aborted, so
    /// that the limiter can drop the waiter). `user` aborts the wait too.
    pub(crate) async fn wait(&self, command: &str, timeout_ms: f64, user: Option<&AbortSignal>) -> Result<(), JsValue> {
        let controller = AbortController::new()?;
        let own = controller.signal();
        let signal = match user {
            Some(u) => abort_signal_any(&Array::of2(&own, u)).unwrap_or(own),
            None => own,
        };
        let options: AcquireOptions = Object::new().unchecked_into();
        options.set_signal(&signal);
        if signal.aborted() {
            return Err(js_error("TimeoutError", &format!("rateLimiter.acquire(\"{command}\") was aborted"), &[]));
        }
        let acquired = Promise::resolve(&self.call_acquire(command, &options)?);
        let message = format!("rateLimiter.acquire(\"{command}\") did not resolve within {} ms", timeout_ms as u64);
        // Rejects at the timeout (or the caller's abort); the race settles with the first. It
        // rejects a task later than the abort: a limiter that gives up when its signal aborts
        // (its rejection settles within the abort's microtasks) gets to say why it could not
        // let the call through, e.g. that its store did not answer.
        let expired = Promise::new(&mut |_, reject| {
            let reason = js_error("TimeoutError", &message, &[]);
            let on_abort = Closure::once_into_js(move || {
                let late = Closure::once_into_js(move || {
                    let _ = reject.call1(&JsValue::UNDEFINED, &reason);
                });
                let _ = set_timeout(late.unchecked_ref(), 0.0);
            });
            signal.set_onabort(Some(on_abort.unchecked_ref()));
        });
        let abort = Closure::<dyn FnMut()>::new(move || controller.abort());
        let timer = set_timeout(abort.as_ref().unchecked_ref(), timeout_ms).ok().map(|id| Timer::new(id, abort));
        let result = JsFuture::from(Promise::race(&Array::of2(&acquired, &expired))).await;
        // Cleared before it fires: a resolved wait leaves no timer keeping the process alive.
        drop(timer);
        result.map(drop)
    }

    /// Tells the limiter that a call of `command` was answered "over the rate". A throw or
    /// rejection is ignored: the call's own retry is paced by `acquire` regardless.
    pub(crate) fn penalize(&self, command: &str) {
        if self.penalize_member().is_instance_of::<Function>() {
            if let Ok(p) = self.call_penalize(command) {
                // A rejected promise nobody handles would be reported as unhandled.
                let p = Promise::resolve(&p);
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = JsFuture::from(p).await;
                });
            }
        }
    }
}
