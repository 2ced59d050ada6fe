//! The friend endpoints (`friend_*`).

use super::Emulator;
use super::events::{self, Pairs};
use super::reply::{Reply, fail, items, ok, plain_items, result};
use super::state::{Account, AllowType, Friend, MAX_FRIENDS, FRIEND_PAGE};
use serde_json::{Map, Value, json};
use std::collections::HashSet;

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn accounts_of(body: &Map<String, Value>) -> Vec<String> {
    body.get("To_Account").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect()).unwrap_or_default()
}

/// Makes sure each list exists for `owner`; false when that would exceed 32 lists.
fn ensure_lists(emu: &mut Emulator, owner: &str, names: &[String]) -> bool {
    emu.accounts.get_mut(owner).expect("checked by the caller").ensure_lists(names)
}

/// `friend_add`: two-way by default; targets needing approval get a pending request (30539).
/// The pairs created are sent as one `Sns.CallbackFriendAdd`.
pub fn add(emu: &mut Emulator, from: &str, body: &Map<String, Value>, now: u64) -> Reply {
    let both = body.get("AddType").and_then(Value::as_str) != Some("Add_Type_Single");
    let force = body.get("ForceAddFlags").and_then(Value::as_u64) == Some(1);
    let mut results = Vec::new();
    let mut pairs = Pairs::new();
    for item in body.get("AddFriendItem").and_then(Value::as_array).into_iter().flatten() {
        let to = str_of(item, "To_Account");
        let code = add_one(emu, from, to, item, both, force, now, &mut pairs);
        results.push((to, code));
    }
    let admin = emu.admin.clone();
    events::friend_add(emu, &pairs, from, "friend_add", &admin, force, events::Origin::Rest);
    plain_items("ResultItem", &results)
}

/// Adds `to` to `from`'s friends (and back when `both`), as `friend_add` and a client request
/// do; the directed pairs created go to `pairs`. Returns the item's result code.
#[allow(clippy::too_many_arguments)]
pub(super) fn add_one(emu: &mut Emulator, from: &str, to: &str, item: &Value, both: bool, force: bool, now: u64, pairs: &mut Pairs) -> u32 {
    let Some(target) = emu.accounts.get(to) else { return 30003 };
    let me = &emu.accounts[from];
    if to == from || me.friend(to).is_some() {
        return 30001;
    }
    if me.blocks(to) {
        return 30515;
    }
    if target.blocks(from) {
        return 30525;
    }
    if !force {
        match target.allow_type {
            AllowType::DenyAny => return 30516,
            AllowType::NeedConfirm => {
                emu.accounts.get_mut(to).expect("exists").pending_from.insert(from.to_owned());
                return 30539;
            }
            AllowType::AllowAny => {}
        }
    }
    if me.friends.len() >= MAX_FRIENDS {
        return 30010;
    }
    if both && target.friend(from).is_none() && target.friends.len() >= MAX_FRIENDS {
        return 30014;
    }
    // `"GroupName": ""` means no list, as the client's validator reads it.
    let group: Vec<String> = item.get("GroupName").and_then(Value::as_str).filter(|g| !g.is_empty()).map(|g| vec![g.to_owned()]).unwrap_or_default();
    if !ensure_lists(emu, from, &group) {
        return 30011;
    }
    let entry = Friend {
        add_source: str_of(item, "AddSource").to_owned(),
        remark: str_of(item, "Remark").to_owned(),
        groups: group,
        add_wording: str_of(item, "AddWording").to_owned(),
        add_time: now,
        remark_time: 0,
        custom: Default::default(),
    };
    let me = emu.accounts.get_mut(from).expect("exists");
    me.friends.push((to.to_owned(), entry.clone()));
    me.standard_sequence += 1;
    me.pending_from.remove(to);
    pairs.push((from.to_owned(), to.to_owned()));
    if both {
        let other = emu.accounts.get_mut(to).expect("exists");
        other.pending_from.remove(from);
        if other.friend(from).is_none() {
            other.friends.push((from.to_owned(), Friend { add_source: entry.add_source, add_time: now, ..Default::default() }));
            other.standard_sequence += 1;
            pairs.push((to.to_owned(), from.to_owned()));
        }
    }
    0
}

