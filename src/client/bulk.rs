//! Bulk work (design §3): many items, possibly for many users, split into calls at the
//! documented caps. One user's calls run strictly one after another (parallel writes for one
//! user fail with 30008); retryable item failures go back into that user's queue; every input
//! item ends with exactly one outcome. Sans-IO: the driver sends the bodies this plans and
//! hands the replies back.

use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, VecDeque};

/// Item codes worth another try: transient server errors and write conflicts.
pub const RETRYABLE_ITEM_CODES: &[u32] = &[30006, 30007, 30008];

/// How a bulk operation turns items into a request body and reads their results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The wire command.
    pub command: &'static str,
    /// The body field holding the items.
    pub items_field: &'static str,
    /// The reply field holding per-item results.
    pub results_field: &'static str,
    /// Most items per call.
    pub cap: usize,
}

/// The bulk operations.
pub const IMPORT_FRIENDS: Operation = Operation { command: "friend_import", items_field: "AddFriendItem", results_field: "ResultItem", cap: 1000 };
/// `friend_add`, capped at 100 items a call (the advised cap when targets need approval).
pub const ADD_FRIENDS: Operation = Operation { command: "friend_add", items_field: "AddFriendItem", results_field: "ResultItem", cap: 100 };
/// `friend_update`, capped at 100 items a call.
pub const UPDATE_FRIENDS: Operation = Operation { command: "friend_update", items_field: "UpdateItem", results_field: "ResultItem", cap: 100 };
/// `friend_delete`.
pub const DELETE_FRIENDS: Operation = Operation { command: "friend_delete", items_field: "To_Account", results_field: "ResultItem", cap: 1000 };
/// `friend_check`.
pub const CHECK_FRIENDS: Operation = Operation { command: "friend_check", items_field: "To_Account", results_field: "InfoItem", cap: 1000 };
/// `black_list_add`.
pub const BLOCK_USERS: Operation = Operation { command: "black_list_add", items_field: "To_Account", results_field: "ResultItem", cap: 1000 };
/// `black_list_delete`.
pub const UNBLOCK_USERS: Operation = Operation { command: "black_list_delete", items_field: "To_Account", results_field: "ResultItem", cap: 1000 };

/// The outcome of one input item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemReport {
    /// Position in the input.
    pub index: usize,
    /// The user whose relationship chain was written.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The target.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `ok`, `pending` (30539) or `failed`.
    pub outcome: &'static str,
    /// The item's `ResultCode`, or the whole request's `ErrorCode`; absent when no reply came.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<u32>,
    /// Why it failed (the result text or the error message).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub info: Option<String>,
    /// `Relation` for `friend_check`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    /// Calls this item took part in.
    pub attempts: u32,
}

/// One planned call.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// The user.
    pub from: String,
    /// Input positions of the items sent.
    pub indices: Vec<usize>,
    /// The request body.
    pub body: Value,
}

/// The plan and the account of a bulk operation.
#[derive(Debug)]
pub struct Bulk {
    op: Operation,
    items: Vec<(String, Value)>,
    extra: Map<String, Value>,
    queues: BTreeMap<String, VecDeque<usize>>,
    attempts: Vec<u32>,
    reports: Vec<Option<ItemReport>>,
    item_retries: u32,
}

/// The target of an item: the item itself (a UserID) or its `To_Account`.
fn target(item: &Value) -> String {
    item.as_str().or_else(|| item.get("To_Account").and_then(Value::as_str)).unwrap_or_default().to_owned()
}

impl Bulk {
    /// Plans `items` (each with its user) for `op`; `extra` fields go into every body
    /// (`CheckType`, `AddType`, ...). Items with a retryable code are tried up to
    /// `1 + item_retries` times.
    pub fn new(op: Operation, items: Vec<(String, Value)>, extra: Map<String, Value>, item_retries: u32) -> Self {
        let mut queues: BTreeMap<String, VecDeque<usize>> = BTreeMap::new();
        for (i, (from, _)) in items.iter().enumerate() {
            queues.entry(from.clone()).or_default().push_back(i);
        }
        let n = items.len();
        Self { op, items, extra, queues, attempts: vec![0; n], reports: vec![None; n], item_retries }
    }

