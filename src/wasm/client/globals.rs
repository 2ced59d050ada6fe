//! The JS globals a call needs (fetch, timers, the clock, random numbers, `AbortSignal.any`),
//! bound by hand where web-sys binds them on `Window` only, and the small helpers over them.
//! Leaf module: the options and the transport both use it, and it uses neither.

use js_sys::{Array, Function, Promise, Uint32Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestInit};

#[wasm_bindgen]
extern "C" {
    /// A fetch-compatible function: `options.fetch` (or `webhook.fetch`). It may return any
    /// `{ status, text() }`, so its reply is read through `Response`'s structural bindings.
    #[wasm_bindgen(extends = Function)]
    #[derive(Clone)]
    pub(crate) type FetchFn;
    /// `f(url, init)` with no `this`, like a bare `fetch(...)` call.
    #[wasm_bindgen(method, catch, js_name = call)]
    pub(super) fn call(this: &FetchFn, this_arg: &JsValue, url: &str, init: &RequestInit) -> Result<JsValue, JsValue>;
}

// Globals that Node and browsers share but web-sys binds on `Window` only (Node has no
// `window`). Each is looked up when called, so a fetch patched in later (a mock) is used, and
// `catch` turns a missing one into an `Err` instead of a trap.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    pub(super) fn global_fetch(url: &str, init: &RequestInit) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = setTimeout)]
    pub(super) fn set_timeout(handler: &Function, ms: f64) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = clearTimeout)]
    pub(super) fn clear_timeout(id: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    pub(super) fn get_random_values(array: &Uint32Array) -> Result<(), JsValue>;
    /// web-sys binds `AbortSignal.any` without `catch`, but runtimes before it (Node < 20.3,
    /// Safari < 17.4) lack it and would trap.
    #[wasm_bindgen(catch, js_namespace = AbortSignal, js_name = any)]
    pub(super) fn abort_signal_any(signals: &Array) -> Result<AbortSignal, JsValue>;
}

/// Milliseconds since the epoch from the JS clock.
pub(crate) fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Random numbers drawn from `crypto.getRandomValues` at a time: each draw has a fixed cost
/// (in Node, `randomFillSync` and a typed array: about 2% of a migration's client time when
/// drawn one by one), and every poll of a call takes one.
const RANDOM_BATCH: u32 = 256;

thread_local! {
    static RANDOM: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A fresh u32 from `crypto.getRandomValues` (the service wants a random `random`), drawn
/// [`RANDOM_BATCH`] at a time.
pub(crate) fn random_u32() -> u32 {
    RANDOM.with(|pool| {
        let mut pool = pool.borrow_mut();
        if pool.is_empty() {
            let arr = Uint32Array::new_with_length(RANDOM_BATCH);
            if get_random_values(&arr).is_err() {
                // No Web Crypto (very old runtimes): Math.random is still fine for a request nonce.
                return (js_sys::Math::random() * 4_294_967_296.0) as u32;
            }
            *pool = arr.to_vec();
        }
        pool.pop().unwrap_or_default()
    })
}

/// A Promise resolved after `ms` milliseconds.
pub(crate) fn sleep(ms: f64) -> JsFuture {
    JsFuture::from(delay(ms))
}

/// The Promise of `sleep`, for racing it against others.
pub(crate) fn delay(ms: f64) -> Promise {
    Promise::new(&mut |resolve, _| {
        // Without timers (not a runtime we know of), go on at once rather than hang.
        if set_timeout(&resolve, ms.max(0.0)).is_err() {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    })
}

/// A timer that aborts something (an attempt, a limiter's wait); dropping it clears the timer before its closure goes, so
/// the timer can never call a dropped closure.
pub(crate) struct Timer {
    id: JsValue,
    _abort: Closure<dyn FnMut()>,
}

impl Timer {
    /// The timer `id` (from `setTimeout`) that calls `abort`.
    pub(super) fn new(id: JsValue, abort: Closure<dyn FnMut()>) -> Self {
        Self { id, _abort: abort }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        let _ = clear_timeout(&self.id);
    }
}
