//! Edits made to a scenario's input between a killed run and its resume, as a user editing a
//! CSV would: a row added, a row removed, rows re-ordered, one row's remark changed.

use super::{Kind, Rng, Scenario};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// An edited copy of `sc`'s input and the (user, target) pairs whose row text changed. Row
/// `keep` (one the journal records) is neither removed nor changed, so the journal still has
/// an item of the input (a journal with none is refused: tested on its own).
pub fn edit(sc: &Scenario, keep: usize, rng: &mut Rng) -> (Scenario, BTreeSet<(String, String)>) {
    let mut items: Vec<(bool, (String, Value))> = sc.items.iter().cloned().map(|it| (false, it)).collect();
    let mut edited = BTreeSet::new();
    items[keep].0 = true;
    // At least one edit of the four, each in about half the seeds.
    let edits = 1 + rng.below(15);
    if edits & 1 != 0 {
        let from = items[rng.below(items.len() as u64) as usize].1.0.clone();
        let to = format!("n{}", rng.below(1000));
        let item = if sc.kind == Kind::Import { json!({ "To_Account": to, "AddSource": "AddSource_Type_Sim" }) } else { json!(to) };
        // A new target name: no row of the input has it (those are t<j>).
        items.insert(rng.below(items.len() as u64 + 1) as usize, (false, (from, item)));
    }
    if edits & 2 != 0 {
        let at = rng.below(items.len() as u64) as usize;
        if !items[at].0 {
            items.remove(at);
        }
    }
    if edits & 4 != 0 {
        for _ in 0..=items.len() / 3 {
            let (a, b) = (rng.below(items.len() as u64) as usize, rng.below(items.len() as u64) as usize);
            items.swap(a, b);
        }
    }
    if edits & 8 != 0 && sc.kind == Kind::Import {
        let at = rng.below(items.len() as u64) as usize;
        let (protected, (from, item)) = &mut items[at];
        if !*protected {
            item["Remark"] = json!("edited");
            edited.insert((from.clone(), item["To_Account"].as_str().unwrap_or_default().to_owned()));
        }
    }
    let items = items.into_iter().map(|(_, it)| it).collect();
    (Scenario { items, ..sc.clone() }, edited)
}
