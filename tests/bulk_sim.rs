//! Deterministic simulation of the bulk engine against a simulated service with a simulated
//! clock. Every seed mixes latency spread, HTTP 502s, hangs (answered by the client timeout),
//! whole-request 30006 / 30008, item-level 30008, a strict sliding-window 60007 counted at
//! arrival, replies lost after the service applied the call, and 200s cut halfway through. A
//! quarter of the seeds kill the run at a random moment and resume it from the journal written
//! so far; half of those edit the input before resuming (`edit`), which the journal matches by
//! identity. On half of the seeds that are not killed, the same client makes single calls of
//! the run's command while it goes, and walks `friend_get` page by page (`singles`): through
//! the core's call machine, spending the run's budgets. For every seed:
//! - every input item ends with exactly one outcome, and the journal records it once;
//! - every item this run changed at the service is reported `ok` (or `unknown` only when every
//!   attempt and read was lost: counted, and bounded overall);
//! - nothing reported `ok` is absent from the service's final state;
//! - an item is written to the service again after it was applied only if the client saw an
//!   unknown outcome for it first (or the killed run sent it); an item whose outcome the journal
//!   recorded is never sent again by the resumed run;
//! - an item already in place before the run, answered "already done" on its first attempt,
//!   is `already` (not `ok`, not reconciled), and `already` is never said of an item this run
//!   put in place;
//! - a single call reports `ok` only what the service holds, never `failed` what it put in place;
//!   a walk that reads every page reads every friend once, in order;
//! - no one-second window holds more than the rate of one command's starts (the runs' and the
//!   single calls' together), the service answers no call with 60007, and one user's calls
//!   never overlap;
//! - no item is `failed` that the service could have answered within the tries (a refusal, or
//!   its tries used up: its `info` says which), nor `unknown` unless every read of it failed;
//! - on a tenth of the seeds the service counts a call when it answers, 20–220 ms after its
//!   arrival: there no call sent after a 60007 reached the client (its budget has adapted) is
//!   answered 60007.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tim_sns::client::bulk::journal::{self, Replay};
use tim_sns::client::budget::{Budgets, RATE_LIMITED_TRIES};
use tim_sns::client::call::{Settings, Step};
use tim_sns::model::Command;
use tim_sns::client::bulk::{Answer, Config, Engine, ItemReport, Poll, item_retryable};
use tim_sns::client::retry::RetryPolicy;

mod common;
use common::Rng;
#[path = "bulk_sim/edit.rs"]
mod edit;
#[path = "bulk_sim/service.rs"]
mod service;
#[path = "bulk_sim/scenario.rs"]
mod scenario;
#[path = "bulk_sim/singles.rs"]
mod singles;
#[path = "bulk_sim/window.rs"]
mod window;
use scenario::{Scenario, scenario};
use service::{Clock, Event, Kind, Outcome, Service, Wire};

const RATE: u32 = 200;
const TIMEOUT_MS: f64 = 1000.0;
const SEEDS: u64 = 1200;
/// The simulated client's `retries`.
const RETRIES: u32 = 3;

/// What the client side observed, for the properties.
#[derive(Default)]
struct Observed {
    /// Send times per command.
    starts: BTreeMap<&'static str, Vec<f64>>,
    /// The client saw an unknown outcome for a write call holding this item (by journal key:
    /// the resumed run's input may be edited, so positions differ between runs).
    unknown: BTreeSet<u64>,
    /// Write calls each item was sent in (by key).
    writes: BTreeMap<u64, u32>,
    /// Users with a call in flight, per run.
    busy: BTreeSet<(u32, String)>,
    violations: Vec<String>,
    unknown_outcomes: usize,
    reconciled: usize,
    /// Resumed runs over an edited input, and the recorded outcomes they kept.
    edited_runs: usize,
    kept: usize,
    /// What the run's `settled` handed over so far, in order.
    settled: Vec<ItemReport>,
    /// When the first 60007 reached the client.
    first_60007: Option<f64>,
    /// Answers of 60007 on seeds where the service counts at answering.
    rejected_at_answer: u64,
    /// In the current run, per item (by key): the failed tries of the write calls that held it
    /// (a call that failed, or the item answered a transient code), of the confirming reads,
    /// and the answers over the rate (those do not use up tries).
    write_failures: BTreeMap<u64, u32>,
    read_failures: BTreeMap<u64, u32>,
    limited: BTreeMap<u64, u32>,
    /// Single calls made beside the runs (walks included), the walks, and those that read
    /// every page.
    singles: usize,
    walks: usize,
    walks_read: usize,
}

