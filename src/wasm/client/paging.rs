//! The paged walks (`friendGetPages`, `blackListGetPages`, `friendGetAll`, `blackListGetAll`):
//! the core's `Pager` decides the next body; this file sends it and hands pages to JS as an
//! async iterator or one array.

use super::super::convert::check_js;
use super::super::errors::{decode_error, validation_error};
use super::super::promise;
use super::options::Inner;
use super::transport::{CallSettings, Prepared, send_value, set_fields, to_js_json};
use super::SnsClient;
use crate::client::paging::{Kind, Pager};
use crate::model::Command;
use crate::validate::{Path, Violations};
use js_sys::{Object, Promise, Reflect};
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// One paged walk: the pager and what every request of it shares.
struct Walk {
    pager: RefCell<Pager>,
    inner: Rc<Inner>,
    settings: CallSettings,
    command: Command,
}

impl Walk {
    /// The next page (the reply with `meta`), or `None` when the walk is over.
    async fn next(&self) -> Result<Option<Value>, JsValue> {
        let Some(body) = self.pager.borrow().next_body() else { return Ok(None) };
        let prepared = Prepared { command: self.command.wire_name().to_owned(), path: self.command.path(), known: Some(self.command), body: body.to_string() };
        let page = send_value(&self.inner, &prepared, &self.settings).await?;
        let field = |k: &str| page.get(k).and_then(Value::as_f64).map_or(Value::Null, |n| Value::from(n as u64));
        let reply = serde_json::json!({ "CompleteFlag": field("CompleteFlag"), "NextStartIndex": field("NextStartIndex"), "StartIndex": field("StartIndex") });
        let advanced = self.pager.borrow_mut().advance(&reply);
        advanced.map_err(|stuck| decode_error(&stuck.0, "", &Violations::new()))?;
        Ok(Some(page))
    }
}

impl SnsClient {
    /// The first body of a walk, with defaults filled in and every rule checked.
    fn walk(&self, kind: Kind, body: JsValue, options: JsValue) -> Result<Rc<Walk>, JsValue> {
        let command = kind.command();
        let settings = self.settings(&options)?;
        let json = kind.first_body(check_js(body, &Path::root(), |j| Ok(j.clone())).map_err(validation_error)?);
        command.validate_request(&json, &self.inner.validation).into_result(()).map_err(validation_error)?;
        Ok(Rc::new(Walk { pager: RefCell::new(Pager::new(kind, json)), inner: Rc::clone(&self.inner), settings, command }))
    }

    /// An async iterator over the pages of a walk.
    pub(super) fn pages(&self, kind: Kind, body: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        let walk = self.walk(kind, body, options)?;
        let iterator = Object::new();
        let next = Closure::<dyn FnMut() -> Promise>::new(move || {
            let walk = Rc::clone(&walk);
            promise(async move {
                let result = Object::new();
                let page = match walk.next().await? {
                    Some(page) => Some(to_js_json(&page)?),
                    None => None,
                };
                set_fields(&result, &[("done", JsValue::from_bool(page.is_none())), ("value", page.unwrap_or(JsValue::UNDEFINED))]);
                Ok(result.into())
            })
        });
        let this = iterator.clone();
        let itself = Closure::<dyn FnMut() -> JsValue>::new(move || this.clone().into());
        let _ = Reflect::set(&iterator, &JsValue::from_str("next"), &next.into_js_value());
        let _ = Reflect::set(&iterator, &js_sys::Symbol::async_iterator(), &itself.into_js_value());
        Ok(iterator.into())
    }

    /// Every item of every page of a walk.
    pub(super) fn collect(&self, kind: Kind, body: JsValue, options: JsValue) -> Promise {
        let walk = self.walk(kind, body, options);
        let key = kind.items_field();
        promise(async move {
            let walk = walk?;
            let mut all = Vec::new();
            while let Some(mut page) = walk.next().await? {
                if let Some(Value::Array(items)) = page.get_mut(key) {
                    all.append(items);
                }
            }
            to_js_json(&Value::Array(all))
        })
    }
}
