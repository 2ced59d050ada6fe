//! The migration core for JS (the `tim-sns/migrate` entry, cargo feature `migrate`): the
//! export job, the diff and the restore writes of `crate::migrate`, converted. The glue in
//! `pkg-template/migrate/` sends the calls these ask for and nothing else.

use super::convert::{check_js_data, to_js};
use super::errors::validation_error;
use crate::migrate::diff::{UserDiff, diff_user};
use crate::migrate::export::UserExport;
use crate::migrate::format::{self, SnapshotHeader, UserRecord};
use crate::migrate::restore;
use crate::validate::{Path, Violations};
use serde::de::DeserializeOwned;
use tsify::Ts;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const MIGRATE_TYPES: &'static str = r#"
/** The next read of an export: the command and its body. */
export interface ExportCall { command: "friend_get" | "group_get" | "black_list_get"; body: Record<string, unknown>; }

/** The writes that bring one live user to its snapshot record, in the order they are sent. */
export interface RestoreWrites {
  From_Account: string;
  /** `group_add` bodies (lists, empty ones included), at most 32 names each. */
  groupAdd: { From_Account: string; GroupName: string[] }[];
  /** UserIDs for `black_list_add` (sent before friends: blocking removes a friendship both ways). */
  block: string[];
  /** Items for `friend_import`. */
  import: FriendImportItem[];
  /** Items for `friend_update`. */
  update: FriendUpdateItem[];
}
"#;

/// Reads a JS value into a core type; a value of the wrong shape is a `ValidationError` at `name`.
fn read<T: DeserializeOwned>(value: JsValue, name: &str) -> Result<T, JsValue> {
    let path = Path::named(name);
    check_js_data(value, &path, |json| {
        serde_json::from_value(json.clone()).map_err(|e| {
            let mut out = Violations::new();
            out.push(&path, "type", &format!("{name} is not valid: {e}"));
            out
        })
    })
    .map_err(validation_error)
}

/// The reads of one user's export as a job: `next()` gives the call to send, `take(reply)`
/// takes its reply (or `fail(code, info)` its failure) until `next()` gives `undefined`, then
/// `finish()` gives the record.
#[wasm_bindgen]
pub struct UserExportJob(Option<UserExport>);

#[wasm_bindgen]
impl UserExportJob {
    /// The export of `user`; `customTags` keeps only those `Tag_SNS_Custom_*` fields (default: all).
    #[wasm_bindgen(constructor)]
    pub fn new(user: String, #[wasm_bindgen(js_name = customTags)] custom_tags: Option<Vec<String>>) -> UserExportJob {
        UserExportJob(Some(UserExport::new(&user, custom_tags)))
    }

    /// The next call to send, or `undefined` when the record is complete.
    #[wasm_bindgen(unchecked_return_type = "ExportCall | undefined")]
    pub fn next(&self) -> JsValue {
        match self.0.as_ref().and_then(UserExport::next) {
            Some((command, body)) => to_js(&serde_json::json!({ "command": command.wire_name(), "body": body })),
            None => JsValue::UNDEFINED,
        }
    }

    /// Takes the reply of the call `next()` gave.
    pub fn take(&mut self, #[wasm_bindgen(unchecked_param_type = "unknown")] reply: JsValue) -> Result<(), JsValue> {
        let reply: serde_json::Value = read(reply, "reply")?;
        if let Some(job) = self.0.as_mut() {
            job.take(&reply);
        }
        Ok(())
    }

    /// Ends the export as failed: the call failed with `code` (0 when no reply came).
    pub fn fail(&mut self, code: u32, info: &str) {
        if let Some(job) = self.0.as_mut() {
            job.fail(code, info);
        }
    }

    /// The record (complete, or with its `Error`); the job is spent afterwards.
    pub fn finish(&mut self) -> Ts<UserRecord> {
        let record = self.0.take().map(UserExport::finish).unwrap_or_default();
        Ts::new_unchecked(to_js(&record))
    }
}

/// The header line of a snapshot of `sdkAppId` taken at `now` (Unix seconds, default now).
#[wasm_bindgen(js_name = snapshotHeader)]
pub fn snapshot_header(#[wasm_bindgen(js_name = sdkAppId)] sdk_app_id: f64, now: Option<f64>) -> Ts<SnapshotHeader> {
    let now = now.map_or_else(super::now_seconds, |n| n.max(0.0) as u64);
    Ts::new_unchecked(to_js(&SnapshotHeader::new(sdk_app_id.max(0.0) as u64, now)))
}

/// Reads a snapshot's first line; throws a `ValidationError` for another format or a newer version.
#[wasm_bindgen(js_name = parseSnapshotHeader)]
pub fn parse_snapshot_header(line: &str) -> Result<Ts<SnapshotHeader>, JsValue> {
    format::parse_header(line).map(|h| Ts::new_unchecked(to_js(&h))).map_err(|e| line_error(&e.0))
}

/// Reads one record line of a snapshot; `lineNo` (1-based) names it in the error.
#[wasm_bindgen(js_name = parseSnapshotRecord)]
pub fn parse_snapshot_record(line: &str, #[wasm_bindgen(js_name = lineNo)] line_no: usize) -> Result<Ts<UserRecord>, JsValue> {
    format::parse_record(line, line_no).map(|r| Ts::new_unchecked(to_js(&r))).map_err(|e| line_error(&e.0))
}

fn line_error(message: &str) -> JsValue {
    let mut out = Violations::new();
    out.push(&Path::named("snapshot"), "format", message);
    validation_error(out)
}

/// How a live user differs from its snapshot record: missing, extra and different friends,
/// lists and blocks. Times the snapshot does not carry are not differences.
#[wasm_bindgen(js_name = diffUser)]
pub fn diff_user_js(snapshot: Ts<UserRecord>, live: Ts<UserRecord>) -> Result<Ts<UserDiff>, JsValue> {
    let snapshot: UserRecord = read(snapshot.into(), "snapshot")?;
    let live: UserRecord = read(live.into(), "live")?;
    Ok(Ts::new_unchecked(to_js(&diff_user(&snapshot, &live))))
}

/// True when a diff has nothing to write (extras are never deleted by a restore).
#[wasm_bindgen(js_name = diffHasWrites)]
pub fn diff_has_writes(diff: Ts<UserDiff>) -> Result<bool, JsValue> {
    let diff: UserDiff = read(diff.into(), "diff")?;
    Ok(diff.has_writes())
}

/// The writes that resolve a diff.
#[wasm_bindgen(js_name = restoreWrites, unchecked_return_type = "RestoreWrites")]
pub fn restore_writes(diff: Ts<UserDiff>) -> Result<JsValue, JsValue> {
    let diff: UserDiff = read(diff.into(), "diff")?;
    let w = restore::writes(&diff);
    Ok(to_js(&serde_json::json!({
        "From_Account": w.from_account, "groupAdd": w.group_add, "block": w.block, "import": w.import, "update": w.update,
    })))
}

/// Every account a record names (the user, its friends, the users it blocks).
#[wasm_bindgen(js_name = recordAccounts)]
pub fn record_accounts(record: Ts<UserRecord>) -> Result<Vec<String>, JsValue> {
    let record: UserRecord = read(record.into(), "record")?;
    Ok(restore::accounts(&record).into_iter().collect())
}
