//! Seeded simulation of single calls and paged walks through the core's call state machine
//! (`tim_sns::client::call`), against a simulated service and clock. Faults per attempt: a reply
//! lost after the service applied the call, a network error before it, HTTP 502, a reply held
//! past the timeout (applied), a 200 cut short (applied), whole-request 30006 and 60007 (not
//! applied). Some targets are friends before the call. For every seed:
//! - a write's reply says `ok` only of items the service holds; an item this call put in place
//!   is never reported `failed` (it is `ok`, reconciled, or `unknown` when every confirming read
//!   was lost); `reconciled` only after an attempt whose outcome was unknown; a friend that was
//!   there before and answered so on a sure attempt stays as the service said it (`failed`, 30001);
//! - a call that ends in an error tried as often as the policy allows, or met a refusal;
//! - a paged walk returns every friend exactly once, in the service's order.

use serde_json::{Value, json};
use std::collections::BTreeSet;
use tim_sns::client::call::{Call, CallError, Reply, Settings, Step};
use tim_sns::client::paging::{Kind, Pager};
use tim_sns::client::retry::RetryPolicy;
use tim_sns::model::Command;

const SEEDS: u64 = 3000;

mod common;
use common::Rng;

/// What happens to one attempt.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Fault {
    None,
    LostAfter,
    NetworkBefore,
    Http502,
    HeldAfter,
    CutAfter,
    Busy30006,
    Rate60007,
}

fn fault(rng: &mut Rng, rate: f64) -> Fault {
    if rng.unit() >= rate {
        return Fault::None;
    }
    [Fault::LostAfter, Fault::NetworkBefore, Fault::Http502, Fault::HeldAfter, Fault::CutAfter, Fault::Busy30006, Fault::Rate60007][(rng.next() % 7) as usize]
}

