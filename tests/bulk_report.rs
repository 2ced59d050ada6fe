//! The report of a bulk run in stretches: `Engine::settled` hands over final outcomes in input
//! order, never one twice and never before the stretch is long enough, and what it handed over
//! is exactly the start of `finish_all`; and the progress figures reported along the way.

use serde_json::{Map, Value, json};
use tim_sns::client::bulk::{Answer, Config, Engine, IMPORT_FRIENDS, Poll, Progress};

fn items(users: usize, per_user: usize) -> Vec<(String, Value)> {
    (0..users).flat_map(|u| (0..per_user).map(move |i| (format!("u{u}"), json!({ "To_Account": format!("t{i}"), "AddSource": "AddSource_Type_Test" })))).collect()
}

/// Answers every item of a call with `code`.
fn reply(body: &str, code: u32) -> Answer {
    let body: Value = serde_json::from_str(body).unwrap();
    let results: Vec<Value> = body["AddFriendItem"].as_array().unwrap().iter().map(|i| json!({ "To_Account": i["To_Account"], "ResultCode": code })).collect();
    Answer::reply(&json!({ "ResultItem": results }))
}

#[test]
fn stretches_come_in_input_order_and_only_when_long_enough() {
    // One user, 1200 items: a call of 1000, then one of 200.
    let mut engine = Engine::new(IMPORT_FRIENDS, items(1, 1200), Map::new(), Config { journal: false, ..Config::default() });
    let Poll::Send(first) = engine.poll(0.0) else { panic!("a first call") };
    assert!(engine.settled(1).is_empty(), "nothing is settled before a reply");
    engine.answer(first.id, 10.0, reply(&first.body, 0), 0.5);
    let stretch: Vec<usize> = engine.settled(500).iter().map(|r| r.index).collect();
    assert_eq!(stretch, (0..1000).collect::<Vec<_>>());
    assert!(engine.settled(1).is_empty(), "an item is handed over once");
    let second = loop {
        match engine.poll(20.0) {
            Poll::Send(req) => break req,
            Poll::Wait(_) | Poll::Idle => continue,
            Poll::Done => panic!("200 items left"),
        }
    };
    engine.answer(second.id, 30.0, reply(&second.body, 0), 0.5);
    assert!(engine.settled(500).is_empty(), "200 settled items are fewer than asked for");
    assert_eq!(engine.handed(), 1000);
    let all = engine.finish_all();
    assert_eq!(all.len(), 1200);
    assert!(all[1000..].iter().enumerate().all(|(k, r)| r.index == 1000 + k && r.outcome == tim_sns::client::bulk::Outcome::Ok));
}

#[test]
fn an_item_without_its_outcome_holds_back_the_ones_after_it() {
    // Two users of 600: the second user's call settles first, but waits for the first's.
    let mut engine = Engine::new(IMPORT_FRIENDS, items(2, 600), Map::new(), Config { journal: false, ..Config::default() });
    let mut sent = Vec::new();
    while sent.len() < 2 {
        match engine.poll(0.0) {
            Poll::Send(req) => sent.push(req),
            _ => panic!("both users' calls go out at once"),
        }
    }
    engine.answer(sent[1].id, 5.0, reply(&sent[1].body, 0), 0.5);
    assert!(engine.settled(1).is_empty(), "item 0 has no outcome yet");
    engine.answer(sent[0].id, 6.0, reply(&sent[0].body, 30003), 0.5);
    let stretch = engine.settled(1);
    assert_eq!(stretch.len(), 1200);
    assert_eq!((stretch[0].outcome.as_str(), stretch[600].outcome.as_str()), ("failed", "ok"));
}

#[test]
fn progress_gives_the_pace_and_the_time_left() {
    let p = Progress { done: 250, total: 1000, failed: 0, already: 0, calls: 30, in_flight: 2, window: 4, rtt_ms: None };
    assert_eq!(p.calls_per_second(2.0), 15.0);
    assert_eq!(p.calls_per_second(3.0), 10.0);
    assert_eq!(p.eta_seconds(2.0), Some(6.0), "750 left at 125 a second");
    assert_eq!(Progress { done: 0, ..p }.eta_seconds(2.0), None, "no pace before the first outcome");
    assert_eq!(Progress { calls: 1, ..p }.calls_per_second(0.0), 1000.0, "a zero elapsed time counts as 1 ms");
}

#[test]
fn a_withdrawn_call_is_as_if_never_taken() {
    // The driver could not send the call (its journal failed): the run stops, nothing more goes
    // out, and the items end "not finished" with no attempt counted.
    let mut engine = Engine::new(IMPORT_FRIENDS, items(1, 3), Map::new(), Config { journal: true, ..Config::default() });
    let Poll::Send(req) = engine.poll(0.0) else { panic!("a first call") };
    assert_eq!(engine.progress().in_flight, 1);
    engine.stop();
    engine.withdraw(req.id);
    assert_eq!((engine.progress().in_flight, engine.progress().calls), (0, 0));
    assert_eq!(engine.poll(1.0), Poll::Done);
    let all = engine.finish_all();
    assert!(all.iter().all(|r| r.outcome.as_str() == "failed" && r.attempts == 0 && r.info.as_deref() == Some("not finished: the run was stopped")));
}
