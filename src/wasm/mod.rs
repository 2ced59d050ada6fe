//! The JS boundary: the only module that names `JsValue`. It converts values, reads the JS
//! clock, and turns core errors into JS `Error`s with machine-readable fields.

// The bulk helpers are in the Node build only (feature `bulk`): the browser build stays within
// its size budget (see README, "Design decisions").
#[cfg(feature = "bulk")]
mod bulk;
#[cfg(feature = "bulk")]
mod bulk_types;
#[cfg(feature = "bulk")]
mod bulk_io;
mod catalogue;
mod client;
mod convert;
#[cfg(feature = "emulator")]
mod emulator;
#[cfg(feature = "emulator")]
mod emulator_webhook;
mod endpoints;
mod errors;
#[cfg(feature = "migrate")]
mod migrate;
#[cfg(feature = "paste")]
mod paste;
mod text;
mod usersig;
#[cfg(feature = "webhook")]
mod webhook;

pub use catalogue::explain_error;
pub use client::*;
pub use endpoints::*;
#[cfg(feature = "emulator")]
pub use emulator::Emulator;
#[cfg(feature = "migrate")]
pub use migrate::*;
pub use errors::{is_api_error, is_decode_error, is_user_sig_error, is_validation_error};
pub use usersig::{decode_user_sig, gen_user_sig, verify_user_sig};
#[cfg(feature = "paste")]
pub use paste::{complete_at, inspect_paste, locate_paths};
#[cfg(feature = "webhook")]
pub use webhook::*;

/// A Promise for a future. Every future goes through one boxed type, so the promise machinery
/// is compiled once rather than once per async function (several KB of .wasm each).
/// Its error, when it fails, carries the stack of the JS code that called (see
/// [`errors::CallerStack`]).
pub(crate) fn promise(f: impl std::future::Future<Output = Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>> + 'static) -> js_sys::Promise {
    let caller = errors::CallerStack::capture();
    let boxed: std::pin::Pin<Box<dyn std::future::Future<Output = Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>>>> = Box::pin(async move {
        f.await.inspect_err(|e| caller.attach(e))
    });
    wasm_bindgen_futures::future_to_promise(boxed)
}

/// Current Unix time in whole seconds from the JS clock (`SystemTime` panics on wasm32).
pub(crate) fn now_seconds() -> u64 {
    (js_sys::Date::now() / 1000.0).floor() as u64
}
