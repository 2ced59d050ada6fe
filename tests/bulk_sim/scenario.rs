//! One seed's scenario: the operation and its input, the faults, whether the run is killed, the
//! single calls beside it, and the simulated service's starting state.

use super::Rng;
use super::service::{Faults, Kind, Service};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};
use tim_sns::client::bulk::Operation;

#[derive(Clone)]
pub struct Scenario {
    pub kind: Kind,
    pub op: Operation,
    pub items: Vec<(String, Value)>,
    pub faults: Faults,
    pub kill_at: Option<f64>,
    /// Single calls the same client makes during the run (seeds that are not killed).
    pub singles: usize,
}

pub fn scenario(seed: u64, rng: &mut Rng) -> (Scenario, Service) {
    let kind = match seed % 3 {
        0 => Kind::Import,
        1 => Kind::Delete,
        _ => Kind::Block,
    };
    // Small caps make many calls, so the throttle and the window are exercised. The seeds
    // where the service counts at answering send one item a call from many users: enough calls
    // to press on the rate, or the budget's learning is never put to the test.
    let at_answer = seed % 10 == 9;
    let cap = if at_answer { 1 } else { 1 + rng.below(8) as usize };
    let op = match kind {
        Kind::Import => Operation { command: "friend_import", items_field: "AddFriendItem", cap },
        Kind::Delete => Operation { command: "friend_delete", items_field: "To_Account", cap },
        Kind::Block => Operation { command: "black_list_add", items_field: "To_Account", cap },
    };
    let users = if at_answer { 300 + rng.below(100) } else { 1 + rng.below(40) };
    let mut items = Vec::new();
    let mut initial = BTreeSet::new();
    let mut poisoned = BTreeSet::new();
    for u in 0..users {
        for j in 0..(1 + rng.below(if at_answer { 6 } else { 30 })) {
            let (from, to) = (format!("u{u}"), format!("t{j}"));
            // Import and block: 10% already there. Delete: 90% there to delete.
            let there = if kind == Kind::Delete { rng.chance(0.9) } else { rng.chance(0.1) };
            if there {
                initial.insert((from.clone(), to.clone()));
            } else if rng.chance(0.03) {
                poisoned.insert((from.clone(), to.clone()));
            }
            let item = if kind == Kind::Import { json!({ "To_Account": to, "AddSource": "AddSource_Type_Sim" }) } else { json!(to) };
            items.push((from, item));
        }
    }
    let heavy = rng.chance(0.5);
    let scale = if heavy { 0.1 } else { 0.03 };
    let faults = Faults {
        http502: scale * rng.unit(),
        hang: scale * 0.5 * rng.unit(),
        req30006: scale * rng.unit(),
        req30008: scale * rng.unit(),
        lost: scale * 1.5 * rng.unit(),
        cut: scale * 0.5 * rng.unit(),
        item30008: scale * 0.5 * rng.unit(),
        max_latency_ms: 1.0 + 300.0 * rng.unit(),
    };
    let kill_at = (seed % 4 == 3).then(|| 50.0 + 3000.0 * rng.unit());
    let singles = if kill_at.is_none() && kind.wants_present() && seed % 2 == 0 { 10 + rng.below(40) as usize } else { 0 };
    let service = Service {
        kind,
        present: initial.clone(),
        initial,
        changed: BTreeSet::new(),
        arrivals: HashMap::new(),
        not_friend_code: if rng.chance(0.5) { 31704 } else { 30001 },
        poisoned,
        rejected_60007: 0,
        count_at_answer: at_answer,
        proc_ms: if at_answer { 20.0 + 200.0 * rng.unit() } else { 0.0 },
    };
    (Scenario { kind, op, items, faults, kill_at, singles }, service)
}
