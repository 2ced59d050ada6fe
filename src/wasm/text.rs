//! Large JS strings into Rust in one native call.
//!
//! wasm-bindgen's own string passing copies the ASCII prefix of a string one character at a
//! time in a JS loop before handing the rest to `TextEncoder.encodeInto`: for a 30 KB request
//! body that loop alone costs about as much as `JSON.stringify` of it. Bodies and replies go
//! through [`read`] instead, which lets `encodeInto` write the whole string straight into the
//! buffer's memory.

use js_sys::{JsString, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// The WHATWG `TextEncoder` (a global in browsers and Node).
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    /// Writes `source` as UTF-8 into `dest` and says how much it read and wrote.
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(this: &TextEncoder, source: &JsString, dest: &Uint8Array) -> EncodeIntoResult;

    /// `JSON.parse` of a JS string (js-sys's binding takes a Rust `&str`, which would copy the
    /// text back out of wasm first).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub fn parse_json(text: &JsString) -> Result<JsValue, JsValue>;
    /// `JSON.parse` of text we wrote ourselves (serde_json's output always parses), bound
    /// without `catch`: the try/catch wrapper around a catching import cost more than the
    /// parse of a small result.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse)]
    pub fn parse_own_json(text: &str) -> JsValue;

    /// What `encodeInto` returns.
    type EncodeIntoResult;
    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodeIntoResult) -> u32;
}

thread_local! {
    static ENCODER: TextEncoder = TextEncoder::new();
}

/// The UTF-8 text of `value` when it is a JS string (lone surrogates become U+FFFD, as with
/// wasm-bindgen's own conversion); `None` for anything else.
pub fn read(value: &JsValue) -> Option<String> {
    let s: &JsString = value.dyn_ref()?;
    // A UTF-16 code unit never takes more than 3 bytes of UTF-8.
    let capacity = s.length() as usize * 3;
    let mut buf: Vec<u8> = Vec::with_capacity(capacity);
    let written = ENCODER.with(|encoder| {
        // SAFETY: the view covers the buffer's allocated capacity and lives only for this
        // call, during which nothing allocates in wasm memory (which could grow the memory
        // and detach the view).
        let view = unsafe { Uint8Array::view_mut_raw(buf.as_mut_ptr(), capacity) };
        encoder.encode_into(s, &view).written()
    }) as usize;
    // SAFETY: `encodeInto` initialised the first `written` bytes (at most the capacity).
    unsafe { buf.set_len(written.min(capacity)) };
    // SAFETY: encodeInto writes well-formed UTF-8 (the Encoding Standard's UTF-8 encoder
    // turns lone surrogates into U+FFFD); checking it again cost 1% of a request's build.
    Some(unsafe { String::from_utf8_unchecked(buf) })
}
