//! The blocklist endpoints. Blocking a friend ends the friendship both ways.

use super::Emulator;
use super::events::{self, Pairs};
use super::reply::{Reply, items, ok, plain_items, result};
use super::state::MAX_BLOCKED;
use serde_json::{Map, Value, json};

fn targets(body: &Map<String, Value>) -> Vec<String> {
    body.get("To_Account").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect()).unwrap_or_default()
}

/// `black_list_add`.
pub fn add(emu: &mut Emulator, from: &str, body: &Map<String, Value>, now: u64) -> Reply {
    let mut results = Vec::new();
    let (mut blocked, mut unfriended) = (Pairs::new(), Pairs::new());
    for to in targets(body) {
        let me = &emu.accounts[from];
        let code = if !emu.accounts.contains_key(&to) {
            30003
        } else if to == from || me.blocks(&to) {
            30001
        } else if me.blocked.len() >= MAX_BLOCKED {
            30013
        } else {
            let me = emu.accounts.get_mut(from).expect("exists");
            me.blocked.push((to.clone(), now));
            me.black_sequence += 1;
            if me.remove_friend(&to) {
                unfriended.push((from.to_owned(), to.clone()));
            }
            if emu.accounts.get_mut(&to).expect("exists").remove_friend(from) {
                unfriended.push((to.clone(), from.to_owned()));
            }
            blocked.push((from.to_owned(), to.clone()));
            0
        };
        results.push((to, code));
    }
    // Blocking a friend also ends the friendship: the service reports that as a delete.
    events::pair_list(emu, events::BLACK_LIST_ADD, &blocked);
    events::pair_list(emu, events::FRIEND_DELETE, &unfriended);
    plain_items("ResultItem", &results)
}

/// `black_list_delete`.
pub fn delete(emu: &mut Emulator, from: &str, body: &Map<String, Value>) -> Reply {
    let mut results = Vec::new();
    let mut unblocked = Pairs::new();
    for to in targets(body) {
        let me = emu.accounts.get_mut(from).expect("exists");
        let code = if me.blocks(&to) {
            me.blocked.retain(|(id, _)| *id != to);
            me.black_sequence += 1;
            unblocked.push((from.to_owned(), to.clone()));
            0
        } else {
            30001
        };
        results.push((to, code));
    }
    events::pair_list(emu, events::BLACK_LIST_DELETE, &unblocked);
    plain_items("ResultItem", &results)
}

/// `black_list_get`: `StartIndex` of the next page, or 0 when done; the misspelt sequence name.
pub fn get(emu: &mut Emulator, from: &str, body: &Map<String, Value>) -> Reply {
    let me = &emu.accounts[from];
    let start = body.get("StartIndex").and_then(Value::as_u64).unwrap_or(0) as usize;
    let size = body.get("MaxLimited").and_then(Value::as_u64).unwrap_or(100).max(1) as usize;
    let end = (start + size).min(me.blocked.len());
    let page: Vec<Value> = me.blocked.get(start..end).unwrap_or_default().iter().map(|(to, t)| json!({ "To_Account": to, "AddBlackTimeStamp": t })).collect();
    let mut fields = Map::new();
    fields.insert("BlackListItem".into(), Value::Array(page));
    fields.insert("StartIndex".into(), json!(if end >= me.blocked.len() { 0 } else { end }));
    fields.insert("CurruentSequence".into(), json!(me.black_sequence));
    ok(fields)
}

/// `black_list_check`.
pub fn check(emu: &mut Emulator, from: &str, body: &Map<String, Value>) -> Reply {
    let both = body.get("CheckType").and_then(Value::as_str) == Some("BlackCheckResult_Type_Both");
    let mut results = Vec::new();
    for to in targets(body) {
        let a = emu.accounts[from].blocks(&to);
        let b = emu.accounts.get(&to).is_some_and(|t| t.blocks(from));
        let relation = match (both, a, b) {
            (true, true, true) => "BlackCheckResult_Type_BothWay",
            (_, true, _) => "BlackCheckResult_Type_AWithB",
            (true, false, true) => "BlackCheckResult_Type_BWithA",
            _ => "BlackCheckResult_Type_NO",
        };
        let mut r = result(&to, 0);
        r["Relation"] = json!(relation);
        results.push(r);
    }
    items("BlackListCheckItem", results, Map::new())
}
