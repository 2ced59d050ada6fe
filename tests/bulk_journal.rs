//! Resuming from a journal matches records to items by identity: another input is refused,
//! an edited one resumes, and identical rows take records in order.

use serde_json::{Map, Value, json};
use tim_sns::client::bulk::journal::Replay;
use tim_sns::client::bulk::{Answer, BLOCK_USERS, Config, Engine, ItemReport, Poll};

fn items(from: &str, targets: &[&str]) -> Vec<(String, Value)> {
    targets.iter().map(|t| (from.to_owned(), json!(t))).collect()
}

/// Runs `engine` against a service that applies every item, for at most `calls` write calls
/// (then the process is "killed"). Returns the targets sent, the journal lines, and the
/// report when the run finished.
fn drive(mut engine: Engine, calls: usize) -> (Vec<String>, Vec<String>, Option<Vec<ItemReport>>) {
    let (mut sent, mut lines, mut now, mut made) = (Vec::new(), Vec::new(), 0.0, 0);
    loop {
        let poll = engine.poll(now);
        lines.extend(engine.take_journal());
        match poll {
            Poll::Send(_) if made == calls => return (sent, lines, None),
            Poll::Send(req) => {
                made += 1;
                let body: Value = serde_json::from_str(&req.body).unwrap();
                let targets: Vec<String> = body["To_Account"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_owned()).collect();
                let rows: Vec<Value> = targets.iter().map(|t| json!({ "To_Account": t, "ResultCode": 0 })).collect();
                sent.extend(targets);
                engine.answer(req.id, now, Answer::reply(&json!({ "ResultItem": rows })), 0.5);
                lines.extend(engine.take_journal());
            }
            Poll::Wait(t) => now = t,
            Poll::Idle => panic!("idle with nothing in flight"),
            Poll::Done => return (sent, lines, Some(engine.finish_all())),
        }
    }
}

/// Two items a call, so a run can be cut between calls.
fn engine(input: Vec<(String, Value)>) -> Engine {
    let op = tim_sns::client::bulk::Operation { cap: 2, ..BLOCK_USERS };
    Engine::new(op, input, Map::new(), Config { rate_per_second: 10_000, ..Config::default() })
}

#[test]
fn another_input_of_the_same_size_is_refused() {
    let first: Vec<String> = (0..20).map(|i| format!("t{i}")).collect();
    let other: Vec<String> = (0..20).map(|i| format!("x{i}")).collect();
    let (_, lines, report) = drive(engine(items("u", &first.iter().map(String::as_str).collect::<Vec<_>>())), usize::MAX);
    assert_eq!(report.unwrap().len(), 20);
    let mut again = engine(items("u", &other.iter().map(String::as_str).collect::<Vec<_>>()));
    let why = again.resume(&Replay::parse(&lines.join("\n"))).unwrap_err();
    assert_eq!(why, "the journal is of another input: none of its 20 recorded items is in this input");
}

#[test]
fn an_edited_input_resumes_sending_only_new_and_changed_rows() {
    let (sent, lines, report) = drive(engine(items("u", &["a", "b", "c", "d", "e", "f"])), 2);
    assert_eq!((sent.len(), report), (4, None), "killed after a, b, c, d");
    // "b" removed, "d" now of another user (another item), "g" added, re-ordered.
    let mut edited = items("u", &["g", "c", "a", "f", "e"]);
    edited.insert(2, ("v".into(), json!("d")));
    let mut resumed = engine(edited);
    resumed.resume(&Replay::parse(&lines.join("\n"))).unwrap();
    let (mut sent, more, report) = drive(resumed, usize::MAX);
    sent.sort();
    assert_eq!(sent, ["d", "e", "f", "g"], "a and c keep their outcome");
    let report = report.unwrap();
    assert_eq!(report.iter().map(|r| (r.index, r.to_account.as_str(), r.attempts)).collect::<Vec<_>>(), [(0, "g", 1), (1, "c", 1), (2, "d", 1), (3, "a", 1), (4, "f", 1), (5, "e", 1)]);
    // The resumed run's header (another input) comes first, then its lines.
    assert!(more[0].contains(r#""journal":2"#), "{}", more[0]);
    // Resumed again with the journal as it now stands: every item has its outcome.
    let all = [lines, more].concat();
    let mut third = engine(items("u", &["g", "c", "a", "f", "e"]));
    third.resume(&Replay::parse(&all.join("\n"))).unwrap();
    assert_eq!(third.progress().done, 5);
}

#[test]
fn identical_rows_take_recorded_outcomes_one_each() {
    let (_, lines, _) = drive(engine(items("u", &["a", "b", "a"])), usize::MAX);
    let replay = Replay::parse(&lines.join("\n"));
    // The same input: both rows of "a" keep their outcome.
    let mut same = engine(items("u", &["a", "b", "a"]));
    same.resume(&replay).unwrap();
    assert_eq!(same.progress().done, 3);
    assert!(same.take_journal().is_empty(), "the same input writes no new header");
    // A third "a": two records for three rows, so the last row is sent.
    let mut more = engine(items("u", &["a", "a", "b", "a"]));
    more.resume(&replay).unwrap();
    assert_eq!([0, 1, 2, 3].map(|i| more.is_done(i)), [true, true, true, false]);
    let (sent, _, _) = drive(more, usize::MAX);
    assert_eq!(sent, ["a"]);
}

#[test]
fn a_journal_of_format_1_is_refused() {
    let v1 = [r#"{"journal":1,"command":"black_list_add","total":2}"#, r#"{"sent":[0,1]}"#, r#"{"done":{"index":0,"From_Account":"u","To_Account":"a","outcome":"ok","code":0,"attempts":1}}"#];
    let why = engine(items("u", &["a", "b"])).resume(&Replay::parse(&v1.join("\n"))).unwrap_err();
    assert!(why.contains("older version of tim-sns (journal format 1)") && why.contains("cannot be matched"), "{why}");
}
