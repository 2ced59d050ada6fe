//! The bulk helpers of `SnsClient` (`importFriends`, `addFriends`, ...): the plan and the
//! account live in `crate::client::bulk`; this drives it: one worker per user at a time, up to
//! `concurrency` users at once, progress reported after every call.

use super::client::{CallSettings, Prepared, SnsClient, get, send_value};
use super::convert::{check_js, to_js};
use super::errors::validation_error;
use crate::client::bulk::{self, Bulk, Operation};
use crate::model::Command;
use crate::validate::{self, Path, Violations};
use js_sys::{Array, Function, Object, Promise, Reflect};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use super::promise;

#[wasm_bindgen(typescript_custom_section)]
const BULK_TYPES: &'static str = r#"
/** Bulk input: one user's items, or a list of users each with items. */
export type BulkInput<T> = { From_Account: string; items: T[] } | { From_Account: string; items: T[] }[];

/** Bulk settings. */
export interface BulkOptions {
  /** Users worked on at once (each user's calls always run one after another). Default 8. */
  concurrency?: number;
  /** Extra tries for items that fail with 30006, 30007 or 30008. Default 2. */
  itemRetries?: number;
  /** Fields added to every request body, e.g. { AddType: "Add_Type_Single" } or { CheckType: "CheckResult_Type_Single" }. */
  body?: Record<string, unknown>;
  /** Per-call settings for the calls made. */
  call?: { retries?: number; timeoutMs?: number };
  /** Called after every call with the items accounted for so far. */
  onProgress?: (progress: { done: number; total: number; failed: number }) => void;
}

/** The outcome of one input item. */
export interface BulkItem {
  /** Position in the input (the flattened list for several users). */
  index: number;
  From_Account: string;
  To_Account: string;
  outcome: ItemOutcome;
  /** The item's ResultCode, or the failed request's ErrorCode; absent when no reply came. */
  code?: number;
  /** Why it failed. */
  info?: string;
  /** friend_check only. */
  relation?: string;
  /** Calls this item took part in. */
  attempts: number;
}

/** Every input item with exactly one outcome. */
export interface BulkReport { total: number; ok: number; pending: number; failed: number; items: BulkItem[]; }
"#;

/// Options of one bulk run.
struct Settings {
    concurrency: usize,
    call: CallSettings,
    on_progress: Option<Function>,
}

impl SnsClient {
    fn bulk(&self, op: Operation, input: JsValue, options: JsValue) -> Promise {
        let started = self.plan_bulk(op, input, options);
        let inner = self.inner();
        promise(async move {
            let (plan, settings, total) = started?;
            let command = Command::from_wire(op.command).expect("bulk operations are table commands");
            let plan = Rc::new(RefCell::new(plan));
            let users = Rc::new(RefCell::new(VecDeque::from(plan.borrow().users())));
            let settings = Rc::new(settings);
            let workers = Array::new();
            for _ in 0..settings.concurrency.max(1) {
                let (plan, users, settings, inner) = (Rc::clone(&plan), Rc::clone(&users), Rc::clone(&settings), Rc::clone(&inner));
                workers.push(&promise(async move {
                    loop {
                        let Some(user) = users.borrow_mut().pop_front() else { return Ok(JsValue::UNDEFINED) };
                        loop {
                            let Some(chunk) = plan.borrow_mut().next_chunk(&user) else { break };
                            let prepared = Prepared { command: op.command.to_owned(), path: command.path(), known: Some(command), body: chunk.body.to_string() };
                            match send_value(&inner, &prepared, &settings.call).await {
                                Ok(reply) => plan.borrow_mut().record_reply(&chunk, &reply),
                                Err(e) => {
                                    let code = get(&e, "errorCode").as_f64().map(|c| c as u32);
                                    let message = get(&e, "message").as_string().unwrap_or_default();
                                    plan.borrow_mut().record_failure(&chunk, code, &message);
                                }
                            }
                            if let Some(f) = &settings.on_progress {
                                let (done, failed) = plan.borrow().progress();
                                let p = Object::new();
                                for (k, v) in [("done", done), ("total", total), ("failed", failed)] {
                                    let _ = Reflect::set(&p, &JsValue::from_str(k), &JsValue::from(v as u32));
                                }
                                let _ = f.call1(&JsValue::UNDEFINED, &p);
                            }
                        }
                    }
                }));
            }
            JsFuture::from(Promise::all(&workers)).await?;
            let plan = Rc::try_unwrap(plan).map_err(|_| JsValue::from_str("bulk run still in use"))?.into_inner();
            let items = plan.finish_all();
            let count = |o: &str| items.iter().filter(|i| i.outcome == o).count();
            let report = serde_json::json!({
                "total": items.len(), "ok": count("ok"), "pending": count("pending"), "failed": count("failed"), "items": items,
            });
            Ok(to_js(&report))
        })
    }

