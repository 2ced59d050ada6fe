//! Simulated client requests: REST calls never fire the "before"
//! callbacks, so the emulator plays what a client app does — a user's friend request and a
//! user's answer to requests — in two steps: [`Emulator::prev_friend_add`] gives the
//! `Sns.CallbackPrevFriendAdd` body to send, then [`Emulator::client_friend_add`] applies the
//! request with the app's verdict (a refused target gets the app's code and is not added).
//! The same for responses. The JS side sends the callback and enforces the 2 s timeout.

use super::Emulator;
use super::events::{self, Origin, Pairs};
use super::friends::add_one;
use super::reply::{Reply, fail, items, result};
use super::state::Friend;
use crate::model::Command;
use crate::validate::schema::{Field, Options, Rule, check};
use crate::validate::{Path, Violations};
use crate::webhook::reply::PrevVerdict;
use serde_json::{Map, Value, json};

/// The body of `clientFriendResponse`: `{ From_Account, ResponseFriendItem: [...] }`.
const RESPONSE_BODY: &[Field] = &[
    Field::req("From_Account", Rule::UserId),
    Field::req(
        "ResponseFriendItem",
        Rule::List {
            item: &Rule::Object(&[
                Field::req("To_Account", Rule::UserId),
                Field::req("ResponseAction", Rule::Enum(&["Response_Action_AgreeAndAdd", "Response_Action_Agree", "Response_Action_Reject"])),
                Field::opt("Remark", Rule::Bytes { min: 0, max: 96 }),
                Field::opt("TagName", Rule::Bytes { min: 1, max: 30 }),
            ]),
            min: 1,
            max: None,
            unique: false,
        },
    ),
];

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn items_of<'a>(body: &'a Value, key: &str) -> &'a [Value] {
    body.get(key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

impl Emulator {
    fn client_checks(&self, body: &Value, problems: Violations) -> Result<String, Reply> {
        if !problems.is_empty() {
            return Err(fail(30001, &format!("Invalid parameter: {problems}")));
        }
        let from = str_of(body, "From_Account").to_owned();
        if !self.accounts.contains_key(&from) {
            return Err(fail(30003, "From_Account does not exist"));
        }
        Ok(from)
    }

    /// The `Sns.CallbackPrevFriendAdd` body for a client friend request, whose body has the
    /// shape of a `friend_add` request (`From_Account`, `AddFriendItem`, `AddType`); or the
    /// service's error reply when the request is invalid. `now_ms` is the event time.
    pub fn prev_friend_add(&self, body: &Value, now_ms: u64) -> Result<Value, Reply> {
        let problems = Command::FriendAdd.validate_request(body, &Options { soft_limits: false, ..Options::REQUEST });
        let from = self.client_checks(body, problems)?;
        let friend_item: Vec<Value> = items_of(body, "AddFriendItem")
            .iter()
            .map(|i| {
                json!({ "To_Account": str_of(i, "To_Account"), "Remark": str_of(i, "Remark"), "GroupName": str_of(i, "GroupName"),
                        "AddSource": str_of(i, "AddSource"), "AddWording": str_of(i, "AddWording") })
            })
            .collect();
        let add_type = body.get("AddType").and_then(Value::as_str).unwrap_or("Add_Type_Both");
        Ok(json!({ "CallbackCommand": events::PREV_FRIEND_ADD, "Requester_Account": from, "From_Account": from,
                   "FriendItem": friend_item, "AddType": add_type, "ForceAddFlags": 0, "EventTime": now_ms }))
    }

    /// Applies a client friend request after the app's `verdict`: refused targets get the
    /// app's code; the others go through the normal rules (AllowType, blocklists, limits), and
    /// the pairs created are reported in `Sns.CallbackFriendAdd` (`Admin_Account` `""`).
    pub fn client_friend_add(&mut self, body: &Value, verdict: &PrevVerdict, now_ms: u64) -> Reply {
        let from = match self.prev_friend_add(body, now_ms) {
            Ok(_) => str_of(body, "From_Account").to_owned(),
            Err(reply) => return reply,
        };
        self.clock_ms = now_ms;
        let both = body.get("AddType").and_then(Value::as_str) != Some("Add_Type_Single");
        let mut results = Vec::new();
        let mut pairs = Pairs::new();
        for item in items_of(body, "AddFriendItem") {
            let to = str_of(item, "To_Account");
            match verdict.refusal(to) {
                Some((code, info)) => results.push(json!({ "To_Account": to, "ResultCode": code, "ResultInfo": info })),
                None => results.push(result(to, add_one(self, &from, to, item, both, false, now_ms / 1000, &mut pairs))),
            }
        }
        events::friend_add(self, &pairs, &from, "friend_add", "", false, Origin::Client);
        items("ResultItem", results, Map::new())
    }

    /// The `Sns.CallbackPrevFriendResponse` body for a client's answer to friend requests
    /// (`{ From_Account, ResponseFriendItem: [{ To_Account, ResponseAction, Remark?, TagName? }] }`).
    pub fn prev_friend_response(&self, body: &Value, now_ms: u64) -> Result<Value, Reply> {
        let mut problems = Violations::new();
        check(body, &Rule::Object(RESPONSE_BODY), &Path::root(), &Options::REQUEST, &mut problems);
        let from = self.client_checks(body, problems)?;
        let response_item: Vec<Value> = items_of(body, "ResponseFriendItem")
            .iter()
            .map(|i| json!({ "To_Account": str_of(i, "To_Account"), "Remark": str_of(i, "Remark"), "TagName": str_of(i, "TagName"),
                            "ResponseAction": str_of(i, "ResponseAction") }))
            .collect();
        Ok(json!({ "CallbackCommand": events::PREV_FRIEND_RESPONSE, "Requester_Account": from, "From_Account": from,
                   "ResponseFriendItem": response_item, "EventTime": now_ms }))
    }

    /// Applies a client's answer after the app's `verdict`. Each item needs a pending request
    /// from `To_Account` (else 30614). `Response_Action_Agree` adds the responder to the
    /// requester's friends, `Response_Action_AgreeAndAdd` both ways, `Response_Action_Reject`
    /// only drops the request. Created pairs go out in `Sns.CallbackFriendAdd` with
    /// `ClientCmd` `friend_response`, initiated by the requester.
    pub fn client_friend_response(&mut self, body: &Value, verdict: &PrevVerdict, now_ms: u64) -> Reply {
        let from = match self.prev_friend_response(body, now_ms) {
            Ok(_) => str_of(body, "From_Account").to_owned(),
            Err(reply) => return reply,
        };
        self.clock_ms = now_ms;
        let mut results = Vec::new();
        for item in items_of(body, "ResponseFriendItem") {
            let requester = str_of(item, "To_Account");
            let code = match verdict.refusal(requester) {
                Some((code, info)) => {
                    results.push(json!({ "To_Account": requester, "ResultCode": code, "ResultInfo": info }));
                    continue;
                }
                None => self.respond_one(&from, requester, item, now_ms / 1000),
            };
            results.push(result(requester, code));
        }
        items("ResultItem", results, Map::new())
    }

    fn respond_one(&mut self, from: &str, requester: &str, item: &Value, now: u64) -> u32 {
        if !self.accounts.contains_key(requester) {
            return 30003;
        }
        if !self.accounts[from].pending_from.contains(requester) {
            return 30614;
        }
        self.accounts.get_mut(from).expect("exists").pending_from.remove(requester);
        let action = str_of(item, "ResponseAction");
        let mut pairs = Pairs::new();
        if action != "Response_Action_Reject" {
            // The requester's list gains the responder.
            let theirs = self.accounts.get_mut(requester).expect("exists");
            if theirs.friend(from).is_none() {
                theirs.friends.push((from.to_owned(), Friend { add_source: "AddSource_Type_Web".into(), add_time: now, ..Default::default() }));
                theirs.standard_sequence += 1;
                pairs.push((requester.to_owned(), from.to_owned()));
            }
        }
        if action == "Response_Action_AgreeAndAdd" {
            let tag: Vec<String> = item.get("TagName").and_then(Value::as_str).filter(|t| !t.is_empty()).map(|t| vec![t.to_owned()]).unwrap_or_default();
            let mine = self.accounts.get_mut(from).expect("exists");
            if mine.friend(requester).is_none() {
                for t in &tag {
                    if !mine.lists.contains(t) {
                        mine.lists.push(t.clone());
                        mine.list_sequence += 1;
                    }
                }
                let remark = str_of(item, "Remark").to_owned();
                mine.friends.push((requester.to_owned(), Friend { add_source: "AddSource_Type_Web".into(), remark, groups: tag, add_time: now, ..Default::default() }));
                mine.standard_sequence += 1;
                pairs.push((from.to_owned(), requester.to_owned()));
            }
        }
        events::friend_add(self, &pairs, requester, "friend_response", "", false, Origin::Client);
        0
    }
}
