//! An in-memory emulator of the relationship-chain service, so that code can be tested with no
//! Tencent account: the 15 `v4/sns`
//! endpoints with their documented semantics, the account and profile calls setup scripts make
//! first, and the service's request checks (admin UserSig, SDKAppID, `random`, `contenttype`,
//! 200 calls/s per endpoint). Pure and deterministic: the clock comes in with each request.
//!
//! Choices where Tencent's docs leave the behaviour open are listed in docs/emulator.md
//! ("Emulator choices").

mod accounts;
mod auth;
mod blocklist;
mod client;
pub mod events;
mod friends;
mod lists;
mod reply;
pub mod state;

use crate::model::Command;
use crate::validate::schema::Options;
use crate::validate::stream::Verdict;
use reply::fail;
use serde_json::{Map, Value};
use state::Accounts;
use std::collections::BTreeMap;

pub use reply::Reply;

/// Calls per second and endpoint before 60007.
pub const RATE_LIMIT: usize = 200;

/// The emulated app.
#[derive(Debug, Clone)]
pub struct Emulator {
    sdk_app_id: u64,
    secret_key: String,
    admin: String,
    /// The accounts and their relationship chains.
    pub accounts: Accounts,
    /// Start times (ms) of recent calls, per path, for the rate limit.
    calls: BTreeMap<String, Vec<u64>>,
    /// Callbacks queued by the requests handled so far (see [`Emulator::take_callbacks`]).
    outbox: Vec<events::CallbackEvent>,
    /// Time (ms) of the request being handled: the callbacks' `EventTime`.
    clock_ms: u64,
}

impl Emulator {
    /// An app with no accounts but its admin.
    pub fn new(sdk_app_id: u64, secret_key: &str, admin: &str) -> Self {
        let mut accounts = Accounts::new();
        accounts.insert(admin.to_owned(), Default::default());
        Self { sdk_app_id, secret_key: secret_key.to_owned(), admin: admin.to_owned(), accounts, calls: BTreeMap::new(), outbox: Vec::new(), clock_ms: 0 }
    }

    /// Imports accounts directly (no request needed).
    pub fn import(&mut self, ids: &[&str]) {
        for id in ids {
            self.accounts.entry((*id).to_owned()).or_default();
        }
    }

    /// Handles one HTTP request: `path` like `/v4/sns/friend_add`, the raw query string, the
    /// body text, and the current time in milliseconds. The reply is HTTP 200 with a JSON
    /// envelope, as the service answers.
    pub fn handle(&mut self, path: &str, query: &str, body: &str, now_ms: u64) -> Reply {
        let now = now_ms / 1000;
        self.clock_ms = now_ms;
        let path = path.trim_start_matches('/');
        if let Err(reply) = auth::check(self, query, now) {
            return reply;
        }
        if self.over_rate(path, now_ms) {
            return fail(60007, "REST API call rate over the limit (200 calls/s)");
        }
        let text = body;
        let Ok(body) = serde_json::from_str::<Value>(text) else {
            return fail(60003, "request body is not a JSON object");
        };
        let Some(map) = body.as_object() else {
            return fail(60003, "request body is not a JSON object");
        };
        let wire = path.strip_prefix("v4/sns/");
        if let Some(cmd) = wire.and_then(Command::from_wire) {
            let opts = Options { soft_limits: false, ..Options::REQUEST };
            // The streaming check passes most bodies without walking the tree (it never calls
            // valid what the walk refuses: the request fuzz target checks it); anything else
            // gets the walk and its report of every violation.
            if cmd.check_request_text(text, &opts) != Verdict::Valid {
                let problems = cmd.validate_request(&body, &opts);
                if !problems.is_empty() {
                    return fail(30001, &format!("Invalid parameter: {problems}"));
                }
            }
            return self.sns(cmd, map, now);
        }
        match path {
            "v4/im_open_login_svc/account_import" => accounts::import(self, map),
            "v4/im_open_login_svc/multiaccount_import" => accounts::multi_import(self, map),
            "v4/im_open_login_svc/account_check" => accounts::check(self, map),
            "v4/im_open_login_svc/account_delete" => accounts::delete(self, map),
            "v4/profile/portrait_set" => accounts::portrait_set(self, map),
            "v4/profile/portrait_get" => accounts::portrait_get(self, map),
            _ => fail(60009, "wrong resource: unknown API path"),
        }
    }

    fn sns(&mut self, cmd: Command, body: &Map<String, Value>, now: u64) -> Reply {
        let from = body.get("From_Account").and_then(Value::as_str).unwrap_or_default().to_owned();
        if !self.accounts.contains_key(&from) {
            return fail(30003, "From_Account does not exist");
        }
        match cmd {
            Command::FriendAdd => friends::add(self, &from, body, now),
            Command::FriendImport => friends::import(self, &from, body, now),
            Command::FriendUpdate => friends::update(self, &from, body),
            Command::FriendDelete => friends::delete(self, &from, body),
            Command::FriendDeleteAll => friends::delete_all(self, &from, body),
            Command::FriendCheck => friends::check(self, &from, body),
            Command::FriendGet => friends::get(self, &from, body),
            Command::FriendGetList => friends::get_list(self, &from, body),
            Command::BlackListAdd => blocklist::add(self, &from, body, now),
            Command::BlackListDelete => blocklist::delete(self, &from, body),
            Command::BlackListGet => blocklist::get(self, &from, body),
            Command::BlackListCheck => blocklist::check(self, &from, body),
            Command::GroupAdd => lists::add(self, &from, body),
            Command::GroupDelete => lists::delete(self, &from, body),
            Command::GroupGet => lists::get(self, &from, body),
        }
    }

    /// The callbacks the service would have sent since the last call, in order: the "after"
    /// callbacks of REST calls and of simulated client requests.
    pub fn take_callbacks(&mut self) -> Vec<events::CallbackEvent> {
        std::mem::take(&mut self.outbox)
    }

    /// The SDKAppID of the emulated app (the callbacks' `SdkAppid`).
    pub fn sdk_app_id(&self) -> u64 {
        self.sdk_app_id
    }

    fn over_rate(&mut self, path: &str, now_ms: u64) -> bool {
        let calls = self.calls.entry(path.to_owned()).or_default();
        calls.retain(|&t| t + 1000 > now_ms);
        if calls.len() >= RATE_LIMIT {
            return true;
        }
        calls.push(now_ms);
        false
    }

    /// The accounts as JSON (for `snapshot()` and tests).
    pub fn snapshot(&self) -> Value {
        let mut out = Map::new();
        for (id, a) in &self.accounts {
            let friends: Map<String, Value> = a
                .friends
                .iter()
                .map(|(to, f)| (to.clone(), serde_json::json!({ "remark": f.remark, "groups": f.groups, "addSource": f.add_source, "addTime": f.add_time })))
                .collect();
            out.insert(
                id.clone(),
                serde_json::json!({
                    "allowType": a.allow_type.wire(),
                    "friends": friends,
                    "blocked": a.blocked.iter().map(|(b, _)| b.clone()).collect::<Vec<_>>(),
                    "lists": a.lists,
                    "pendingFrom": a.pending_from,
                }),
            );
        }
        Value::Object(out)
    }
}