/// An item's (user, target) pair and its journal key.
fn pair_and_key((from, item): &(String, Value)) -> ((String, String), u64) {
    let text = item.to_string();
    let to = tim_sns::client::bulk::input::target(&text);
    let key = journal::key(from, &to, &text);
    ((from.clone(), to), key)
}

/// What the killed run left for the resumed one.
struct Prior {
    replay: Replay,
    /// Keys the journal records as sent, and as done.
    sent: BTreeSet<u64>,
    done: BTreeSet<u64>,
    /// Pairs the killed run sent (under any key: an edited row has a new one).
    sent_pairs: BTreeSet<(String, String)>,
}

/// One engine run until done or killed; returns the final reports when it finished.
#[allow(clippy::too_many_arguments)]
fn run(
    run_no: u32,
    sc: &Scenario,
    service: &mut Service,
    clock: &mut Clock,
    now: &mut f64,
    journal: &mut Vec<String>,
    prior: Option<&Prior>,
    obs: &mut Observed,
    rng: &mut Rng,
) -> Option<Vec<ItemReport>> {
    // One client: the run and its single calls spend the same budgets.
    let budgets = Budgets::shared();
    let retry = RetryPolicy { retries: RETRIES, base_ms: 50.0, max_ms: 2000.0 };
    let config = Config { rate_per_second: RATE, retry, budgets: Some(budgets.clone()), ..Config::default() };
    let settings = Settings { retry, rate_per_second: RATE, margin_ms: config.margin_ms, budgets: Some(budgets), external_limiter: false };
    let mut engine = Engine::new(sc.op, sc.items.clone(), Map::new(), config);
    let mut singles = if run_no == 1 { singles::plan(sc.kind, sc.singles, &settings, rng) } else { Vec::new() };
    if run_no == 1 && sc.singles > 0 {
        singles.extend(singles::walks(sc.singles / 4 + 1, &mut service.present, &settings, rng));
    }
    for s in &singles {
        clock.at(s.start_ms, Event::Wake);
    }
    // Single calls in flight: id -> (which, a write, sent at).
    let mut singles_in_flight: HashMap<u64, (usize, bool, f64)> = HashMap::new();
    if let Some(p) = prior {
        engine.resume(&p.replay).expect("own journal");
    }
    let index: HashMap<(String, String), u64> = sc.items.iter().map(pair_and_key).collect();
    let mut in_flight: HashMap<u64, (String, bool, Vec<u64>, f64)> = HashMap::new();
    // A new process learns anew, and counts its tries anew (but for the items whose outcome
    // the journal kept: their tries were the killed run's).
    obs.first_60007 = None;
    let kept = |k: &u64, _: &mut u32| prior.is_some_and(|p| p.done.contains(k));
    obs.write_failures.retain(kept);
    obs.read_failures.retain(kept);
    obs.limited.retain(kept);
    let mut wake_set: Option<f64> = None;
    let mut steps = 0u64;
    loop {
        steps += 1;
        journal.extend(engine.take_journal());
        let poll = engine.poll(*now);
        if steps > 5_000_000 {
            panic!("no end in sight at {now} ms: {poll:?}, {:?}", engine.progress());
        }
        journal.extend(engine.take_journal());
        let engine_done = matches!(poll, Poll::Done);
        match poll {
            Poll::Send(req) => {
                let body: Value = serde_json::from_str(&req.body).expect("bodies are JSON");
                let from = body["From_Account"].as_str().unwrap().to_owned();
                if !obs.busy.insert((run_no, from.clone())) {
                    obs.violations.push(format!("two calls in flight for {from}"));
                }
                obs.starts.entry(req.command).or_default().push(*now);
                let write = req.command == sc.op.command;
                let targets: Vec<String> = match body.get("AddFriendItem") {
                    Some(items) => items.as_array().unwrap().iter().map(|i| i["To_Account"].as_str().unwrap().to_owned()).collect(),
                    None => body["To_Account"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_owned()).collect(),
                };
                let indices: Vec<u64> = targets.iter().map(|t| index[&(from.clone(), t.clone())]).collect();
                if write {
                    for (t, &i) in targets.iter().zip(&indices) {
                        *obs.writes.entry(i).or_default() += 1;
                        let key = (from.clone(), t.clone());
                        let earlier_run_sent = prior.is_some_and(|p| p.sent_pairs.contains(&key));
                        if service.changed.contains(&key) && !obs.unknown.contains(&i) && !earlier_run_sent {
                            obs.violations.push(format!("item {key:?} written again after it was applied, with no unknown outcome seen"));
                        }
                        if prior.is_some_and(|p| p.done.contains(&i)) {
                            obs.violations.push(format!("item {key:?} sent again after the journal recorded its outcome"));
                        }
                    }
                }
                let up = 0.5 + sc.faults.max_latency_ms * rng.unit();
                let down = 0.5 + sc.faults.max_latency_ms * rng.unit();
                clock.at(*now + up, Event::Arrive { run: run_no, id: req.id, command: req.command, body, down });
                clock.at(*now + TIMEOUT_MS, Event::Deliver { run: run_no, id: req.id, answer: Wire::Timeout });
                in_flight.insert(req.id, (from, write, indices, *now));
                continue;
            }
            Poll::Done if singles.iter().all(|s| s.result.is_some()) => {
                obs.violations.extend(singles::check(&singles, service));
                obs.singles += singles.len();
                let (walks, read) = singles::walked(&singles);
                obs.walks += walks;
                obs.walks_read += read;
                let handed = engine.handed();
                let all = engine.finish_all();
                // What `settled` handed over during the run is the report's start, unchanged.
                assert_eq!(obs.settled.len(), handed, "settled handed over every item up to its count");
                assert!(obs.settled.iter().zip(&all).all(|(a, b)| a == b), "a settled item's report changed before the end");
                obs.settled.clear();
                return Some(all);
            }
            Poll::Wait(t) => {
                if wake_set.is_none_or(|w| w > t || w <= *now) {
                    clock.at(t.max(*now), Event::Wake);
                    wake_set = Some(t);
                }
            }
            Poll::Idle | Poll::Done => {}
        }
        for (k, s) in singles.iter_mut().enumerate() {
            if s.result.is_some() || s.start_ms > *now {
                continue;
            }
            loop {
                match s.call.poll(*now, rng.next() as u32) {
                    Step::Send(a) => {
                        let name = a.path.rsplit('/').next().unwrap_or_default();
                        let command = Command::from_wire(name).expect("one of the 15").wire_name();
                        obs.starts.entry(command).or_default().push(*now);
                        let body: Value = serde_json::from_str(&a.body).expect("bodies are JSON");
                        let up = 0.5 + sc.faults.max_latency_ms * rng.unit();
                        let down = 0.5 + sc.faults.max_latency_ms * rng.unit();
                        clock.at(*now + up, Event::Arrive { run: run_no, id: a.id, command, body, down });
                        clock.at(*now + TIMEOUT_MS, Event::Deliver { run: run_no, id: a.id, answer: Wire::Timeout });
                        singles_in_flight.insert(a.id, (k, command == sc.op.command, *now));
                    }
                    Step::Wait(t) => {
                        if t.is_finite() && s.wake.is_none_or(|w| w > t || w <= *now) {
                            clock.at(t.max(*now), Event::Wake);
                            s.wake = Some(t);
                        }
                        break;
                    }
                    // A walk's page: the next page goes out as its own call.
                    Step::Done(Ok(page)) if s.next_page(&page) => {}
                    Step::Done(result) => {
                        s.result = Some(result);
                        break;
                    }
                }
            }
        }
        // The last single call just ended after the run: the next poll returns.
        if engine_done && singles.iter().all(|s| s.result.is_some()) {
            continue;
        }
        // Advance to the next event.
        let Some((t, event)) = clock.pop() else {
            let waiting: Vec<&singles::Single> = singles.iter().filter(|s| s.result.is_none()).collect();
            panic!("simulation stalled at {now} ms: nothing scheduled; engine {:?}; single calls not done: {waiting:#?}", engine.progress())
        };
        assert!(t + 1e-9 >= *now, "time went backwards");
        *now = t;
        if let Some(kill) = sc.kill_at {
            if run_no == 1 && *now >= kill {
                // SIGKILL: the process and its replies vanish; requests on the wire still arrive.
                if let Event::Arrive { command, body, down, .. } = &event {
                    let _ = service.handle(command, body, *now, *down, &sc.faults, rng);
                }
                obs.settled.clear();
                return None;
            }
        }
        match event {
            Event::Wake => wake_set = None,
            Event::Arrive { run, id, command, body, down } => {
                if let Outcome::Reply(at, answer) = service.handle(command, &body, *now, down, &sc.faults, rng) {
                    clock.at(at, Event::Deliver { run, id, answer });
                }
            }
            Event::Deliver { run, id, answer } => {
                if run != run_no {
                    continue;
                }
                if let Some((k, write, sent)) = singles_in_flight.remove(&id) {
                    note_60007(obs, &answer, sent, *now);
                    let single = &mut singles[k];
                    single.unknown |= write && answer.answer().unknown_outcome();
                    single.call.answer(id, *now, answer.reply(), rng.unit());
                    single.wake = None;
                    continue;
                }
                // The first of reply and timeout wins; the other finds nothing in flight.
                let Some((from, write, indices, sent)) = in_flight.remove(&id) else { continue };
                note_60007(obs, &answer, sent, *now);
                let answer = answer.answer();
                tally_tries(obs, &index, &from, write, &indices, &answer);
                obs.busy.remove(&(run_no, from));
                if write && answer.unknown_outcome() {
                    obs.unknown.extend(indices.iter().copied());
                }
                engine.answer(id, *now, answer, rng.unit());
                let next: Vec<ItemReport> = engine.settled(1).into_iter().cloned().collect();
                obs.settled.extend(next);
            }
        }
    }
}

