//! The run's window against a service that answers at once after a fixed round trip: it fills
//! the rate at a long round trip, and takes only its round trips when few calls are needed.

use super::service::{Clock, Event, Wire};
use serde_json::{Map, Value, json};
use tim_sns::client::bulk::{Config, Engine, Operation, Poll};

/// Runs `items` against a service that answers every item ok exactly `rtt_ms` after the call
/// starts; the calls sent and the time of the last start.
fn run_fixed(items: Vec<(String, Value)>, cap: usize, rtt_ms: f64) -> (u64, f64) {
    let op = Operation { command: "friend_import", items_field: "AddFriendItem", cap };
    let mut engine = Engine::new(op, items, Map::new(), Config::default());
    let mut clock = Clock::default();
    let (mut now, mut sent, mut last) = (0.0, 0u64, 0.0);
    let mut woke = false;
    loop {
        match engine.poll(now) {
            Poll::Send(req) => {
                let body: Value = serde_json::from_str(&req.body).unwrap();
                let list: Vec<Value> = body["AddFriendItem"].as_array().unwrap().iter().map(|i| json!({ "To_Account": i["To_Account"], "ResultCode": 0 })).collect();
                assert!(list.len() <= cap);
                clock.at(now + rtt_ms, Event::Deliver { run: 1, id: req.id, answer: Wire::Json(json!({ "ResultItem": list })) });
                sent += 1;
                last = now;
                continue;
            }
            Poll::Done => break,
            Poll::Wait(t) if !woke => {
                clock.at(t, Event::Wake);
                woke = true;
            }
            _ => {}
        }
        let (t, e) = clock.pop().unwrap();
        now = t;
        match e {
            Event::Wake => woke = false,
            Event::Deliver { id, answer, .. } => engine.answer(id, now, answer.answer(), 0.5),
            Event::Arrive { .. } => unreachable!(),
        }
    }
    (sent, last)
}

fn items(users: usize, per_user: usize) -> Vec<(String, Value)> {
    (0..users * per_user).map(|i| (format!("u{}", i % users), json!({ "To_Account": format!("t{i}"), "AddSource": "AddSource_Type_X" }))).collect()
}

/// A fast service and many users: the window grows until the budget is the limit.
#[test]
fn the_window_fills_the_rate_at_a_long_round_trip() {
    let (sent, last) = run_fixed(items(600, 4), 1, 200.0);
    let achieved = (sent - 1) as f64 / (last / 1000.0);
    assert!(achieved >= 0.95 * 200.0, "achieved {achieved:.1} calls/s of 200");
}

/// Few calls: nothing spaces them out beyond their round trips (5 users, two calls each,
/// start together and go again as soon as each reply is in).
#[test]
fn a_short_run_takes_only_its_round_trips() {
    let (sent, last) = run_fixed(items(5, 2000), 1000, 20.0);
    assert_eq!(sent, 10);
    assert!((last - 20.0).abs() < 0.01, "the second calls started at {last} ms, not as the replies came (20 ms)");
}
