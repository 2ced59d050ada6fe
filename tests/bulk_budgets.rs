//! The runs of one client share its rate budget: the service counts every call of a command,
//! whichever run sent it, so a run that starts as another ends, or while it goes, must not start
//! from an empty window.

use serde_json::{Map, Value, json};
use tim_sns::client::budget::{Budgets, SharedBudgets};
use tim_sns::client::bulk::{Answer, BLOCK_USERS, Config, Engine, Poll, Request};

// Below the window of users a run starts with (8), so the budget is what holds a burst back.
const RATE: u32 = 5;

fn config(budgets: &SharedBudgets) -> Config {
    Config { rate_per_second: RATE, margin_ms: 0.0, journal: false, budgets: Some(budgets.clone()), ..Config::default() }
}

/// `users` users with one target each: one call a user, all ready at once.
fn run(budgets: &SharedBudgets, users: usize) -> Engine {
    let items: Vec<(String, Value)> = (0..users).map(|u| (format!("u{u}"), json!("t"))).collect();
    Engine::new(BLOCK_USERS, items, Map::new(), config(budgets))
}

fn ok(engine: &mut Engine, req: &Request, now: f64) {
    engine.answer(req.id, now, Answer::reply(&json!({ "ResultItem": [{ "To_Account": "t", "ResultCode": 0 }] })), 0.5);
}

/// Sends everything `engine` will send at `now`.
fn burst(engine: &mut Engine, now: f64) -> (Vec<Request>, Poll) {
    let mut sent = Vec::new();
    loop {
        match engine.poll(now) {
            Poll::Send(req) => sent.push(req),
            other => return (sent, other),
        }
    }
}

#[test]
fn a_run_that_starts_as_another_ends_waits_for_the_window() {
    let budgets = Budgets::shared();
    let mut first = run(&budgets, RATE as usize);
    let (sent, _) = burst(&mut first, 0.0);
    assert_eq!(sent.len(), RATE as usize);
    for req in &sent {
        ok(&mut first, req, 20.0);
    }
    assert_eq!(first.poll(20.0), Poll::Done);
    drop(first);

    let mut second = run(&budgets, 1);
    let (sent, next) = burst(&mut second, 30.0);
    assert!(sent.is_empty(), "the window still holds the first run's {RATE} calls");
    let Poll::Wait(at) = next else { panic!("{next:?}") };
    assert!(at >= 1000.0, "due at {at} ms, before the first run's calls leave the window");
    assert_eq!(burst(&mut second, at).0.len(), 1);

    // A run with its own budget would not have waited: the sharing is what holds it back.
    let mut alone = Engine::new(BLOCK_USERS, vec![("u0".into(), json!("t"))], Map::new(), Config { budgets: None, ..config(&budgets) });
    assert_eq!(burst(&mut alone, 30.0).0.len(), 1);
}

#[test]
fn a_run_whose_budget_another_run_holds_in_flight_looks_again_instead_of_idling() {
    let budgets = Budgets::shared();
    let mut first = run(&budgets, RATE as usize);
    let (sent, _) = burst(&mut first, 0.0);
    let mut second = run(&budgets, 3);
    // Nothing of its own in flight: an `Idle` would wait for an answer that never comes to it.
    let (none, next) = burst(&mut second, 1.0);
    assert!(none.is_empty());
    assert!(matches!(next, Poll::Wait(at) if at > 1.0 && at <= 10.0), "{next:?}");
    for req in &sent {
        ok(&mut first, req, 40.0);
    }
    // A least round trip (40 ms) within the allowance: counted at their answers; free at 1040 ms.
    assert!(burst(&mut second, 1039.0).0.is_empty());
    assert_eq!(burst(&mut second, 1040.0).0.len(), 3);
}

#[test]
fn a_dropped_run_frees_the_budget_its_calls_held() {
    let budgets = Budgets::shared();
    let mut first = run(&budgets, RATE as usize);
    let (sent, _) = burst(&mut first, 0.0);
    assert_eq!(sent.len(), RATE as usize);
    drop(first);
    // Counted as handled when dropped (at 0 ms): the next run may go once they leave the window.
    let mut second = run(&budgets, 1);
    let (none, next) = burst(&mut second, 5.0);
    assert!(none.is_empty());
    assert_eq!(next, Poll::Wait(1000.0));
}