/// Once a 60007 has reached the client, its budget has adapted: no call sent after that may be
/// over the rate, whichever way the service counts.
fn note_60007(obs: &mut Observed, answer: &Wire, sent: f64, now: f64) {
    if matches!(answer, Wire::Api(60007, _)) {
        if obs.first_60007.is_some_and(|first| sent > first) {
            obs.violations.push(format!("a call sent at {sent} ms was answered 60007 after the client learned of one at {:?} ms", obs.first_60007));
        }
        obs.first_60007.get_or_insert(now);
    }
}

/// Counts the failed tries of each item of a call that ended with `answer`.
fn tally_tries(obs: &mut Observed, index: &HashMap<(String, String), u64>, from: &str, write: bool, keys: &[u64], answer: &Answer) {
    let tally = if write { &mut obs.write_failures } else { &mut obs.read_failures };
    match answer {
        Answer::Api(60007, _) => keys.iter().for_each(|&k| *obs.limited.entry(k).or_default() += 1),
        Answer::Reply(rows) if write => {
            for row in rows.iter().filter(|r| item_retryable(r.code)) {
                let to = row.to_account.clone().expect("the simulated service names each item");
                *tally.entry(index[&(from.to_owned(), to)]).or_default() += 1;
            }
        }
        Answer::Reply(_) => {}
        _ => keys.iter().for_each(|&k| *tally.entry(k).or_default() += 1),
    }
}

