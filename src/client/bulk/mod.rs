//! Bulk work: many items, possibly for many users, split into calls at the
//! documented caps. Every decision lives here, sans-IO: what to send next and when
//! (`engine`, `window`, the exact rate `budget`), the input as text (`input`), which input
//! items are refused (`items`),
//! whether to retry, how to reconcile an item whose earlier attempt had an unknown outcome
//! (`reconcile`), each item's outcome, the packed form the report's items travel to JS in
//! (`columns`), and the journal that makes a run resumable (`journal`). The driver in
//! `src/wasm/` only sends what the engine asks for, with the clock, timers and randomness it
//! passes in.

pub mod answer;
pub mod columns;
pub mod engine;
pub mod input;
pub mod items;
pub mod journal;
pub mod reconcile;
pub mod users;
pub mod window;

pub use answer::Answer;
pub use engine::{Config, Engine, Poll, Progress, Request};

pub use crate::model::types::ItemOutcome as Outcome;
use serde::Serialize;
use serde_json::Value;

/// Whether an item answered `code` is worth another try: the catalogue's retry class (transient
/// server errors and write conflicts; an item answered with one of them was not applied).
pub fn item_retryable(code: u32) -> bool {
    crate::errors::retry_class(code).retryable()
}

/// How a bulk operation turns items into a request body and reads their results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The wire command.
    pub command: &'static str,
    /// The body field holding the items. (The reply's per-item results are found by name:
    /// see [`answer::rows`].)
    pub items_field: &'static str,
    /// Most items per call.
    pub cap: usize,
}

impl Operation {
    /// Body fields the operation sends when the caller's `body` option leaves them out: a bulk
    /// check asks for both directions (`CheckResult_Type_Both`), as the bulk report's
    /// `relation` is meant to show.
    pub fn defaults(&self) -> &'static [(&'static str, &'static str)] {
        match self.command {
            "friend_check" => &[("CheckType", "CheckResult_Type_Both")],
            _ => &[],
        }
    }
}

/// `friend_import`.
pub const IMPORT_FRIENDS: Operation = Operation { command: "friend_import", items_field: "AddFriendItem", cap: 1000 };
/// `friend_add`, capped at 100 items a call (the advised cap when targets need approval).
pub const ADD_FRIENDS: Operation = Operation { command: "friend_add", items_field: "AddFriendItem", cap: 100 };
/// `friend_update`, capped at 100 items a call.
pub const UPDATE_FRIENDS: Operation = Operation { command: "friend_update", items_field: "UpdateItem", cap: 100 };
/// `friend_delete`.
pub const DELETE_FRIENDS: Operation = Operation { command: "friend_delete", items_field: "To_Account", cap: 1000 };
/// `friend_check`.
pub const CHECK_FRIENDS: Operation = Operation { command: "friend_check", items_field: "To_Account", cap: 1000 };
/// `black_list_add`.
pub const BLOCK_USERS: Operation = Operation { command: "black_list_add", items_field: "To_Account", cap: 1000 };
/// `black_list_delete`.
pub const UNBLOCK_USERS: Operation = Operation { command: "black_list_delete", items_field: "To_Account", cap: 1000 };

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
    /// How the item ended (see [`Outcome`]).
    pub outcome: Outcome,
    /// The item's `ResultCode`, or the whole request's `ErrorCode`; absent when no reply came.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<u32>,
    /// Why it failed (the result text or the error message).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub info: Option<String>,
    /// `Relation` for `friend_check`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    /// `ok` because an "already done" answer followed an attempt whose outcome was unknown.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub reconciled: bool,
    /// Calls this item took part in (reads included).
    pub attempts: u32,
}

/// The counts a bulk report opens with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Every input item.
    pub total: usize,
    /// Items `ok`, reconciled ones included.
    pub ok: usize,
    /// Items `pending` (30539: the target must approve).
    pub pending: usize,
    /// Items `already` done before the run.
    pub already: usize,
    /// Items `failed`.
    pub failed: usize,
    /// Items whose every attempt and confirming read was lost.
    pub unknown: usize,
    /// Items `ok` by reconciliation.
    pub reconciled: usize,
}

impl Totals {
    /// Counts `items` by outcome.
    pub fn of(items: &[ItemReport]) -> Self {
        let mut t = Totals { total: items.len(), ..Totals::default() };
        for item in items {
            match item.outcome {
                Outcome::Ok => t.ok += 1,
                Outcome::Pending => t.pending += 1,
                Outcome::Already => t.already += 1,
                Outcome::Failed => t.failed += 1,
                Outcome::Unknown => t.unknown += 1,
            }
            t.reconciled += usize::from(item.reconciled);
        }
        t
    }
}

impl ItemReport {
    /// Reads a report back from its JSON (the journal). Written by hand: a derived
    /// `Deserialize` cost 17 KB gzipped of .wasm.
    pub fn from_json(v: &Value) -> Option<Self> {
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        Some(Self {
            index: v.get("index")?.as_u64()? as usize,
            from_account: text("From_Account")?,
            to_account: text("To_Account")?,
            outcome: Outcome::from_name(v.get("outcome")?.as_str()?)?,
            code: v.get("code").and_then(Value::as_u64).map(|c| c as u32),
            info: text("info"),
            relation: text("relation"),
            reconciled: v.get("reconciled").and_then(Value::as_bool).unwrap_or(false),
            attempts: v.get("attempts").and_then(Value::as_u64).unwrap_or(0) as u32,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_count_each_outcome_and_the_reconciled_among_ok() {
        let item = |outcome: Outcome, reconciled: bool| ItemReport {
            index: 0,
            from_account: "u".into(),
            to_account: "t".into(),
            outcome,
            code: None,
            info: None,
            relation: None,
            reconciled,
            attempts: 1,
        };
        let items = [item(Outcome::Ok, false), item(Outcome::Ok, true), item(Outcome::Pending, false), item(Outcome::Already, false), item(Outcome::Failed, false), item(Outcome::Failed, false), item(Outcome::Unknown, false)];
        assert_eq!(Totals::of(&items), Totals { total: 7, ok: 2, pending: 1, already: 1, failed: 2, unknown: 1, reconciled: 1 });
        assert_eq!(Totals::of(&[]), Totals::default());
    }
}
