//! Reconciliation: when a call's outcome was unknown (no reply, a timeout, HTTP 5xx, an
//! unreadable body) and a later attempt answers an item with the code that means "this was
//! already done", the earlier attempt most likely did it. Some of those codes also mean other
//! things (30001 is also "bad parameter"), so for them the item is confirmed with a read before
//! it is called `ok`. The same code on an item that never had an unknown outcome stays a failure.

use super::answer::Row;

/// What a read must show for an item to count as done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// `friend_check` (Single): the target is in the user's friend list.
    Friend,
    /// `friend_check` (Single): the target is not in the user's friend list.
    NotFriend,
    /// `black_list_check` (Single): the target is in the user's blocklist.
    Blocked,
    /// `black_list_check` (Single): the target is not in the user's blocklist.
    NotBlocked,
}

/// The reconciliation rule of one write command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The write command.
    pub command: &'static str,
    /// Item codes that mean "already done" and nothing else: `ok` at once.
    pub done: &'static [u32],
    /// Item codes that may mean "already done": `ok` once the read agrees.
    pub confirm: &'static [u32],
    /// The read and what it must show.
    pub expect: Expect,
}

/// The table (docs/client.md, "Reconciliation"). `friend_update` has no entry: applying it again answers
/// 0, so a retry needs no reconciling. `friend_add` re-sent for a target that needs approval
/// answers 30539 (pending) again, which is already the right outcome.
pub const RULES: &[Rule] = &[
    Rule { command: "friend_import", done: &[], confirm: &[30001], expect: Expect::Friend },
    Rule { command: "friend_add", done: &[], confirm: &[30001], expect: Expect::Friend },
    Rule { command: "friend_delete", done: &[31704], confirm: &[30001], expect: Expect::NotFriend },
    Rule { command: "black_list_add", done: &[], confirm: &[30001], expect: Expect::Blocked },
    Rule { command: "black_list_delete", done: &[], confirm: &[30001], expect: Expect::NotBlocked },
];

/// The rule of `command`, if it has one.
pub fn rule(command: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.command == command)
}

/// What to do with an item answered `code` after an earlier unknown outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Already done: `ok`, reconciled.
    Done,
    /// Ask the read first.
    Confirm,
    /// The code is not an "already done" code here.
    No,
}

impl Rule {
    /// The verdict for `code`.
    pub fn verdict(&self, code: u32) -> Verdict {
        if self.done.contains(&code) {
            Verdict::Done
        } else if self.confirm.contains(&code) {
            Verdict::Confirm
        } else {
            Verdict::No
        }
    }

    /// The read command.
    pub fn read_command(&self) -> &'static str {
        match self.expect {
            Expect::Friend | Expect::NotFriend => "friend_check",
            Expect::Blocked | Expect::NotBlocked => "black_list_check",
        }
    }

    /// The read's body (JSON text) for `targets` of `from`. Written as text: a tree built with
    /// `json!` cost the browser build 1.5 KB.
    pub fn read_body(&self, from: &str, targets: &[String]) -> String {
        let check = match self.expect {
            Expect::Friend | Expect::NotFriend => "CheckResult_Type_Single",
            Expect::Blocked | Expect::NotBlocked => "BlackCheckResult_Type_Single",
        };
        let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let list: Vec<String> = targets.iter().map(|t| quote(t)).collect();
        format!(r#"{{"From_Account":{},"To_Account":[{}],"CheckType":"{check}"}}"#, quote(from), list.join(","))
    }

    /// From the read's reply (its per-item results: `InfoItem` of `friend_check`,
    /// `BlackListCheckItem` of `black_list_check`): `Some(true)` when `target` is confirmed
    /// done, `Some(false)` when the read shows it is not, `None` when the reply does not say
    /// (no item, or the item itself failed).
    pub fn read_says(&self, reply: &[Row], target: &str) -> Option<bool> {
        let item = reply.iter().find(|r| r.to_account.as_deref() == Some(target))?;
        if item.code != 0 {
            return None;
        }
        let relation = item.relation.as_deref()?;
        let present = match self.expect {
            Expect::Friend | Expect::NotFriend => matches!(relation, "CheckResult_Type_AWithB" | "CheckResult_Type_BothWay"),
            Expect::Blocked | Expect::NotBlocked => matches!(relation, "BlackCheckResult_Type_AWithB" | "BlackCheckResult_Type_BothWay"),
        };
        Some(match self.expect {
            Expect::Friend | Expect::Blocked => present,
            Expect::NotFriend | Expect::NotBlocked => !present,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::bulk::answer::rows;
    use serde_json::{Value, json};

    #[test]
    fn the_table_separates_sure_codes_from_ones_needing_a_read() {
        let delete = rule("friend_delete").unwrap();
        assert_eq!(delete.verdict(31704), Verdict::Done);
        assert_eq!(delete.verdict(30001), Verdict::Confirm);
        assert_eq!(delete.verdict(30003), Verdict::No);
        assert_eq!(rule("friend_import").unwrap().verdict(30001), Verdict::Confirm);
        assert!(rule("friend_update").is_none() && rule("friend_check").is_none());
    }

    #[test]
    fn reads_are_understood_both_ways() {
        let import = rule("friend_import").unwrap();
        let reply = rows(&json!({ "InfoItem": [
            { "To_Account": "a", "Relation": "CheckResult_Type_AWithB", "ResultCode": 0 },
            { "To_Account": "b", "Relation": "CheckResult_Type_NoRelation", "ResultCode": 0 },
            { "To_Account": "c", "Relation": "CheckResult_Type_NoRelation", "ResultCode": 30003 },
        ] }));
        assert_eq!(import.read_says(&reply, "a"), Some(true));
        assert_eq!(import.read_says(&reply, "b"), Some(false));
        assert_eq!(import.read_says(&reply, "c"), None);
        assert_eq!(import.read_says(&reply, "d"), None);
        assert_eq!(rule("friend_delete").unwrap().read_says(&reply, "b"), Some(true));
        let unblock = rule("black_list_delete").unwrap();
        let reply = rows(&json!({ "BlackListCheckItem": [{ "To_Account": "m", "Relation": "BlackCheckResult_Type_NO", "ResultCode": 0 }] }));
        assert_eq!(unblock.read_says(&reply, "m"), Some(true));
        assert_eq!(rule("black_list_add").unwrap().read_says(&reply, "m"), Some(false));
        let body: Value = serde_json::from_str(&unblock.read_body("u\"", &["m".into(), "好".into()])).unwrap();
        assert_eq!(body, json!({ "From_Account": "u\"", "To_Account": ["m", "好"], "CheckType": "BlackCheckResult_Type_Single" }));
    }
}