fn check_seed(seed: u64, obs_total: &mut Observed) -> u64 {
    let mut rng = Rng(seed.wrapping_mul(7919) + 1);
    let (sc, mut service) = scenario(seed, &mut rng);
    let mut clock = Clock::default();
    let mut now = 0.0;
    let mut journal = Vec::new();
    let mut obs = Observed::default();
    let mut reports = run(1, &sc, &mut service, &mut clock, &mut now, &mut journal, None, &mut obs, &mut rng);
    let mut prior = None;
    let (mut sc, mut edited) = (sc, BTreeSet::new());
    if reports.is_none() {
        // A torn last line, as a kill in the middle of a write leaves.
        let mut text = journal.join("\n");
        text.push_str("\n{\"done\":{\"index\":");
        let r = Replay::parse(&text);
        // Replies of the killed run are gone; its requests still on the wire were delivered above
        // or arrive now, before the new run starts.
        while let Some((t, e)) = clock.pop() {
            now = now.max(t);
            if let Event::Arrive { command, body, down, .. } = e {
                let _ = service.handle(command, &body, now, down, &sc.faults, &mut rng);
            }
        }
        let sent: BTreeSet<u64> = r.sent.iter().copied().collect();
        let done: BTreeSet<u64> = r.done.iter().map(|(k, _)| *k).collect();
        let sent_pairs = sc.items.iter().map(pair_and_key).filter(|(_, k)| sent.contains(k)).map(|(p, _)| p).collect();
        if seed % 8 == 7 {
            // The user edits the input before resuming. One recorded row stays as it was.
            let keep = sc.items.iter().position(|it| sent.contains(&pair_and_key(it).1)).expect("the first call is on record");
            (sc, edited) = edit::edit(&sc, keep, &mut Rng(seed ^ 0xED17));
        }
        let p = Prior { replay: r, sent, done, sent_pairs };
        if seed % 8 == 7 {
            obs_total.edited_runs += 1;
            obs_total.kept += sc.items.iter().filter(|it| p.done.contains(&pair_and_key(it).1)).count();
        }
        reports = run(2, &sc, &mut service, &mut clock, &mut now, &mut journal, Some(&p), &mut obs, &mut rng);
        prior = Some(p);
    }
    let reports = reports.expect("the resumed run finishes");
    let fail = |m: String| panic!("seed {seed} ({:?}, faults {:?}): {m}", sc.kind, sc.faults);

    // Exactly one outcome per item of the (final) input, and recorded once in the journal.
    assert_eq!(reports.len(), sc.items.len());
    let mut recorded: BTreeMap<u64, u32> = BTreeMap::new();
    for (key, _) in Replay::parse(&journal.join("\n")).done {
        *recorded.entry(key).or_default() += 1;
    }
    let keys: Vec<u64> = sc.items.iter().map(|it| pair_and_key(it).1).collect();
    let earlier_sent = |key: u64| prior.as_ref().is_some_and(|p| p.sent.contains(&key));
    for (k, r) in reports.iter().enumerate() {
        if r.index != k {
            fail(format!("report {k} has index {}", r.index));
        }
        if !["ok", "pending", "already", "failed", "unknown"].contains(&r.outcome.as_str()) {
            fail(format!("item {k}: outcome {:?}", r.outcome));
        }
        if recorded.get(&keys[k]) != Some(&1) {
            fail(format!("item {k} recorded {:?} times in the journal", recorded.get(&keys[k])));
        }
    }
    if let Some(v) = obs.violations.first() {
        fail(v.clone());
    }
    let want_present = sc.kind.wants_present();
    for (k, r) in reports.iter().enumerate() {
        let (key, id) = (pair_and_key(&sc.items[k]).0, keys[k]);
        let in_place = service.present.contains(&key) == want_present;
        // Whatever this run changed is reported as done. (An edited row is another item: when
        // the killed run applied its old text, "already done" is its true answer.)
        if service.changed.contains(&key) && !edited.contains(&key) && r.outcome.as_str() != "ok" && r.outcome.as_str() != "unknown" {
            fail(format!("item {k} was applied by the service but reported {r:?}"));
        }
        // Nothing reported ok or already is missing.
        if matches!(r.outcome.as_str(), "ok" | "already") && !in_place {
            fail(format!("item {k} reported {:?} but the service does not have it: {r:?}", r.outcome));
        }
        // `already` only for what was in place before the run and that this run did not change
        // (an edited row is another item: the killed run may have put its pair in place).
        if r.outcome.as_str() == "already" && !edited.contains(&key) && (service.changed.contains(&key) || service.initial.contains(&key) != want_present) {
            fail(format!("item {k} reported already, but this run put it in place: {r:?}"));
        }
        if r.reconciled && !obs.unknown.contains(&id) && !earlier_sent(id) {
            fail(format!("item {k} reconciled without an unknown outcome: {r:?}"));
        }
        // Already in place before the run and never in doubt: "already done" is `already`.
        let was_there = service.initial.contains(&key) == want_present;
        if was_there && !obs.unknown.contains(&id) && !earlier_sent(id) && r.code.is_some_and(|c| c == 30001 || c == 31704) && !said_already(r) {
            fail(format!("item {k} was already in place and answered so on a sure attempt, yet reported {r:?}"));
        }
        if r.outcome.as_str() == "unknown" {
            obs.unknown_outcomes += 1;
            if !obs.unknown.contains(&id) && !earlier_sent(id) {
                fail(format!("item {k} reported unknown without an unknown outcome"));
            }
        }
        if r.reconciled {
            obs.reconciled += 1;
        }
        // Nothing failed or unknown that the service could have answered within the tries:
        // `failed` is a refusal (the poisoned pairs) or tries used up, and says which;
        // `unknown` needs every read of the item to fail.
        let count = |m: &BTreeMap<u64, u32>| m.get(&id).copied().unwrap_or(0);
        let (writes_failed, reads_failed, limited) = (count(&obs.write_failures), count(&obs.read_failures), count(&obs.limited));
        let out_of_tries = writes_failed > Config::default().item_retries.min(RETRIES) || reads_failed > RETRIES || limited > RATE_LIMITED_TRIES;
        if r.outcome.as_str() == "failed" && !service.poisoned.contains(&key) && !out_of_tries {
            fail(format!("item {k} failed after {writes_failed} failed writes and {reads_failed} failed reads: the service could have answered it: {r:?}"));
        }
        if r.outcome.as_str() == "failed" && r.info.as_deref().is_none_or(str::is_empty) {
            fail(format!("item {k} failed without saying why: {r:?}"));
        }
        if r.outcome.as_str() == "unknown" && reads_failed <= RETRIES && limited <= RATE_LIMITED_TRIES {
            fail(format!("item {k} unknown after only {reads_failed} failed reads: {r:?}"));
        }
    }
    // No window over the rate, per command.
    for (command, starts) in &obs.starts {
        let mut s = starts.clone();
        s.sort_by(f64::total_cmp);
        for i in 0..s.len() {
            let n = s[i..].iter().take_while(|&&t| t < s[i] + 1000.0).count();
            if n > RATE as usize {
                fail(format!("{n} starts of {command} in the second after {} ms", s[i]));
            }
        }
    }
    obs_total.unknown_outcomes += obs.unknown_outcomes;
    obs_total.reconciled += obs.reconciled;
    obs_total.singles += obs.singles;
    obs_total.walks += obs.walks;
    obs_total.walks_read += obs.walks_read;
    obs_total.writes.insert(seed, sc.items.len() as u32);
    if service.count_at_answer {
        if std::env::var("BULK_SIM_PEAK").is_ok() {
            for (command, list) in &service.arrivals {
                let peak = (0..list.len()).map(|i| list[i..].iter().take_while(|&&t| t < list[i] + 1000.0).count()).max().unwrap_or(0);
                eprintln!("seed {seed}: {command} peaked at {peak} counted calls in a second ({} calls)", list.len());
            }
        }
        obs_total.rejected_at_answer += service.rejected_60007;
        return 0;
    }
    service.rejected_60007
}

