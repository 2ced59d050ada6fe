//! The bulk engine item by item: scripted answers for one `friend_import` item, each case a
//! path of the outcome table (reconciliation, `already`, resend after a read, retried reads).

use serde_json::{Map, json};
use tim_sns::client::bulk::{Answer, Config, Engine, ItemReport, Operation, Poll};
use tim_sns::client::retry::RetryPolicy;


#[test]
fn an_answer_names_its_error_and_whether_it_may_be_retried() {
    let cases = [
        (Answer::Network("reset".into()), "NetworkError", true),
        (Answer::Timeout, "TimeoutError", true),
        (Answer::Http(502), "HttpError", true),
        (Answer::Http(404), "HttpError", false),
        (Answer::Api(30006, String::new()), "ApiError", true),
        (Answer::Api(70001, String::new()), "ApiError", false),
        // Unreadable: the write may have been applied, so the engine may check and try again.
        (Answer::Decode("bad JSON".into()), "DecodeError", true),
    ];
    for (answer, name, may_retry) in cases {
        assert_eq!((answer.error_name(), answer.may_retry()), (name, may_retry), "{answer:?}");
    }
}

/// Found by the simulation: a write applied by an attempt whose reply was lost, then answered
/// with a transient item code (30008) on every later try, was reported `failed`. Those later
/// answers say only that they did nothing: a read decides.
#[test]
fn a_transient_code_after_an_unknown_outcome_is_confirmed_by_a_read() {
    let op = Operation { command: "friend_import", items_field: "AddFriendItem", cap: 1 };
    let item = ("u0".to_owned(), json!({ "To_Account": "t0", "AddSource": "AddSource_Type_X" }));
    let mut engine = Engine::new(op, vec![item], Map::new(), Config::default());
    let (mut now, mut sends) = (0.0, Vec::new());
    let report = loop {
        match engine.poll(now) {
            Poll::Send(req) => {
                let answer = match (req.command, sends.len()) {
                    ("friend_import", 0) => Answer::Network("the connection dropped after the write".into()),
                    ("friend_import", _) => Answer::reply(&json!({ "ResultItem": [{ "To_Account": "t0", "ResultCode": 30008 }] })),
                    ("friend_check", _) => Answer::reply(&json!({ "InfoItem": [{ "To_Account": "t0", "ResultCode": 0, "Relation": "CheckResult_Type_AWithB" }] })),
                    (other, _) => panic!("unexpected {other}"),
                };
                sends.push(req.command);
                now += 10.0;
                engine.answer(req.id, now, answer, 0.5);
            }
            Poll::Wait(t) => now = t,
            Poll::Idle => panic!("idle with nothing in flight"),
            Poll::Done => break engine.finish_all(),
        }
    };
    assert_eq!(sends.last(), Some(&"friend_check"), "calls: {sends:?}");
    assert_eq!((report[0].outcome.as_str(), report[0].reconciled), ("ok", true), "{:?}", report[0]);
}

/// Drives one `friend_import` item through the engine; `answer(command, nth call of it)` gives
/// each call's answer. The item's report and the commands sent.
fn scripted(answer: impl Fn(&str, usize) -> Answer) -> (ItemReport, Vec<&'static str>) {
    let op = Operation { command: "friend_import", items_field: "AddFriendItem", cap: 1 };
    let item = ("u0".to_owned(), json!({ "To_Account": "t0", "AddSource": "AddSource_Type_X" }));
    let mut engine = Engine::new(op, vec![item], Map::new(), Config::default());
    let (mut now, mut sends) = (0.0, Vec::<&'static str>::new());
    loop {
        match engine.poll(now) {
            Poll::Send(req) => {
                let nth = sends.iter().filter(|c| **c == req.command).count();
                sends.push(req.command);
                now += 10.0;
                engine.answer(req.id, now, answer(req.command, nth), 0.5);
            }
            Poll::Wait(t) => now = t,
            Poll::Idle => panic!("idle with nothing in flight"),
            Poll::Done => break (engine.finish_all().remove(0), sends),
        }
    }
}

fn import_answer(code: u32) -> Answer {
    Answer::reply(&json!({ "ResultItem": [{ "To_Account": "t0", "ResultCode": code, "ResultInfo": "as the service says" }] }))
}

fn check_answer(friends: bool) -> Answer {
    let relation = if friends { "CheckResult_Type_AWithB" } else { "CheckResult_Type_NoRelation" };
    Answer::reply(&json!({ "InfoItem": [{ "To_Account": "t0", "ResultCode": 0, "Relation": relation }] }))
}

/// Re-running an import: a friend the service already had is `already` (confirmed by a read,
/// since 30001 also means "bad parameter"), not a failure; a real 30001 stays a failure that
/// says what the code means.
#[test]
fn already_done_on_a_first_attempt_is_already_after_a_read_and_a_real_refusal_stays_failed() {
    let (r, sends) = scripted(|cmd, _| if cmd == "friend_import" { import_answer(30001) } else { check_answer(true) });
    assert_eq!(sends, ["friend_import", "friend_check"]);
    assert_eq!((r.outcome.as_str(), r.code, r.reconciled), ("already", Some(30001), false), "{r:?}");
    let (r, _) = scripted(|cmd, _| if cmd == "friend_import" { import_answer(30001) } else { check_answer(false) });
    assert_eq!((r.outcome.as_str(), r.code), ("failed", Some(30001)), "{r:?}");
    assert_eq!(r.info.as_deref(), Some("as the service says (friend_check shows it is not in place)"));
}

/// Every write try lost, then a read that shows the write was not applied: the item is safe to
/// send again, and is, instead of being reported failed.
#[test]
fn an_item_a_read_shows_not_done_is_sent_again() {
    let tries = RetryPolicy::default().retries as usize + 1;
    let (r, sends) = scripted(|cmd, nth| match cmd {
        "friend_import" if nth < tries => Answer::Network("reset before the reply".into()),
        "friend_import" => import_answer(0),
        _ => check_answer(false),
    });
    assert_eq!(sends.iter().filter(|c| **c == "friend_check").count(), 1, "{sends:?}");
    assert_eq!(sends.last(), Some(&"friend_import"), "{sends:?}");
    assert_eq!((r.outcome.as_str(), r.reconciled), ("ok", false), "{r:?}");
}

/// A confirming read whose reply cannot be read is tried again (a read changes nothing).
#[test]
fn an_unreadable_confirming_read_is_tried_again() {
    let (r, sends) = scripted(|cmd, nth| match (cmd, nth) {
        ("friend_import", 0) => Answer::Timeout,
        ("friend_import", _) => import_answer(30001),
        ("friend_check", 0 | 1) => Answer::Decode("cut halfway through the body".into()),
        _ => check_answer(true),
    });
    assert_eq!(sends.iter().filter(|c| **c == "friend_check").count(), 3, "{sends:?}");
    assert_eq!((r.outcome.as_str(), r.reconciled), ("ok", true), "{r:?}");
}
