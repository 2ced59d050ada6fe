//! The neighbouring calls a setup script makes first: account import, check and delete
//! (`v4/im_open_login_svc/*`) and reading or setting `Tag_Profile_IM_AllowType`
//! (`v4/profile/portrait_*`).

use super::Emulator;
use super::reply::{Reply, fail, ok};
use super::state::AllowType;
use serde_json::{Map, Value, json};

fn ids(list: Option<&Value>, key: &str) -> Vec<String> {
    list.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().or_else(|| v.get(key).and_then(Value::as_str))).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// `account_import`: `{ UserID }`.
pub fn import(emu: &mut Emulator, body: &Map<String, Value>) -> Reply {
    match body.get("UserID").and_then(Value::as_str) {
        Some(id) if !id.is_empty() && id.len() <= 32 => {
            emu.accounts.entry(id.to_owned()).or_default();
            ok(Map::new())
        }
        _ => fail(70402, "UserID must be a string of 1 to 32 bytes"),
    }
}

/// Most accounts one `multiaccount_import` takes (Tencent's "import multiple accounts" page).
const MULTI_IMPORT_CAP: usize = 100;

/// `multiaccount_import`: `{ Accounts: [id, ...] }`, 1 to 100 strings; a body of another shape
/// is refused whole, as the service does (70402, invalid parameter). A string that is not a
/// valid UserID fails alone, in `FailAccounts`.
pub fn multi_import(emu: &mut Emulator, body: &Map<String, Value>) -> Reply {
    let well_formed = body.get("Accounts").and_then(Value::as_array).is_some_and(|a| (1..=MULTI_IMPORT_CAP).contains(&a.len()) && a.iter().all(Value::is_string));
    if !well_formed {
        return fail(70402, "Accounts must be an array of 1 to 100 UserID strings");
    }
    let mut failed = Vec::new();
    for id in ids(body.get("Accounts"), "UserID") {
        if id.is_empty() || id.len() > 32 {
            failed.push(id);
        } else {
            emu.accounts.entry(id).or_default();
        }
    }
    let mut fields = Map::new();
    fields.insert("FailAccounts".into(), json!(failed));
    ok(fields)
}

/// `account_check`: `{ CheckItem: [{ UserID }] }`.
pub fn check(emu: &mut Emulator, body: &Map<String, Value>) -> Reply {
    let results: Vec<Value> = ids(body.get("CheckItem"), "UserID")
        .into_iter()
        .map(|id| {
            let status = if emu.accounts.contains_key(&id) { "Imported" } else { "NotImported" };
            json!({ "UserID": id, "ResultCode": 0, "ResultInfo": "", "AccountStatus": status })
        })
        .collect();
    let mut fields = Map::new();
    fields.insert("ResultItem".into(), Value::Array(results));
    ok(fields)
}

/// `account_delete`: `{ DeleteItem: [{ UserID }] }`; the deleted account leaves every chain.
pub fn delete(emu: &mut Emulator, body: &Map<String, Value>) -> Reply {
    let mut results = Vec::new();
    for id in ids(body.get("DeleteItem"), "UserID") {
        let existed = emu.accounts.remove(&id).is_some();
        for account in emu.accounts.values_mut() {
            account.remove_friend(&id);
            account.blocked.retain(|(b, _)| *b != id);
            account.pending_from.remove(&id);
        }
        results.push(json!({ "UserID": id, "ResultCode": if existed { 0 } else { 70107 }, "ResultInfo": "" }));
    }
    let mut fields = Map::new();
    fields.insert("ResultItem".into(), Value::Array(results));
    ok(fields)
}

/// `portrait_set`: only `Tag_Profile_IM_AllowType` matters here; other tags are accepted.
pub fn portrait_set(emu: &mut Emulator, body: &Map<String, Value>) -> Reply {
    let Some(id) = body.get("From_Account").and_then(Value::as_str) else { return fail(40001, "From_Account is required") };
    let Some(account) = emu.accounts.get_mut(id) else { return fail(40003, "account not imported") };
    for item in body.get("ProfileItem").and_then(Value::as_array).into_iter().flatten() {
        if item.get("Tag").and_then(Value::as_str) == Some("Tag_Profile_IM_AllowType") {
            match item.get("Value").and_then(Value::as_str).and_then(AllowType::from_wire) {
                Some(t) => account.allow_type = t,
                None => return fail(40001, "unknown AllowType value"),
            }
        }
    }
    ok(Map::new())
}

/// `portrait_get`: `Tag_Profile_IM_AllowType` of the listed users.
pub fn portrait_get(emu: &mut Emulator, body: &Map<String, Value>) -> Reply {
    let items: Vec<Value> = ids(body.get("To_Account"), "UserID")
        .into_iter()
        .map(|id| match emu.accounts.get(&id) {
            Some(a) => json!({ "To_Account": id, "ProfileItem": [{ "Tag": "Tag_Profile_IM_AllowType", "Value": a.allow_type.wire() }], "ResultCode": 0, "ResultInfo": "" }),
            None => json!({ "To_Account": id, "ResultCode": 40003, "ResultInfo": "account not imported" }),
        })
        .collect();
    let mut fields = Map::new();
    fields.insert("UserProfileItem".into(), Value::Array(items));
    ok(fields)
}