/// Whether an item answered "already done" on a sure attempt is reported as such: `already`, or
/// `failed` with its code when every read that could tell was lost (this run changed nothing).
fn said_already(r: &ItemReport) -> bool {
    r.outcome.as_str() == "already" || (r.outcome.as_str() == "failed" && r.info.as_deref().is_some_and(|i| i.contains("could not check")))
}

#[test]
fn the_engine_keeps_its_promises_over_many_seeds() {
    let mut total = Observed::default();
    let mut rejected = 0;
    let seeds = std::env::var("BULK_SIM_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(SEEDS);
    for seed in 0..seeds {
        if std::env::var("BULK_SIM_TRACE").is_ok() {
            eprintln!("seed {seed}");
        }
        rejected += check_seed(seed, &mut total);
    }
    let items: u64 = total.writes.values().map(|&n| n as u64).sum();
    println!(
        "{seeds} seeds, {items} items, {} reconciled, {} unknown, {rejected} answers of 60007 counting at arrival, {} counting at answering",
        total.reconciled, total.unknown_outcomes, total.rejected_at_answer
    );
    println!("{} single calls and walks of the same client shared the runs' budgets; {} of {} walks read every page", total.singles, total.walks_read, total.walks);
    assert!(seeds < 8 || total.singles > 0 && total.walks_read > 0, "no single calls or walks were made");
    println!("{} runs resumed over an edited input kept {} recorded outcomes", total.edited_runs, total.kept);
    // Resumes over edited input happen, and keep outcomes (the identity matching is exercised).
    assert!(seeds < 8 || total.edited_runs > 0 && total.kept > 0, "{} edited resumes kept {}", total.edited_runs, total.kept);
    // The service counts arrivals in a strict sliding second; the budget counts each call as
    // late as its reply allows, so however the latency spreads, none is over the rate.
    assert_eq!(rejected, 0, "answers of 60007");
    // The faults make reconciliation happen; a simulation where it never does tests nothing.
    assert!(total.reconciled > 100, "only {} items reconciled", total.reconciled);
    // Unknown needs every try and every read of an item lost.
    assert!((total.unknown_outcomes as u64) * 1000 < items, "{} unknown outcomes of {items}", total.unknown_outcomes);
}
