//! The state machine of one `SnsClient` call, driven natively with a simulated clock: retries
//! and backoff from the catalogue's retry classes, one `random` per call, the rate budget it
//! shares with bulk runs, and reconciliation of a write whose reply was lost.

use serde_json::{Value, json};
use tim_sns::client::budget::Budgets;
use tim_sns::client::bulk::{self, Answer, Config, Engine, Poll};
use tim_sns::client::call::{Call, CallError, Reply, Settings, Step};
use tim_sns::client::retry::RetryPolicy;
use tim_sns::model::Command;

fn ok(extra: Value) -> Reply {
    let mut body = json!({ "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "" });
    body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    Reply::Text(200, body.to_string())
}

fn fail(code: u32) -> Reply {
    Reply::Text(200, json!({ "ActionStatus": "FAIL", "ErrorCode": code, "ErrorInfo": "as the service says" }).to_string())
}

/// Runs a call to its end; `answer(path, nth attempt)` gives each attempt's reply. The result,
/// the attempts as (path, random, time sent).
fn drive(mut call: Call, answer: impl Fn(&str, usize) -> Reply) -> (Result<Value, CallError>, Vec<(String, u32, f64)>) {
    let (mut now, mut sent, mut fresh) = (0.0, Vec::new(), 7u32);
    loop {
        fresh = fresh.wrapping_mul(2_654_435_761).wrapping_add(1);
        match call.poll(now, fresh) {
            Step::Send(a) => {
                assert_eq!(a.number as usize, sent.len() + 1);
                sent.push((a.path.clone(), a.random, now));
                now += 10.0;
                let reply = answer(&a.path, sent.len() - 1);
                call.answer(a.id, now, reply, 0.5);
            }
            Step::Wait(t) => {
                assert!(t.is_finite() && t > now, "waits for {t} at {now}");
                now = t;
            }
            Step::Done(result) => return (result, sent),
        }
    }
}

fn friend_add() -> Call {
    let body = json!({ "From_Account": "alice", "AddFriendItem": [{ "To_Account": "bob", "AddSource": "AddSource_Type_Web" }] });
    Call::new("friend_add", "v4/sns/friend_add", Some(Command::FriendAdd), body.to_string(), Settings::default())
}

#[test]
fn a_write_whose_reply_was_lost_is_reconciled_by_a_read() {
    let (result, sent) = drive(friend_add(), |path, n| match (path, n) {
        ("v4/sns/friend_add", 0) => Reply::Network("the connection dropped after the write".into()),
        ("v4/sns/friend_add", _) => ok(json!({ "ResultItem": [{ "To_Account": "bob", "ResultCode": 30001, "ResultInfo": "already friends" }], "Fail_Account": ["bob"] })),
        _ => ok(json!({ "InfoItem": [{ "To_Account": "bob", "ResultCode": 0, "Relation": "CheckResult_Type_AWithB" }] })),
    });
    let reply = result.unwrap();
    let item = &reply["ResultItem"][0];
    assert_eq!((item["outcome"].as_str(), item["reconciled"].as_bool(), item["ResultCode"].as_u64()), (Some("ok"), Some(true), Some(30001)), "{reply}");
    let paths: Vec<&str> = sent.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(paths, ["v4/sns/friend_add", "v4/sns/friend_add", "v4/sns/friend_check"]);
    assert_eq!(sent[0].1, sent[1].1, "the retry carries the call's random");
    assert_ne!(sent[2].1, sent[0].1, "the read is a request of its own");
}

/// Found by the bulk simulation's single calls: an item applied by an attempt whose reply was
/// lost, then answered with a transient item code (30008) by the retry, was reported `failed`.
/// That answer says only that the retry did nothing: a read decides.
#[test]
fn a_transient_item_code_after_a_lost_reply_is_confirmed_by_a_read() {
    let (result, sent) = drive(friend_add(), |path, n| match (path, n) {
        ("v4/sns/friend_add", 0) => Reply::Network("the connection dropped after the write".into()),
        ("v4/sns/friend_add", _) => ok(json!({ "ResultItem": [{ "To_Account": "bob", "ResultCode": 30008, "ResultInfo": "" }] })),
        _ => ok(json!({ "InfoItem": [{ "To_Account": "bob", "ResultCode": 0, "Relation": "CheckResult_Type_AWithB" }] })),
    });
    let reply = result.unwrap();
    assert_eq!((reply["ResultItem"][0]["outcome"].as_str(), reply["ResultItem"][0]["reconciled"].as_bool()), (Some("ok"), Some(true)), "{reply}");
    assert_eq!(sent.last().map(|s| s.0.as_str()), Some("v4/sns/friend_check"));
}

#[test]
fn already_done_on_a_sure_first_attempt_stays_as_the_service_said() {
    let (result, sent) = drive(friend_add(), |_, _| ok(json!({ "ResultItem": [{ "To_Account": "bob", "ResultCode": 30001 }] })));
    let item = &result.unwrap()["ResultItem"][0];
    assert_eq!((item["outcome"].as_str(), item.get("reconciled")), (Some("failed"), None));
    assert_eq!(sent.len(), 1);
}

#[test]
fn a_read_that_says_not_done_leaves_the_answer_and_a_lost_read_makes_it_unknown() {
    let (result, _) = drive(friend_add(), |path, n| match (path, n) {
        ("v4/sns/friend_add", 0) => Reply::Timeout,
        ("v4/sns/friend_add", _) => ok(json!({ "ResultItem": [{ "To_Account": "bob", "ResultCode": 30001 }] })),
        _ => ok(json!({ "InfoItem": [{ "To_Account": "bob", "ResultCode": 0, "Relation": "CheckResult_Type_NoRelation" }] })),
    });
    assert_eq!(result.unwrap()["ResultItem"][0]["outcome"], "failed");
    let (result, sent) = drive(friend_add(), |path, n| match (path, n) {
        ("v4/sns/friend_add", 0) => Reply::Timeout,
        ("v4/sns/friend_add", _) => ok(json!({ "ResultItem": [{ "To_Account": "bob", "ResultCode": 30001 }] })),
        _ => Reply::Text(200, "{\"ActionStatus\":\"OK\",\"Err".into()),
    });
    assert_eq!(result.unwrap()["ResultItem"][0]["outcome"], "unknown");
    assert_eq!(sent.len(), 2 + 1 + RetryPolicy::default().retries as usize, "the read is retried like any read");
}

#[test]
fn retries_follow_the_catalogue_and_back_off() {
    // 30008 (write conflict) and 60008 are transient in the catalogue: retried, then answered.
    let (result, sent) = drive(friend_add(), |_, n| if n < 2 { fail(if n == 0 { 30008 } else { 60008 }) } else { ok(json!({ "ResultItem": [] })) });
    assert!(result.is_ok());
    assert_eq!(sent.len(), 3);
    assert!(sent[1].2 > sent[0].2 + 10.0 && sent[2].2 > sent[1].2 + 10.0, "backoff between tries: {sent:?}");
    // A refusal is not retried, and out of tries the last error is the call's.
    let (result, sent) = drive(friend_add(), |_, _| fail(70001));
    assert!(matches!(result, Err(CallError::Api(f)) if f.error_code == 70001));
    assert_eq!(sent.len(), 1);
    let (result, sent) = drive(friend_add(), |_, _| Reply::Text(502, "bad gateway".into()));
    assert!(matches!(result, Err(CallError::Http(502, _))));
    assert_eq!(sent.len(), 1 + RetryPolicy::default().retries as usize);
    // The caller's abort ends the call at once.
    let (result, sent) = drive(friend_add(), |_, _| Reply::Aborted);
    assert!(matches!(result, Err(CallError::Aborted)));
    assert_eq!(sent.len(), 1);
}

/// Single calls and bulk runs of one client spend one budget: a call waits while a run fills
/// the second, and the run sees the call's slot taken.
#[test]
fn single_calls_and_bulk_runs_share_one_budget() {
    let budgets = Budgets::shared();
    let config = Config { rate_per_second: 5, budgets: Some(budgets.clone()), journal: false, ..Config::default() };
    let items: Vec<(String, Value)> = (0..5).map(|i| (format!("u{i}"), json!({ "To_Account": "t", "AddSource": "AddSource_Type_X" }))).collect();
    let mut engine = Engine::new(bulk::IMPORT_FRIENDS, items, serde_json::Map::new(), config);
    let mut ids = Vec::new();
    while let Poll::Send(req) = engine.poll(0.0) {
        ids.push(req.id);
    }
    assert_eq!(ids.len(), 5, "the run takes the whole budget");
    for id in ids {
        engine.answer(id, 100.0, Answer::reply(&json!({ "ResultItem": [{ "To_Account": "t", "ResultCode": 0 }] })), 0.5);
    }
    let settings = Settings { rate_per_second: 5, budgets: Some(budgets), ..Settings::default() };
    let mut call = Call::new("friend_import", "v4/sns/friend_import", Some(Command::FriendImport), "{}".into(), settings);
    match call.poll(100.0, 1) {
        Step::Wait(t) => assert!(t >= 1000.0, "the call may go only when the run's calls leave the window, not at {t}"),
        other => panic!("the call went over the budget: {other:?}"),
    }
}

/// While other callers hold the app over its limit, answers "over the rate" keep coming for a
/// while: they do not use up the retries (the penalized budget paces each try), so the call
/// gets through; a bound still ends one that never does.
#[test]
fn over_the_rate_answers_do_not_use_up_the_retries() {
    let (result, sent) = drive(friend_add(), |_, n| if n < 6 { fail(60007) } else { ok(json!({ "ResultItem": [] })) });
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(sent.len(), 7);
    let (result, sent) = drive(friend_add(), |_, _| fail(60007));
    assert!(matches!(result, Err(CallError::Api(f)) if f.error_code == 60007));
    let limit = tim_sns::client::budget::RATE_LIMITED_TRIES as usize;
    assert_eq!(sent.len(), limit + 1 + RetryPolicy::default().retries as usize);
}

/// `retries: 0` means no retry at all, over the rate included.
#[test]
fn no_retries_means_none_over_the_rate_either() {
    let settings = Settings { retry: RetryPolicy { retries: 0, ..RetryPolicy::default() }, ..Settings::default() };
    let body = json!({ "From_Account": "alice", "AddFriendItem": [{ "To_Account": "bob", "AddSource": "AddSource_Type_Web" }] });
    let call = Call::new("friend_add", "v4/sns/friend_add", Some(Command::FriendAdd), body.to_string(), settings);
    let (result, sent) = drive(call, |_, _| fail(60007));
    assert!(matches!(result, Err(CallError::Api(f)) if f.error_code == 60007));
    assert_eq!(sent.len(), 1);
}