/// `friend_import`: one-way entries with their full data, no approval.
pub fn import(emu: &mut Emulator, from: &str, body: &Map<String, Value>, now: u64) -> Reply {
    let items = body.get("AddFriendItem").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    // The user's account is out of the map during the call: one lookup a call instead of
    // three an item, which were most of a 1000-item call.
    let Some(mut me) = emu.accounts.remove(from) else { return fail(30003, "From_Account does not exist") };
    // The user's friends as a set, once per call: a scan of the list per item made a
    // 1000-item call for a user with 2000 friends quadratic.
    let mut have: HashSet<String> = me.friends.iter().map(|(id, _)| id.clone()).collect();
    let mut results = Vec::with_capacity(items.len());
    for item in items {
        let to = str_of(item, "To_Account");
        let code = if to == from {
            30001
        } else if !emu.accounts.contains_key(to) {
            30003
        } else {
            import_one(&mut me, to, item, now, &mut have)
        };
        results.push((to, code));
    }
    emu.accounts.insert(from.to_owned(), me);
    plain_items("ResultItem", &results)
}

/// Imports one item into `me`, whose friends are the set `have` (kept up to date); `to` exists
/// and is not `me`.
fn import_one(me: &mut Account, to: &str, item: &Value, now: u64, have: &mut HashSet<String>) -> u32 {
    if have.contains(to) {
        return 30001;
    }
    if me.friends.len() >= MAX_FRIENDS {
        return 30010;
    }
    let groups: Vec<String> = item.get("GroupName").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect()).unwrap_or_default();
    if !me.ensure_lists(&groups) {
        return 30011;
    }
    let custom = item
        .get("CustomItem")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|c| (str_of(c, "Tag").to_owned(), c.get("Value").cloned().unwrap_or(Value::Null))).collect())
        .unwrap_or_default();
    me.friends.push((
        to.to_owned(),
        Friend {
            add_source: str_of(item, "AddSource").to_owned(),
            remark: str_of(item, "Remark").to_owned(),
            groups,
            add_wording: str_of(item, "AddWording").to_owned(),
            // `"AddTime": 0` (a default some clients send) means not set, like an absent one.
            add_time: item.get("AddTime").and_then(Value::as_u64).filter(|&t| t != 0).unwrap_or(now),
            remark_time: item.get("RemarkTime").and_then(Value::as_u64).unwrap_or(0),
            custom,
        },
    ));
    me.standard_sequence += 1;
    have.insert(to.to_owned());
    0
}

/// `friend_update`: remark, lists and custom fields of existing friends.
pub fn update(emu: &mut Emulator, from: &str, body: &Map<String, Value>) -> Reply {
    let mut results = Vec::new();
    for item in body.get("UpdateItem").and_then(Value::as_array).into_iter().flatten() {
        let to = str_of(item, "To_Account");
        let code = if emu.accounts[from].friend(to).is_none() {
            30001
        } else {
            let mut code = 0;
            for sns in item.get("SnsItem").and_then(Value::as_array).into_iter().flatten() {
                let tag = str_of(sns, "Tag");
                let value = sns.get("Value").cloned().unwrap_or(Value::Null);
                if tag == "Tag_SNS_IM_Group" {
                    let names: Vec<String> = value.as_array().map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect()).unwrap_or_default();
                    if !ensure_lists(emu, from, &names) {
                        code = 30011;
                        break;
                    }
                    emu.accounts.get_mut(from).and_then(|a| a.friend_mut(to)).expect("checked").groups = names;
                } else {
                    let account = emu.accounts.get_mut(from).expect("exists");
                    let friend = account.friend_mut(to).expect("checked");
                    if tag == "Tag_SNS_IM_Remark" {
                        friend.remark = value.as_str().unwrap_or_default().to_owned();
                    } else {
                        friend.custom.insert(tag.to_owned(), value);
                        account.custom_sequence += 1;
                    }
                }
            }
            emu.accounts.get_mut(from).expect("exists").standard_sequence += 1;
            code
        };
        results.push((to, code));
    }
    plain_items("ResultItem", &results)
}

/// `friend_delete`: one-way by default (assumed), both ways with `Delete_Type_Both`.
pub fn delete(emu: &mut Emulator, from: &str, body: &Map<String, Value>) -> Reply {
    let both = body.get("DeleteType").and_then(Value::as_str) == Some("Delete_Type_Both");
    let mut results = Vec::new();
    let mut pairs = Pairs::new();
    for to in accounts_of(body) {
        let removed = emu.accounts.get_mut(from).expect("exists").remove_friend(&to);
        if removed {
            pairs.push((from.to_owned(), to.clone()));
        }
        if removed && both && emu.accounts.get_mut(&to).is_some_and(|other| other.remove_friend(from)) {
            pairs.push((to.clone(), from.to_owned()));
        }
        let code = if removed { 0 } else { 31704 };
        results.push((to, code));
    }
    events::pair_list(emu, events::FRIEND_DELETE, &pairs);
    plain_items("ResultItem", &results)
}

