//! The bulk engine checks each call's items just before the call goes out: an item that
//! breaks a rule fails alone, with the rule, and is never sent; the others of its call go.

use serde_json::{Map, Value, json};
use tim_sns::client::bulk::{Answer, BLOCK_USERS, Config, Engine, IMPORT_FRIENDS, Poll};
use tim_sns::validate::schema::Options;

fn checking() -> Config {
    Config { check: Some(Options::REQUEST), journal: false, ..Config::default() }
}

/// Runs the engine, answering every write with ResultCode 0 for each item it holds; returns
/// the bodies sent (parsed) and the final reports.
fn run(mut engine: Engine, items_field: &str) -> (Vec<Value>, Vec<tim_sns::client::bulk::ItemReport>) {
    let mut bodies = Vec::new();
    let mut now = 0.0;
    loop {
        match engine.poll(now) {
            Poll::Send(req) => {
                let body: Value = serde_json::from_str(&req.body).expect("a body is JSON");
                let results: Vec<Value> = body[items_field]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| json!({ "To_Account": i.get("To_Account").unwrap_or(i), "ResultCode": 0 }))
                    .collect();
                engine.answer(req.id, now + 1.0, Answer::reply(&json!({ "ResultItem": results })), 0.5);
                bodies.push(body);
            }
            Poll::Wait(at) => now = at,
            Poll::Idle => now += 1.0,
            Poll::Done => break,
        }
    }
    (bodies, engine.finish_all())
}

#[test]
fn a_bad_item_fails_alone_with_its_rule_and_is_not_sent() {
    let items = vec![
        ("alice".to_owned(), json!({ "To_Account": "bob", "AddSource": "AddSource_Type_Web" })),
        ("alice".to_owned(), json!({ "To_Account": "carol", "AddSource": "Web" })),
        ("alice".to_owned(), json!({ "To_Account": "dave", "AddSource": "AddSource_Type_Web", "Remark": "x".repeat(97) })),
        ("alice".to_owned(), json!({ "To_Account": "erin", "AddSource": "AddSource_Type_Web", "Remark": "x".repeat(96) })),
    ];
    let (bodies, reports) = run(Engine::new(IMPORT_FRIENDS, items, Map::new(), checking()), "AddFriendItem");
    assert_eq!(bodies.len(), 1);
    let sent: Vec<&str> = bodies[0]["AddFriendItem"].as_array().unwrap().iter().map(|i| i["To_Account"].as_str().unwrap()).collect();
    assert_eq!(sent, ["bob", "erin"]);
    let outcomes: Vec<(&str, u32)> = reports.iter().map(|r| (r.outcome.as_str(), r.attempts)).collect();
    assert_eq!(outcomes, [("ok", 1), ("failed", 0), ("failed", 0), ("ok", 1)]);
    assert!(reports[1].info.as_deref().unwrap().contains("AddFriendItem[0].AddSource"), "{:?}", reports[1].info);
    assert!(reports[2].info.as_deref().unwrap().contains("AddFriendItem[0].Remark"), "{:?}", reports[2].info);
}

#[test]
fn a_call_whose_every_item_is_bad_is_not_sent_and_the_next_one_goes() {
    // 1000 a call: the first call is all bad, the second (one item) good.
    let mut items: Vec<(String, Value)> = (0..1000).map(|i| ("alice".to_owned(), json!(format!("bad\u{1}{i}")))).collect();
    items.push(("alice".to_owned(), json!("bob")));
    let (bodies, reports) = run(Engine::new(BLOCK_USERS, items, Map::new(), checking()), "To_Account");
    assert_eq!(bodies.len(), 1, "only the good call went out");
    assert_eq!(bodies[0]["To_Account"], json!(["bob"]));
    assert_eq!(reports.iter().filter(|r| r.outcome.as_str() == "failed" && r.attempts == 0).count(), 1000);
    assert_eq!(reports[1000].outcome.as_str(), "ok");
}

#[test]
fn a_body_the_fast_check_leaves_undecided_is_checked_item_by_item_and_sent() {
    // A null member is not read by the fast check; the item is valid all the same (the
    // optional Remark is absent) and goes out as it was given.
    let items = vec![("alice".to_owned(), json!({ "To_Account": "bob", "AddSource": "AddSource_Type_Web", "Remark": null }))];
    let (bodies, reports) = run(Engine::new(IMPORT_FRIENDS, items, Map::new(), checking()), "AddFriendItem");
    assert_eq!(reports[0].outcome.as_str(), "ok", "{:?}", reports[0]);
    assert_eq!(bodies.len(), 1);
}

#[test]
fn the_run_extra_fields_and_the_user_are_in_every_body() {
    let mut extra = Map::new();
    extra.insert("AddType".into(), json!("Add_Type_Single"));
    let items = vec![("a\"lice".to_owned(), json!({ "To_Account": "bob", "AddSource": "AddSource_Type_Web" }))];
    let op = tim_sns::client::bulk::ADD_FRIENDS;
    let (bodies, _) = run(Engine::new(op, items, extra, checking()), "AddFriendItem");
    assert_eq!(bodies[0], json!({ "From_Account": "a\"lice", "AddType": "Add_Type_Single", "AddFriendItem": [{ "To_Account": "bob", "AddSource": "AddSource_Type_Web" }] }));
}

#[test]
fn bad_extra_fields_fail_every_item() {
    let mut extra = Map::new();
    extra.insert("AddType".into(), json!("Sometimes"));
    let items = vec![("alice".to_owned(), json!({ "To_Account": "bob", "AddSource": "AddSource_Type_Web" }))];
    let (bodies, reports) = run(Engine::new(tim_sns::client::bulk::ADD_FRIENDS, items, extra, checking()), "AddFriendItem");
    assert!(bodies.is_empty());
    assert!(reports[0].info.as_deref().unwrap().contains("AddType"), "{:?}", reports[0].info);
}
