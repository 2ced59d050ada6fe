//! The friend-list endpoints (`group_add`, `group_delete`, `group_get`).

use super::Emulator;
use super::reply::{Reply, fail, items, ok, result};
use super::state::MAX_LISTS;
use serde_json::{Map, Value, json};

fn names(body: &Map<String, Value>, key: &str) -> Vec<String> {
    body.get(key).and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect()).unwrap_or_default()
}

/// `group_add`: new lists, optionally with friends in all of them.
pub fn add(emu: &mut Emulator, from: &str, body: &Map<String, Value>) -> Reply {
    let new = names(body, "GroupName");
    let me = emu.accounts.get_mut(from).expect("exists");
    // Creating an existing list: unconfirmed; answered 30001, as the FAQ does for similar cases.
    if new.iter().any(|n| me.lists.contains(n)) {
        return fail(30001, "group name already exists");
    }
    if me.lists.len() + new.len() > MAX_LISTS {
        return fail(30011, "too many friend lists (32)");
    }
    me.lists.extend(new.iter().cloned());
    me.list_sequence += 1;
    let mut fields = Map::new();
    if body.contains_key("To_Account") {
        let mut results = Vec::new();
        for to in names(body, "To_Account") {
            let code = match me.friend_mut(&to) {
                Some(f) => {
                    f.groups.extend(new.iter().cloned());
                    0
                }
                None => 32216,
            };
            results.push(result(&to, code));
        }
        fields.insert("CurrentSequence".into(), json!(me.list_sequence));
        return items("ResultItem", results, fields);
    }
    fields.insert("CurrentSequence".into(), json!(me.list_sequence));
    ok(fields)
}

/// `group_delete`: the lists go, the friendships stay.
pub fn delete(emu: &mut Emulator, from: &str, body: &Map<String, Value>) -> Reply {
    let gone = names(body, "GroupName");
    let me = emu.accounts.get_mut(from).expect("exists");
    if let Some(missing) = gone.iter().find(|n| !me.lists.contains(n)) {
        return fail(30001, &format!("group name {missing} does not exist"));
    }
    me.lists.retain(|n| !gone.contains(n));
    for (_, f) in me.friends.iter_mut() {
        f.groups.retain(|g| !gone.contains(g));
    }
    me.list_sequence += 1;
    let mut fields = Map::new();
    fields.insert("CurrentSequence".into(), json!(me.list_sequence));
    ok(fields)
}

/// `group_get`: every list (or the named ones) with its size, members when asked.
pub fn get(emu: &mut Emulator, from: &str, body: &Map<String, Value>) -> Reply {
    let me = &emu.accounts[from];
    let wanted = names(body, "GroupName");
    let members = body.get("NeedFriend").and_then(Value::as_str) == Some("Need_Friend_Type_Yes");
    let lists: Vec<Value> = me
        .lists
        .iter()
        .filter(|n| wanted.is_empty() || wanted.contains(n))
        .map(|n| {
            let who: Vec<&String> = me.friends.iter().filter(|(_, f)| f.groups.contains(n)).map(|(id, _)| id).collect();
            let mut item = json!({ "GroupName": n, "FriendNumber": who.len() });
            if members {
                item["To_Account"] = json!(who);
            }
            item
        })
        .collect();
    let mut fields = Map::new();
    fields.insert("ResultItem".into(), Value::Array(lists));
    fields.insert("CurrentSequence".into(), json!(me.list_sequence));
    ok(fields)
}