    /// Reads the input and options, checks every item on its own (a bad item fails alone,
    /// not its whole call), and plans the rest.
    fn plan_bulk(&self, op: Operation, input: JsValue, options: JsValue) -> Result<(Bulk, Settings, usize), JsValue> {
        let on_progress = get(&options, "onProgress").dyn_into::<Function>().ok();
        let call = self.settings(&get(&options, "call"))?;
        let data = if options.is_object() { Object::assign(&Object::new(), options.unchecked_ref::<Object>()).into() } else { JsValue::UNDEFINED };
        if data.is_object() {
            let _ = Reflect::delete_property(data.unchecked_ref::<Object>(), &JsValue::from_str("onProgress"));
            let _ = Reflect::delete_property(data.unchecked_ref::<Object>(), &JsValue::from_str("call"));
        }
        let (concurrency, item_retries, mut extra) = check_js(data, &Path::named("options"), bulk_options).map_err(validation_error)?;
        if op.command == "friend_check" && !extra.contains_key("CheckType") {
            extra.insert("CheckType".into(), Value::from("CheckResult_Type_Both"));
        }
        let entries = check_js(input, &Path::root(), bulk_input).map_err(validation_error)?;
        let command = Command::from_wire(op.command).expect("bulk operations are table commands");
        let validation = self.validation();
        let mut problems = Vec::new();
        for (i, (from, item)) in entries.iter().enumerate() {
            let mut body = extra.clone();
            body.insert("From_Account".into(), Value::from(from.as_str()));
            body.insert(op.items_field.into(), Value::Array(vec![item.clone()]));
            let found = command.validate_request(&Value::Object(body), &validation);
            if !found.is_empty() {
                problems.push((i, found.to_string()));
            }
        }
        let total = entries.len();
        let mut plan = Bulk::new(op, entries, extra, item_retries);
        for (i, why) in problems {
            plan.reject(i, &why);
        }
        Ok((plan, Settings { concurrency, call, on_progress }, total))
    }
}

fn bulk_options(json: &Value) -> Result<(usize, u32, Map<String, Value>), Violations> {
    let mut out = Violations::new();
    let at = Path::named("options");
    let mut result = (8usize, 2u32, Map::new());
    if json.is_null() {
        return Ok(result);
    }
    if let Some(m) = validate::object(json, &at, &mut out) {
        validate::no_unknown_fields(m, &["concurrency", "itemRetries", "body"], &at, &mut out);
        if let Some(n) = validate::optional(m, "concurrency").and_then(|v| validate::uint(v, 1, 64, &at.key("concurrency"), &mut out)) {
            result.0 = n as usize;
        }
        if let Some(n) = validate::optional(m, "itemRetries").and_then(|v| validate::uint(v, 0, 10, &at.key("itemRetries"), &mut out)) {
            result.1 = n as u32;
        }
        if let Some(b) = validate::optional(m, "body") {
            if let Some(obj) = validate::object(b, &at.key("body"), &mut out) {
                result.2 = obj.clone();
            }
        }
    }
    out.into_result(result)
}

/// `{ From_Account, items }` or a list of them, flattened to (user, item) pairs in order.
fn bulk_input(json: &Value) -> Result<Vec<(String, Value)>, Violations> {
    let mut out = Violations::new();
    let mut pairs = Vec::new();
    let mut entry = |v: &Value, at: &Path, out: &mut Violations| {
        let Some(m) = validate::object(v, at, out) else { return };
        validate::no_unknown_fields(m, &["From_Account", "items"], at, out);
        let from = validate::required(m, "From_Account", at, out).and_then(|f| validate::string(f, &at.key("From_Account"), out));
        let items = validate::required(m, "items", at, out);
        match (from, items) {
            (Some(from), Some(Value::Array(items))) => pairs.extend(items.iter().map(|i| (from.to_owned(), i.clone()))),
            (_, Some(Value::Array(_))) | (_, None) => {}
            (_, Some(_)) => out.push(&at.key("items"), "type", format!("{} must be an array", at.key("items"))),
        }
    };
    match json {
        Value::Array(list) => {
            let root = Path::root();
            for (i, v) in list.iter().enumerate() {
                entry(v, &root.index(i), &mut out);
            }
        }
        other => entry(other, &Path::root(), &mut out),
    }
    out.into_result(pairs)
}

macro_rules! bulk_methods {
    ($($rust:ident = $js:literal, $op:ident, $item:literal;)*) => {
        #[wasm_bindgen]
        impl SnsClient {
            $(
                #[doc = "A bulk helper: splits the input at the documented cap, runs one user's calls one after"]
                #[doc = "another and several users at once, retries items that fail with 30006/30007/30008, and"]
                #[doc = "resolves to a report with exactly one outcome per input item."]
                #[wasm_bindgen(js_name = $js, unchecked_return_type = "Promise<BulkReport>")]
                pub fn $rust(
                    &self,
                    #[wasm_bindgen(unchecked_param_type = $item)] input: JsValue,
                    #[wasm_bindgen(unchecked_optional_param_type = "BulkOptions")] options: JsValue,
                ) -> Promise {
                    self.bulk(bulk::$op, input, options)
                }
            )*
        }
    };
}

bulk_methods! {
    import_friends = "importFriends", IMPORT_FRIENDS, "BulkInput<FriendImportItem>";
    add_friends = "addFriends", ADD_FRIENDS, "BulkInput<FriendAddItem>";
    update_friends = "updateFriends", UPDATE_FRIENDS, "BulkInput<FriendUpdateItem>";
    delete_friends = "deleteFriends", DELETE_FRIENDS, "BulkInput<string>";
    check_friends = "checkFriends", CHECK_FRIENDS, "BulkInput<string>";
    block_users = "blockUsers", BLOCK_USERS, "BulkInput<string>";
    unblock_users = "unblockUsers", UNBLOCK_USERS, "BulkInput<string>";
}
