//! tim-sns: a typed, validated client for the Tencent Cloud IM server REST API relationship
//! chain (`v4/sns/*`), built as a Rust core and compiled to WebAssembly for Node and browsers.
//!
//! Everything outside [`wasm`] is plain Rust, tested natively, and never reads a clock or a
//! random source itself: callers pass `now` in.

pub mod client;
pub mod emulator;
pub mod errors;
pub mod migrate;
pub mod model;
pub mod paste;
pub mod usersig;
pub mod validate;
pub mod webhook;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
