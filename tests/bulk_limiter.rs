//! A run paced by the caller's own rate limiter (`external_limiter`): the time a call waits in
//! the limiter's queue is no part of its round trip, so the window of users in flight stays the
//! size the route needs instead of growing to every user (which would queue the client's single
//! calls behind the whole run in a shared limiter).

use serde_json::{Map, Value, json};
use tim_sns::client::bulk::{Answer, BLOCK_USERS, Config, Engine, Poll};

fn run(went_out: bool) -> Engine {
    let items: Vec<(String, Value)> = (0..50).map(|u| (format!("u{u}"), json!("t"))).collect();
    let config = Config { rate_per_second: 100, external_limiter: true, journal: false, ..Config::default() };
    let mut engine = Engine::new(BLOCK_USERS, items, Map::new(), config);
    let Poll::Send(req) = engine.poll(0.0) else { panic!("a call to send") };
    // The limiter let it go after 500 ms; the route took 20 ms.
    if went_out {
        engine.went_out(req.id, 500.0);
    }
    engine.answer(req.id, 520.0, Answer::reply(&json!({ "ResultItem": [{ "To_Account": "t", "ResultCode": 0 }] })), 0.5);
    engine
}

#[test]
fn the_round_trip_starts_when_the_call_went_out_not_when_it_was_handed_over() {
    let engine = run(true);
    assert_eq!(engine.progress().rtt_ms, Some(20.0));
    // 100 calls/s × 20 ms × 1.5 headroom, plus one.
    assert_eq!(engine.progress().window, 4);
    let counted_from_poll = run(false);
    assert_eq!(counted_from_poll.progress().rtt_ms, Some(520.0));
    assert!(counted_from_poll.progress().window > 40, "the queue grew the window: {}", counted_from_poll.progress().window);
}

#[test]
fn before_the_first_reply_the_window_grows_from_when_a_call_went_out() {
    let items: Vec<(String, Value)> = (0..50).map(|u| (format!("u{u}"), json!("t"))).collect();
    let config = Config { rate_per_second: 100, external_limiter: true, journal: false, ..Config::default() };
    let mut engine = Engine::new(BLOCK_USERS, items, Map::new(), config);
    // The first window (8 users) is handed over at once; they all wait in the limiter.
    let mut handed = Vec::new();
    while let Poll::Send(req) = engine.poll(0.0) {
        handed.push(req.id);
    }
    assert_eq!(handed.len(), 8);
    // A second later none has gone out yet: the wait is no sign of a long route.
    assert!(!matches!(engine.poll(1000.0), Poll::Send(_)), "the window grew while the calls waited in the limiter");
    // The first goes out at 1000 ms; 100 ms later, with no reply, the route takes at least
    // 100 ms: 100/s × 0.1 s × 1.5 + 1 = 16 users.
    engine.went_out(handed[0], 1000.0);
    let mut more = 0;
    while let Poll::Send(_) = engine.poll(1100.0) {
        more += 1;
    }
    assert_eq!(engine.progress().window, 16);
    assert_eq!(more, 8);
}
