//! The I/O pieces of the bulk executor: the journal (a file in Node, or the caller's object),
//! the wake-up the loop waits on between calls, the `AbortSignal` it checks, and the failure
//! (of the journal or the rate limiter) that halts it. Typed bindings only: no property
//! lookups by string.

use super::client::{Inner, describe};
use super::errors::{has_name, js_error};
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

/// What stopped a run before its end: the durability promise (the journal) or the pacing
/// promise (the rate limiter) could not be kept, so nothing more may be sent.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cause {
    /// The journal's `read` failed: the run cannot know what an earlier one did.
    JournalRead,
    /// The journal's `append` failed: a `sent` or `done` line may be missing.
    JournalAppend,
    /// `rateLimiter.acquire(command)` threw or rejected: the call may not go out.
    Limiter(&'static str),
}

impl Cause {
    /// What failed, for the error message.
    pub(crate) fn what(self) -> String {
        match self {
            Cause::JournalRead => "the journal's read() failed".into(),
            Cause::JournalAppend => "the journal's append() failed".into(),
            Cause::Limiter(command) => format!("rateLimiter.acquire(\"{command}\") failed"),
        }
    }

    /// The error's `reason`.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Cause::JournalRead | Cause::JournalAppend => "journal",
            Cause::Limiter(_) => "rateLimiter",
        }
    }
}

/// The first failure that stops a run, shared by the loop and the calls' tasks; later ones
/// are consequences and are dropped.
#[derive(Default)]
pub(crate) struct Halt {
    first: RefCell<Option<(Cause, JsValue)>>,
}

impl Halt {
    /// Records `cause` unless the run is already halted.
    pub(crate) fn set(&self, cause: Cause, error: JsValue) {
        self.first.borrow_mut().get_or_insert((cause, error));
    }

    /// Whether the run must send nothing more.
    pub(crate) fn is_set(&self) -> bool {
        self.first.borrow().is_some()
    }

    /// Whether the journal failed: it is not written to again (a partly written line would
    /// be glued to the next one).
    pub(crate) fn journal_failed(&self) -> bool {
        self.first.borrow().as_ref().is_some_and(|(c, _)| c.reason() == "journal")
    }

    /// The failure, at the end of the run.
    pub(crate) fn take(&self) -> Option<(Cause, JsValue)> {
        self.first.borrow_mut().take()
    }
}

/// The `BulkError` a halted run rejects with: the cause named in the message, the original
/// error as `cause`, and the report of what was done (so a caller loses nothing).
pub(crate) fn bulk_error(inner: &Inner, command: &str, cause: Cause, error: JsValue, report: JsValue) -> JsValue {
    let message = format!(
        "bulk {command} run stopped: {}: {}; nothing was sent after that, the calls in flight finished, and error.report has every item's outcome",
        cause.what(),
        inner.scrub(&describe(&error)),
    );
    js_error("BulkError", &message, &[("reason", JsValue::from_str(cause.reason())), ("cause", error), ("report", report)])
}

/// True when `e` is a `BulkError` thrown by this package.
#[wasm_bindgen(js_name = isBulkError, skip_typescript)]
pub fn is_bulk_error(e: &JsValue) -> bool {
    has_name(e, "BulkError")
}
