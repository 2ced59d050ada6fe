//! The JS boundary: the only module that names `JsValue`. It converts values, reads the JS
//! clock, and turns core errors into JS `Error`s with machine-readable fields.

mod catalogue;
mod client;
mod convert;
mod endpoints;
mod errors;
mod usersig;

pub use catalogue::explain_error;
pub use client::*;
pub use endpoints::*;
pub use errors::{is_api_error, is_decode_error, is_user_sig_error, is_validation_error};
pub use usersig::{decode_user_sig, gen_user_sig, verify_user_sig};

/// Current Unix time in whole seconds from the JS clock (`SystemTime` panics on wasm32).
pub(crate) fn now_seconds() -> u64 {
    (js_sys::Date::now() / 1000.0).floor() as u64
}