fn envelope(extra: Value) -> String {
    let mut body = json!({ "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "" });
    body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    body.to_string()
}

/// The simulated service: who is whose friend, in the order added.
struct Service {
    friends: Vec<(String, String)>,
}

impl Service {
    fn has(&self, from: &str, to: &str) -> bool {
        self.friends.iter().any(|(f, t)| f == from && t == to)
    }

    /// Handles one request; the reply text.
    fn handle(&mut self, path: &str, body: &Value) -> String {
        let from = body["From_Account"].as_str().unwrap().to_owned();
        match path {
            "v4/sns/friend_add" => {
                let items: Vec<Value> = body["AddFriendItem"].as_array().unwrap().iter().map(|i| {
                    let to = i["To_Account"].as_str().unwrap().to_owned();
                    if self.has(&from, &to) {
                        json!({ "To_Account": to, "ResultCode": 30001, "ResultInfo": "Err_SNS_FriendAdd_Friend_Exist" })
                    } else {
                        self.friends.push((from.clone(), to.clone()));
                        json!({ "To_Account": to, "ResultCode": 0, "ResultInfo": "" })
                    }
                }).collect();
                envelope(json!({ "ResultItem": items }))
            }
            "v4/sns/friend_check" => {
                let items: Vec<Value> = body["To_Account"].as_array().unwrap().iter().map(|t| {
                    let t = t.as_str().unwrap();
                    let relation = if self.has(&from, t) { "CheckResult_Type_AWithB" } else { "CheckResult_Type_NoRelation" };
                    json!({ "To_Account": t, "ResultCode": 0, "Relation": relation })
                }).collect();
                envelope(json!({ "InfoItem": items }))
            }
            "v4/sns/friend_get" => {
                let mine: Vec<&String> = self.friends.iter().filter(|(f, _)| *f == from).map(|(_, t)| t).collect();
                let start = body["StartIndex"].as_u64().unwrap() as usize;
                let page: Vec<Value> = mine.iter().skip(start).take(3).map(|t| json!({ "To_Account": t, "ValueItem": [] })).collect();
                let next = start + page.len();
                let complete = u64::from(next >= mine.len());
                envelope(json!({ "UserDataItem": page, "CompleteFlag": complete, "NextStartIndex": if complete == 1 { 0 } else { next }, "FriendNum": mine.len(), "StandardSequence": 1, "CustomSequence": 1 }))
            }
            other => panic!("unexpected {other}"),
        }
    }
}

/// Drives `call` against the service with faults; the result, whether an attempt of the write
/// had an unknown outcome, whether a read failed, and the write attempts made (those answered
/// 60007 left out: they do not use up the retries).
fn drive(mut call: Call, service: &mut Service, rng: &mut Rng, rate: f64) -> (Result<Value, CallError>, bool, bool, u32) {
    let (mut now, mut unknown, mut read_failed, mut writes) = (0.0, false, false, 0);
    loop {
        let fresh = rng.next() as u32;
        match call.poll(now, fresh) {
            Step::Send(a) => {
                let body: Value = serde_json::from_str(&a.body).unwrap();
                let read = a.path.ends_with("friend_check");
                let f = fault(rng, rate);
                // Answers "over the rate" do not use up the retries.
                writes += u32::from(!read && f != Fault::Rate60007);
                let reply = match f {
                    Fault::NetworkBefore => Reply::Network("connection refused".into()),
                    Fault::Http502 => Reply::Text(502, "bad gateway".into()),
                    Fault::Busy30006 => Reply::Text(200, json!({ "ActionStatus": "FAIL", "ErrorCode": 30006, "ErrorInfo": "busy" }).to_string()),
                    Fault::Rate60007 => Reply::Text(200, json!({ "ActionStatus": "FAIL", "ErrorCode": 60007, "ErrorInfo": "over the limit" }).to_string()),
                    Fault::None => Reply::Text(200, service.handle(&a.path, &body)),
                    Fault::LostAfter | Fault::HeldAfter | Fault::CutAfter => {
                        let text = service.handle(&a.path, &body);
                        match f {
                            Fault::LostAfter => Reply::Network("socket hang up".into()),
                            Fault::HeldAfter => Reply::Timeout,
                            _ => Reply::Text(200, text[..text.len() / 2].to_owned()),
                        }
                    }
                };
                let in_doubt = matches!(f, Fault::LostAfter | Fault::HeldAfter | Fault::CutAfter | Fault::NetworkBefore | Fault::Http502);
                read_failed |= read && f != Fault::None;
                unknown |= !read && in_doubt;
                now += 1.0 + (rng.next() % 50) as f64;
                call.answer(a.id, now, reply, rng.unit());
            }
            Step::Wait(t) => {
                assert!(t.is_finite(), "a call with nothing in flight waits for ever");
                now = now.max(t);
            }
            Step::Done(result) => return (result, unknown, read_failed, writes),
        }
    }
}

fn settings() -> Settings {
    Settings { retry: RetryPolicy { retries: 3, base_ms: 10.0, max_ms: 100.0 }, ..Settings::default() }
}

#[test]
fn single_writes_report_the_truth_under_faults() {
    let (mut reconciled, mut unknowns, mut errors) = (0, 0, 0);
    for seed in 0..SEEDS {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let rate = [0.0, 0.1, 0.3, 0.6][(seed % 4) as usize];
        let targets: Vec<String> = (0..1 + rng.next() % 5).map(|i| format!("t{i}")).collect();
        let mut service = Service { friends: Vec::new() };
        let initial: BTreeSet<String> = targets.iter().filter(|_| rng.unit() < 0.3).cloned().collect();
        for t in &initial {
            service.friends.push(("alice".into(), t.clone()));
        }
        let items: Vec<Value> = targets.iter().map(|t| json!({ "To_Account": t, "AddSource": "AddSource_Type_Sim" })).collect();
        let body = json!({ "From_Account": "alice", "AddFriendItem": items }).to_string();
        let call = Call::new("friend_add", "v4/sns/friend_add", Some(Command::FriendAdd), body, settings());
        let (result, unknown, read_failed, writes) = drive(call, &mut service, &mut rng, rate);
        let fail = |m: String| panic!("seed {seed} (fault rate {rate}): {m}");
        let reply = match result {
            Ok(reply) => reply,
            Err(e) => {
                errors += 1;
                let refused = matches!(&e, CallError::Api(f) if f.error_code != 30006 && f.error_code != 60007) || matches!(&e, CallError::Decode { .. });
                if !refused && writes != 4 {
                    fail(format!("gave up after {writes} writes with {e:?}"));
                }
                continue;
            }
        };
        for item in reply["ResultItem"].as_array().unwrap() {
            let to = item["To_Account"].as_str().unwrap();
            let (outcome, code) = (item["outcome"].as_str().unwrap(), item["ResultCode"].as_u64().unwrap());
            let here = service.has("alice", to);
            let ours = here && !initial.contains(to);
            let is_reconciled = item.get("reconciled") == Some(&Value::Bool(true));
            if outcome == "ok" && !here {
                fail(format!("{to} reported ok but absent: {item}"));
            }
            if ours && outcome == "failed" {
                fail(format!("{to} was put in place by this call but reported failed: {item}"));
            }
            if is_reconciled && !unknown {
                fail(format!("{to} reconciled without an unknown outcome: {item}"));
            }
            if outcome == "unknown" && !read_failed {
                fail(format!("{to} unknown though no read failed: {item}"));
            }
            if initial.contains(to) && !unknown && (outcome, code) != ("failed", 30001) {
                fail(format!("{to} was a friend before and answered so on a sure attempt, yet: {item}"));
            }
            reconciled += usize::from(is_reconciled);
            unknowns += usize::from(outcome == "unknown");
        }
    }
    println!("{SEEDS} seeds: {reconciled} items reconciled, {unknowns} unknown, {errors} calls ended in an error");
    assert!(reconciled > 100, "only {reconciled} reconciled: the faults did not exercise reconciliation");
}

#[test]
fn paged_walks_return_every_friend_once_in_order_under_faults() {
    for seed in 0..SEEDS / 3 {
        let mut rng = Rng((seed ^ 0xBEEF).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let n = rng.next() % 20;
        let mut service = Service { friends: (0..n).map(|i| ("bob".to_owned(), format!("f{i}"))).collect() };
        let mut pager = Pager::new(Kind::Friends, Kind::Friends.first_body(json!({ "From_Account": "bob" })));
        let mut seen = Vec::new();
        let mut failed = false;
        while let Some(body) = pager.next_body() {
            let call = Call::new("friend_get", "v4/sns/friend_get", Some(Command::FriendGet), body.to_string(), settings());
            let (result, ..) = drive(call, &mut service, &mut rng, 0.2);
            let Ok(page) = result else {
                failed = true;
                break;
            };
            seen.extend(page["UserDataItem"].as_array().unwrap().iter().map(|u| u["To_Account"].as_str().unwrap().to_owned()));
            pager.advance(&page).unwrap();
        }
        if !failed {
            let want: Vec<String> = (0..n).map(|i| format!("f{i}")).collect();
            assert_eq!(seen, want, "seed {seed}");
        }
    }
}