/// `friend_delete_all`.
pub fn delete_all(emu: &mut Emulator, from: &str, body: &Map<String, Value>) -> Reply {
    let both = body.get("DeleteType").and_then(Value::as_str) == Some("Delete_Type_Both");
    let ids: Vec<String> = emu.accounts[from].friends.iter().map(|(id, _)| id.clone()).collect();
    let mut pairs = Pairs::new();
    for to in ids {
        emu.accounts.get_mut(from).expect("exists").remove_friend(&to);
        pairs.push((from.to_owned(), to.clone()));
        if both && emu.accounts.get_mut(&to).is_some_and(|other| other.remove_friend(from)) {
            pairs.push((to, from.to_owned()));
        }
    }
    events::pair_list(emu, events::FRIEND_DELETE, &pairs);
    ok(Map::new())
}

/// `friend_check`.
pub fn check(emu: &mut Emulator, from: &str, body: &Map<String, Value>) -> Reply {
    let both = body.get("CheckType").and_then(Value::as_str) == Some("CheckResult_Type_Both");
    let mut results = Vec::new();
    for to in accounts_of(body) {
        let a_with_b = emu.accounts[from].friend(&to).is_some();
        let b_with_a = emu.accounts.get(&to).is_some_and(|b| b.friend(from).is_some());
        let relation = match (both, a_with_b, b_with_a) {
            (true, true, true) => "CheckResult_Type_BothWay",
            (_, true, _) => "CheckResult_Type_AWithB",
            (true, false, true) => "CheckResult_Type_BWithA",
            _ => "CheckResult_Type_NoRelation",
        };
        let mut r = result(&to, 0);
        r["Relation"] = json!(relation);
        results.push(r);
    }
    items("InfoItem", results, Map::new())
}

fn value_items(f: &Friend) -> Vec<Value> {
    let mut v = vec![json!({ "Tag": "Tag_SNS_IM_AddSource", "Value": f.add_source })];
    if !f.remark.is_empty() {
        v.push(json!({ "Tag": "Tag_SNS_IM_Remark", "Value": f.remark }));
    }
    if !f.groups.is_empty() {
        v.push(json!({ "Tag": "Tag_SNS_IM_Group", "Value": f.groups }));
    }
    if !f.add_wording.is_empty() {
        v.push(json!({ "Tag": "Tag_SNS_IM_AddWording", "Value": f.add_wording }));
    }
    v.push(json!({ "Tag": "Tag_SNS_IM_AddTime", "Value": f.add_time }));
    if f.remark_time != 0 {
        v.push(json!({ "Tag": "Tag_SNS_IM_RemarkTime", "Value": f.remark_time }));
    }
    v.extend(f.custom.iter().map(|(tag, value)| json!({ "Tag": tag, "Value": value })));
    v
}

/// `friend_get`: pages of 100 friends in the order they were added.
pub fn get(emu: &mut Emulator, from: &str, body: &Map<String, Value>) -> Reply {
    let account = &emu.accounts[from];
    let start = body.get("StartIndex").and_then(Value::as_u64).unwrap_or(0) as usize;
    let end = (start + FRIEND_PAGE).min(account.friends.len());
    let page: Vec<Value> = account.friends.get(start..end).unwrap_or_default().iter().map(|(to, f)| json!({ "To_Account": to, "ValueItem": value_items(f) })).collect();
    let complete = end >= account.friends.len();
    let mut fields = Map::new();
    fields.insert("UserDataItem".into(), Value::Array(page));
    fields.insert("StandardSequence".into(), json!(account.standard_sequence));
    fields.insert("CustomSequence".into(), json!(account.custom_sequence));
    fields.insert("FriendNum".into(), json!(account.friends.len()));
    fields.insert("CompleteFlag".into(), json!(u8::from(complete)));
    fields.insert("NextStartIndex".into(), json!(if complete { 0 } else { end }));
    ok(fields)
}

/// `friend_get_list`: the requested friend tags (and AllowType) of listed friends.
pub fn get_list(emu: &mut Emulator, from: &str, body: &Map<String, Value>) -> Reply {
    let tags: Vec<String> = body.get("TagList").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect()).unwrap_or_default();
    let mut results = Vec::new();
    for to in accounts_of(body) {
        let Some(friend) = emu.accounts[from].friend(&to) else {
            results.push(result(&to, 30001));
            continue;
        };
        let mut fields: Vec<Value> = value_items(friend).into_iter().filter(|v| tags.iter().any(|t| v["Tag"] == json!(t))).collect();
        if tags.iter().any(|t| t == "Tag_Profile_IM_AllowType") {
            fields.push(json!({ "Tag": "Tag_Profile_IM_AllowType", "Value": emu.accounts[&to].allow_type.wire() }));
        }
        let mut r = result(&to, 0);
        r["SnsProfileItem"] = Value::Array(fields);
        results.push(r);
    }
    items("InfoItem", results, Map::new())
}