    /// The users with work, in a stable order.
    pub fn users(&self) -> Vec<String> {
        self.queues.keys().cloned().collect()
    }

    /// The next call for `user`, or `None` when that user is done.
    pub fn next_chunk(&mut self, user: &str) -> Option<Chunk> {
        let queue = self.queues.get_mut(user)?;
        let take = queue.len().min(self.op.cap);
        if take == 0 {
            return None;
        }
        let indices: Vec<usize> = queue.drain(..take).collect();
        let mut body = self.extra.clone();
        body.insert("From_Account".into(), json!(user));
        let list: Vec<Value> = indices.iter().map(|&i| self.items[i].1.clone()).collect();
        body.insert(self.op.items_field.into(), Value::Array(list));
        for &i in &indices {
            self.attempts[i] += 1;
        }
        Some(Chunk { from: user.to_owned(), indices, body: Value::Object(body) })
    }

    /// Records a reply to `chunk`: each item gets its result, or goes back into the queue when
    /// its code is retryable and it has tries left; an item the reply does not mention failed.
    pub fn record_reply(&mut self, chunk: &Chunk, reply: &Value) {
        let mut results: Vec<&Value> = reply.get(self.op.results_field).and_then(Value::as_array).map(|a| a.iter().collect()).unwrap_or_default();
        for &i in &chunk.indices {
            let to = target(&self.items[i].1);
            let found = results.iter().position(|r| r.get("To_Account").and_then(Value::as_str) == Some(to.as_str()));
            let Some(pos) = found else {
                self.finish(i, "failed", None, Some("the reply has no result for this item".into()), None);
                continue;
            };
            let r = results.remove(pos);
            let code = r.get("ResultCode").and_then(Value::as_u64).unwrap_or(0) as u32;
            let info = r.get("ResultInfo").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
            let relation = r.get("Relation").and_then(Value::as_str).map(str::to_owned);
            if RETRYABLE_ITEM_CODES.contains(&code) && self.attempts[i] <= self.item_retries {
                self.queues.entry(chunk.from.clone()).or_default().push_back(i);
                continue;
            }
            let outcome = match code {
                0 => "ok",
                30539 => "pending",
                _ => "failed",
            };
            self.finish(i, outcome, Some(code), info, relation);
        }
    }

    /// Records that the whole call failed (after the client's own retries): its items go back
    /// into the queue when the code is retryable for items (a 30008 write conflict, say) and
    /// they have tries left; otherwise each failed with the request's code, when there is one.
    pub fn record_failure(&mut self, chunk: &Chunk, code: Option<u32>, message: &str) {
        for &i in &chunk.indices {
            if code.is_some_and(|c| RETRYABLE_ITEM_CODES.contains(&c)) && self.attempts[i] <= self.item_retries {
                self.queues.entry(chunk.from.clone()).or_default().push_back(i);
            } else {
                self.finish(i, "failed", code, Some(message.to_owned()), None);
            }
        }
    }

    fn finish(&mut self, i: usize, outcome: &'static str, code: Option<u32>, info: Option<String>, relation: Option<String>) {
        self.reports[i] = Some(ItemReport {
            index: i,
            from_account: self.items[i].0.clone(),
            to_account: target(&self.items[i].1),
            outcome,
            code,
            info,
            relation,
            attempts: self.attempts[i],
        });
    }

    /// Takes item `i` out of the plan as failed without sending it (it broke a rule).
    pub fn reject(&mut self, i: usize, why: &str) {
        let from = self.items[i].0.clone();
        if let Some(queue) = self.queues.get_mut(&from) {
            queue.retain(|&j| j != i);
        }
        self.finish(i, "failed", None, Some(why.to_owned()), None);
    }

    /// Items with an outcome, and failed ones among them.
    pub fn progress(&self) -> (usize, usize) {
        let done = self.reports.iter().flatten().count();
        let failed = self.reports.iter().flatten().filter(|r| r.outcome == "failed").count();
        (done, failed)
    }

