//! The account of a bulk run: every input item with its state and tries, and every user with
//! the items still to write, the items waiting for a confirming read, and its backoff. One
//! user's calls never overlap (parallel writes for one user fail with 30008).

use super::{ItemReport, Outcome};
use super::input::Input;
use std::collections::{BTreeMap, VecDeque};

/// One input item.
#[derive(Debug, Clone)]
pub struct Item {
    /// Index into `Plan::users`.
    pub user: usize,
    /// Its target UserID.
    pub target: String,
    /// Calls it took part in (reads included).
    pub attempts: u32,
    /// Whole-call failures worth retrying so far.
    pub call_tries: u32,
    /// Retryable item codes (30006/30007/30008) so far.
    pub item_tries: u32,
    /// Reads tried so far.
    pub read_tries: u32,
    /// Answers "over the rate" so far (they do not use the tries: see
    /// [`crate::client::budget::RATE_LIMITED_TRIES`]).
    pub limited: u32,
    /// An attempt it was in had an unknown outcome (or a previous run sent it and stopped).
    pub doubt: bool,
    /// Why it waits for a confirming read, while it does.
    pub read_for: Option<ReadFor>,
    /// The `ResultInfo` of the answer that read is to confirm (reported with the outcome).
    pub said: Option<String>,
    /// Times a read showed it not done after its write tries ran out, and it was sent again.
    pub rounds: u32,
    /// The final outcome, once known.
    pub report: Option<ItemReport>,
}

/// Why an item is confirmed with a read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFor {
    /// It was answered this code, which may mean "already done" (30001 also means "bad
    /// parameter"): after an unknown outcome, done means `ok` (reconciled); on a sure first
    /// attempt, done means `already`. Not done: `failed` with the code.
    Code(u32),
    /// Its write tries ran out with the outcome unknown (no reply, or only transient answers
    /// after one): done means `ok` (reconciled); not done means it is safe to send again.
    Lost,
}

/// One user.
#[derive(Debug, Clone, Default)]
pub struct User {
    /// The `From_Account`.
    pub name: String,
    /// Items to write, in order.
    pub queue: VecDeque<usize>,
    /// Items to confirm with a read.
    pub check: Vec<usize>,
    /// A call of this user is in flight.
    pub busy: bool,
    /// No call before this time (ms): backoff after a failed call.
    pub not_before: f64,
    /// Failed calls in a row (the backoff exponent).
    pub failures: u32,
}

impl User {
    /// Whether anything is left to send for this user.
    pub fn has_work(&self) -> bool {
        !self.queue.is_empty() || !self.check.is_empty()
    }
}

/// Items and users.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Every input item's text, as sent.
    pub input: Input,
    /// Every input item, in input order.
    pub items: Vec<Item>,
    /// Every user, in order of first appearance.
    pub users: Vec<User>,
}

impl Plan {
    /// Queues the items of `input` (each with its user) in input order.
    pub fn new(mut input: Input) -> Self {
        let mut users: Vec<User> = Vec::new();
        let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
        let mut out = Vec::with_capacity(input.items.len());
        // The targets move to the items; users are looked up by name in the input.
        let targets: Vec<String> = input.items.iter_mut().map(|s| std::mem::take(&mut s.target)).collect();
        for (i, (split, target)) in input.items.iter().zip(targets).enumerate() {
            let from = &split.from;
            // Input is grouped by user: the last user is the one to try first.
            let u = match users.last() {
                Some(last) if last.name == *from => users.len() - 1,
                _ => *by_name.entry(from).or_insert_with(|| {
                    users.push(User { name: from.clone(), ..User::default() });
                    users.len() - 1
                }),
            };
            users[u].queue.push_back(i);
            out.push(Item { user: u, target, attempts: 0, call_tries: 0, item_tries: 0, read_tries: 0, limited: 0, doubt: false, read_for: None, said: None, rounds: 0, report: None });
        }
        Self { input, items: out, users }
    }

    /// Item `i`'s JSON text.
    pub fn text(&self, i: usize) -> &str {
        self.input.item(i)
    }

    /// Sets item `i`'s outcome; returns the report (for the journal). Never sets it twice.
    pub fn finish(&mut self, i: usize, outcome: Outcome, code: Option<u32>, info: Option<String>, relation: Option<String>, reconciled: bool) -> Option<&ItemReport> {
        let item = &mut self.items[i];
        if item.report.is_some() {
            return None;
        }
        let report = ItemReport {
            index: i,
            from_account: self.users[item.user].name.clone(),
            // The target is not read again once the item has its outcome: moved, not copied.
            to_account: std::mem::take(&mut item.target),
            outcome,
            code,
            info,
            relation,
            reconciled,
            attempts: item.attempts,
        };
        Some(item.report.insert(report))
    }

    /// Takes item `i` out of every queue (it got an outcome without being sent).
    pub fn unqueue(&mut self, i: usize) {
        let user = &mut self.users[self.items[i].user];
        user.queue.retain(|&j| j != i);
        user.check.retain(|&j| j != i);
    }

    /// Items with an outcome, and failed ones among them.
    pub fn counts(&self) -> (usize, usize) {
        let done = self.items.iter().filter(|i| i.report.is_some()).count();
        let failed = self.items.iter().filter(|i| i.report.as_ref().is_some_and(|r| r.outcome == Outcome::Failed)).count();
        (done, failed)
    }
}
