//! Single calls of the bulk run's command made by the same client while the run goes on (a
//! backend answering its users during a sync), and paged `friend_get` walks: they go through
//! the core's call machine (`tim_sns::client::call`, a walk one call a page with
//! `tim_sns::client::paging`) and spend the same rate budgets as the run. Each is one user of
//! its own (`s<n>`, `w<n>`), so its items never meet the run's.

use super::Rng;
use super::service::{Kind, Service};
use serde_json::{Value, json};
use tim_sns::client::call::{Call, CallError, Settings};
use tim_sns::client::paging::{Kind as Pages, Pager};
use tim_sns::model::Command;

#[derive(Debug)]
/// One single call: when it starts, its user and targets, the machine, and how it ended.
pub struct Single {
    pub start_ms: f64,
    pub from: String,
    pub targets: Vec<String>,
    pub call: Call,
    /// The earliest time the call asked to be polled again (a wake-up is scheduled for it).
    pub wake: Option<f64>,
    pub result: Option<Result<Value, CallError>>,
    /// An attempt of its write had an unknown outcome.
    pub unknown: bool,
    /// A paged walk: its pager and the friends read so far (the call is its current page).
    pub walk: Option<(Pager, Vec<String>)>,
    settings: Settings,
}

impl Single {
    /// Takes in a page of a walk: the next page's call, or the walk's end (`false`).
    pub fn next_page(&mut self, page: &Value) -> bool {
        let Some((pager, seen)) = self.walk.as_mut() else { return false };
        seen.extend(page["UserDataItem"].as_array().into_iter().flatten().filter_map(|u| u["To_Account"].as_str().map(str::to_owned)));
        if pager.advance(page).is_err() {
            return false;
        }
        match pager.next_body() {
            Some(body) => {
                self.call = Call::new("friend_get", "v4/sns/friend_get", Some(Command::FriendGet), body.to_string(), self.settings.clone());
                self.wake = None;
                true
            }
            None => false,
        }
    }
}

/// `n` walks of `friend_get` pages starting over the first two seconds, each of a user with
/// friends of its own put in place at the service (`present` gains them).
pub fn walks(n: usize, present: &mut std::collections::BTreeSet<(String, String)>, settings: &Settings, rng: &mut Rng) -> Vec<Single> {
    (0..n)
        .map(|k| {
            let from = format!("w{k}");
            let targets: Vec<String> = (0..rng.below(12)).map(|j| format!("f{j:02}")).collect();
            for t in &targets {
                present.insert((from.clone(), t.clone()));
            }
            let pager = Pager::new(Pages::Friends, Pages::Friends.first_body(json!({ "From_Account": from })));
            let body = pager.next_body().expect("a new walk has a first page");
            let call = Call::new("friend_get", "v4/sns/friend_get", Some(Command::FriendGet), body.to_string(), settings.clone());
            Single { start_ms: 2000.0 * rng.unit(), from, targets, call, wake: None, result: None, unknown: false, walk: Some((pager, Vec::new())), settings: settings.clone() }
        })
        .collect()
}

/// `n` single calls of `kind`'s write command starting over the first two seconds, sharing
/// `settings`' budgets.
pub fn plan(kind: Kind, n: usize, settings: &Settings, rng: &mut Rng) -> Vec<Single> {
    (0..n)
        .map(|k| {
            let from = format!("s{k}");
            let targets: Vec<String> = (0..1 + rng.below(3)).map(|j| format!("t{j}")).collect();
            let (command, known, body) = match kind {
                Kind::Import => {
                    let items: Vec<Value> = targets.iter().map(|t| json!({ "To_Account": t, "AddSource": "AddSource_Type_Sim" })).collect();
                    ("friend_import", Command::FriendImport, json!({ "From_Account": from, "AddFriendItem": items }))
                }
                Kind::Block => ("black_list_add", Command::BlackListAdd, json!({ "From_Account": from, "To_Account": targets })),
                Kind::Delete => unreachable!("single calls only where the run puts pairs in place"),
            };
            let call = Call::new(command, &format!("v4/sns/{command}"), Some(known), body.to_string(), settings.clone());
            Single { start_ms: 2000.0 * rng.unit(), from, targets, call, wake: None, result: None, unknown: false, walk: None, settings: settings.clone() }
        })
        .collect()
}

/// What is wrong with the singles' results against the service's final state: an item reported
/// `ok` that the service lacks, or one the call put in place reported `failed`.
pub fn check(singles: &[Single], service: &Service) -> Vec<String> {
    let mut wrong = Vec::new();
    for s in singles {
        let Some(Ok(reply)) = &s.result else { continue };
        if let Some((pager, seen)) = &s.walk {
            // A walk that read every page read every friend once, in the service's order.
            if pager.done() && *seen != s.targets {
                wrong.push(format!("walk of {}: read {seen:?}, the service holds {:?}", s.from, s.targets));
            }
            continue;
        }
        for item in reply["ResultItem"].as_array().into_iter().flatten() {
            let to = item["To_Account"].as_str().unwrap_or_default().to_owned();
            let key = (s.from.clone(), to.clone());
            let outcome = item["outcome"].as_str().unwrap_or_default();
            if outcome == "ok" && !service.present.contains(&key) {
                wrong.push(format!("single call of {}: {to} reported ok but absent: {item}", s.from));
            }
            if outcome == "failed" && service.changed.contains(&key) {
                wrong.push(format!("single call of {}: {to} was put in place by it but reported failed: {item}", s.from));
            }
            if item.get("reconciled") == Some(&Value::Bool(true)) && !s.unknown {
                wrong.push(format!("single call of {}: {to} reconciled without an unknown outcome: {item}", s.from));
            }
        }
        if !s.targets.iter().all(|t| reply["ResultItem"].as_array().is_some_and(|l| l.iter().any(|i| i["To_Account"] == *t))) {
            wrong.push(format!("single call of {}: a target has no result: {reply}", s.from));
        }
    }
    wrong
}

/// Walks among `singles`, and those that read every page.
pub fn walked(singles: &[Single]) -> (usize, usize) {
    let walks = singles.iter().filter_map(|s| s.walk.as_ref());
    (walks.clone().count(), walks.filter(|(pager, _)| pager.done()).count())
}