    /// The final account: one report per input item, in input order.
    pub fn finish_all(self) -> Vec<ItemReport> {
        let attempts = self.attempts;
        let items = self.items;
        self.reports
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                r.unwrap_or_else(|| ItemReport {
                    index: i,
                    from_account: items[i].0.clone(),
                    to_account: target(&items[i].1),
                    outcome: "failed",
                    code: None,
                    info: Some("not sent".into()),
                    relation: None,
                    attempts: attempts[i],
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(users: usize, per_user: usize) -> Vec<(String, Value)> {
        (0..users * per_user).map(|i| (format!("u{}", i % users), json!({ "To_Account": format!("t{i}"), "AddSource": "AddSource_Type_X" }))).collect()
    }

    fn ok_reply(chunk: &Chunk, code_for: impl Fn(&str) -> u32) -> Value {
        let list: Vec<Value> = chunk.body["AddFriendItem"].as_array().unwrap().iter()
            .map(|it| { let to = it["To_Account"].as_str().unwrap(); json!({ "To_Account": to, "ResultCode": code_for(to), "ResultInfo": "" }) })
            .collect();
        json!({ "ResultItem": list, "ActionStatus": "OK", "ErrorCode": 0 })
    }

    #[test]
    fn splits_at_the_cap_per_user() {
        let mut b = Bulk::new(IMPORT_FRIENDS, items(2, 1500), Map::new(), 1);
        let c1 = b.next_chunk("u0").unwrap();
        assert_eq!(c1.indices.len(), 1000);
        assert_eq!(c1.body["From_Account"], json!("u0"));
        b.record_reply(&c1, &ok_reply(&c1, |_| 0));
        assert_eq!(b.next_chunk("u0").unwrap().indices.len(), 500);
        assert_eq!(b.users(), ["u0", "u1"]);
    }

    #[test]
    fn retryable_items_are_requeued_once_and_every_item_ends_once() {
        let mut b = Bulk::new(ADD_FRIENDS, items(1, 5), Map::new(), 1);
        let c = b.next_chunk("u0").unwrap();
        // t0 conflicts (30008), t1 is pending, t2 failed hard, t3 missing from the reply.
        let mut reply = ok_reply(&c, |to| match to { "t0" => 30008, "t1" => 30539, "t2" => 30010, _ => 0 });
        reply["ResultItem"].as_array_mut().unwrap().retain(|r| r["To_Account"] != "t3");
        b.record_reply(&c, &reply);
        let again = b.next_chunk("u0").unwrap();
        assert_eq!(again.indices, [0], "only the conflicted item is sent again");
        b.record_reply(&again, &ok_reply(&again, |_| 30008));
        assert!(b.next_chunk("u0").is_none(), "no more tries");
        let r = b.finish_all();
        let outcomes: Vec<(&str, Option<u32>, u32)> = r.iter().map(|x| (x.outcome, x.code, x.attempts)).collect();
        assert_eq!(outcomes, [("failed", Some(30008), 2), ("pending", Some(30539), 1), ("failed", Some(30010), 1), ("failed", None, 1), ("ok", Some(0), 1)]);
    }

    #[test]
    fn a_failed_call_fails_all_its_items() {
        let mut b = Bulk::new(DELETE_FRIENDS, vec![("u".into(), json!("a")), ("u".into(), json!("b"))], Map::new(), 1);
        let c = b.next_chunk("u").unwrap();
        assert_eq!(c.body, json!({ "From_Account": "u", "To_Account": ["a", "b"] }));
        b.record_failure(&c, Some(70001), "expired");
        assert_eq!(b.progress(), (2, 2));
    }

    #[test]
    fn a_call_failing_with_a_write_conflict_is_tried_again() {
        let mut b = Bulk::new(BLOCK_USERS, vec![("u".into(), json!("a"))], Map::new(), 1);
        let c = b.next_chunk("u").unwrap();
        b.record_failure(&c, Some(30008), "conflict");
        assert_eq!(b.progress(), (0, 0));
        let again = b.next_chunk("u").unwrap();
        b.record_failure(&again, Some(30008), "conflict");
        assert_eq!(b.finish_all()[0].attempts, 2);
    }
}
