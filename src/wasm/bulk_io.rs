//! The I/O pieces of the bulk executor: the journal (a file in Node, or the caller's object),
//! the wake-up the loop waits on between calls, and the `AbortSignal` it checks. Typed
//! bindings only: no property lookups by string.

use js_sys::{Function, Promise};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `AbortSignal`, as far as the executor needs it.
    #[wasm_bindgen(js_name = AbortSignal)]
    pub(crate) type Signal;
    #[wasm_bindgen(method, getter)]
    pub(crate) fn aborted(this: &Signal) -> bool;

    /// Node's `fs` module, as far as the journal needs it.
    pub(crate) type Fs;
    #[wasm_bindgen(method, catch, js_name = appendFileSync)]
    fn append_file_sync(this: &Fs, path: &str, data: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = readFileSync)]
    fn read_file_sync(this: &Fs, path: &str, encoding: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, js_name = existsSync)]
    fn exists_sync(this: &Fs, path: &str) -> bool;
    /// `process.getBuiltinModule` (Node 20.16+); throws where there is no `process`.
    #[wasm_bindgen(catch, js_namespace = process, js_name = getBuiltinModule)]
    fn get_builtin_module(name: &str) -> Result<JsValue, JsValue>;

    /// The caller's journal object.
    pub(crate) type JournalObject;
    #[wasm_bindgen(method, catch)]
    fn append(this: &JournalObject, text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn read(this: &JournalObject) -> Result<JsValue, JsValue>;
}

/// Where journal lines go.
pub(crate) enum Journal {
    /// A file (Node).
    File(Fs, String),
    /// The caller's `{ append(text), read() }`.
    Object(JournalObject),
}

impl Journal {
    /// From the `journal` option: absent, a path, or an object with `append` and `read`.
    pub(crate) fn from_js(v: &JsValue) -> Result<Option<Journal>, String> {
        if v.is_undefined() || v.is_null() {
            return Ok(None);
        }
        if let Some(path) = v.as_string() {
            let fs = get_builtin_module("node:fs").ok().filter(|m| m.is_object()).ok_or("options.journal as a path needs Node's fs; elsewhere pass { append, read }")?;
            return Ok(Some(Journal::File(fs.unchecked_into(), path)));
        }
        let has = |k: &str| js_sys::Reflect::get(v, &JsValue::from_str(k)).is_ok_and(|f| f.is_function());
        if v.is_object() && has("append") && has("read") {
            return Ok(Some(Journal::Object(v.clone().unchecked_into())));
        }
        Err("options.journal must be a file path or an object with append(text) and read()".into())
    }

    /// The journal's text so far ("" when there is none yet).
    pub(crate) async fn read(&self) -> Result<String, JsValue> {
        match self {
            Journal::File(fs, path) if !fs.exists_sync(path) => Ok(String::new()),
            Journal::File(fs, path) => Ok(fs.read_file_sync(path, "utf8")?.as_string().unwrap_or_default()),
            Journal::Object(o) => Ok(JsFuture::from(Promise::resolve(&o.read()?)).await?.as_string().unwrap_or_default()),
        }
    }

    /// Appends lines, each ended by a newline; done when they are written.
    pub(crate) async fn append(&self, lines: &[String]) -> Result<(), JsValue> {
        if lines.is_empty() {
            return Ok(());
        }
        let mut text = lines.join("\n");
        text.push('\n');
        match self {
            Journal::File(fs, path) => fs.append_file_sync(path, &text),
            Journal::Object(o) => JsFuture::from(Promise::resolve(&o.append(&text)?)).await.map(|_| ()),
        }
    }
}

/// A one-shot wake-up: `wait` gives a Promise that `notify` resolves; a notify with nobody
/// waiting is kept for the next `wait`.
#[derive(Default)]
pub(crate) struct Wake {
    resolve: RefCell<Option<Function>>,
    pending: Cell<bool>,
}

impl Wake {
    /// Resolves at the next `notify` (at once if one came since the last wait).
    pub(crate) fn wait(&self) -> Promise {
        if self.pending.replace(false) {
            return Promise::resolve(&JsValue::UNDEFINED);
        }
        let mut resolve = None;
        let p = Promise::new(&mut |res, _| resolve = Some(res));
        *self.resolve.borrow_mut() = resolve;
        p
    }

    /// Wakes the waiter.
    pub(crate) fn notify(&self) {
        match self.resolve.borrow_mut().take() {
            Some(f) => {
                let _ = f.call0(&JsValue::UNDEFINED);
            }
            None => self.pending.set(true),
        }
    }
}
