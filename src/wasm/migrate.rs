//! The migration core for JS (the Node build, cargo feature `migrate`): one user's export
//! (`SnsClient.exportUser`, whose reads this file sends), the diff and the restore writes of
//! `crate::migrate`, converted. The glue in `pkg-template/node/migrate.js` runs them over many
//! users and sends the writes.

use super::client::{CallSettings, Inner, Prepared, SnsClient, get, send_value};
use super::convert::{check_js_data, to_js};
use super::errors::{is_api_error, validation_error};
use super::promise;
use js_sys::{Array, Promise};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen_futures::JsFuture;
use crate::migrate::diff::{UserDiff, diff_user};
use crate::migrate::export::{Read, UserExport};
use crate::migrate::format::{self, SnapshotHeader, UserRecord};
use crate::migrate::{restore, settings};
use crate::validate::{Path, Violations};
use serde::de::DeserializeOwned;
use tsify::Ts;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const MIGRATE_TYPES: &'static str = r#"
/** Options of `exportUser`, `exportUsers` and of the reads of `diffUsers` and `restoreUsers`. */
export interface ExportOptions {
  /** Keep only these `Tag_SNS_Custom_*` fields (default: every custom field the service returns). */
  customTags?: string[];
  /** Users worked on at once by `exportUsers` and `diffUsers` (default 16) and `restoreUsers` (default 32); the client's rate budget still bounds the calls per second. */
  concurrency?: number;
  /** Per-call settings for the reads. */
  call?: Omit<CallOptions, "signal">;
}

/** What a restore does for one user (`planRestoreUser`). */
export interface RestorePlan {
  /** The user. */
  From_Account: string;
  /** The account does not exist on the target; the record was compared with an empty chain. */
  missing: boolean;
  /** The live user could not be read (other than 30003); nothing is planned. */
  liveError?: RecordError;
  /** The writes, when anything needs writing. */
  writes?: RestoreWrites;
}

/** The writes that bring one live user to its snapshot record, in the order they are sent. */
export interface RestoreWrites {
  /** The user. */
  From_Account: string;
  /** `group_add` bodies (lists, empty ones included), at most 32 names each. */
  groupAdd: GroupAddRequest[];
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
            out.push(&path, "type", format!("{name} is not valid: {e}"));
            out
        })
    })
    .map_err(validation_error)
}

#[wasm_bindgen]
impl SnsClient {
    /// Reads one user's whole relationship chain (every friend page, the lists, every
    /// blocklist page) into a record. A failed read (a user the service does not know: 30003)
    /// ends the record with its `Error` instead of rejecting. `options.concurrency` is not used
    /// here (see `exportUsers`).
    ///
    /// The three reads run at once, as the core's export job allows (`crate::migrate::export`),
    /// each through the client's call engine and rate budget. They run inside the wasm core, so
    /// no reply becomes a JS object: only the record does.
    #[wasm_bindgen(js_name = exportUser, unchecked_return_type = "Promise<UserRecord>")]
    pub fn export_user(
        &self,
        #[wasm_bindgen(js_name = userId)] user_id: String,
        #[wasm_bindgen(unchecked_optional_param_type = "ExportOptions")] options: JsValue,
    ) -> Promise {
        let inner = self.inner();
        let setup = export_setup(self, &options);
        promise(async move {
            let (custom_tags, settings) = setup?;
            Ok(to_js(&export_record(inner, &user_id, custom_tags, settings).await?))
        })
    }

    /// What a restore does for one snapshot record on this client's app: reads the live user
    /// (as `exportUser` does, with the same options, but only the reads that can change the
    /// plan: the lists when the record has lists, the blocks when it has blocks), compares it
    /// with the record and plans the writes, in the core. Resolves to `{ From_Account, missing, liveError?, writes? }`:
    /// `missing` when the account does not exist (it is then compared with an empty chain),
    /// `liveError` when it could not be read otherwise (nothing is planned), `writes` when
    /// anything needs writing. `restoreUsers` sends the writes.
    #[wasm_bindgen(js_name = planRestoreUser, unchecked_return_type = "Promise<RestorePlan>")]
    pub fn plan_restore_user(&self, record: Ts<UserRecord>, #[wasm_bindgen(unchecked_optional_param_type = "ExportOptions")] options: JsValue) -> Promise {
        let inner = self.inner();
        let setup = export_setup(self, &options).and_then(|s| Ok((s, read::<UserRecord>(record.into(), "record")?)));
        promise(async move {
            let ((custom_tags, settings), record) = setup?;
            let job = UserExport::only(&record.from_account, custom_tags, &restore::reads_for(&record));
            let live = run_export(inner, job, settings).await?;
            let plan = restore::plan(&record, &live);
            let mut out = serde_json::json!({ "From_Account": record.from_account, "missing": plan.missing });
            if let Some(e) = plan.failed {
                out["liveError"] = serde_json::json!({ "code": e.code, "info": e.info });
            }
            if let Some(w) = &plan.writes {
                out["writes"] = writes_json(w);
            }
            Ok(to_js(&out))
        })
    }
}

/// One user's record: the reads of the core's export job, the three at once.
async fn export_record(inner: Rc<Inner>, user: &str, custom_tags: Option<Vec<String>>, settings: CallSettings) -> Result<UserRecord, JsValue> {
    run_export(inner, UserExport::new(user, custom_tags), settings).await
}

/// Sends the reads of an export job, its reads at once.
async fn run_export(inner: Rc<Inner>, job: UserExport, settings: CallSettings) -> Result<UserRecord, JsValue> {
    let job = Rc::new(RefCell::new(job));
    let settings = Rc::new(settings);
    let reads = Array::new();
    for read in Read::ALL {
        let (inner, job, settings) = (Rc::clone(&inner), Rc::clone(&job), Rc::clone(&settings));
        reads.push(&promise(async move {
            send_read(&inner, &job, &settings, read).await;
            Ok(JsValue::UNDEFINED)
        }));
    }
    JsFuture::from(Promise::all(&reads)).await?;
    let job = Rc::try_unwrap(job).map_err(|_| JsValue::from_str("export still in use"))?.into_inner();
    Ok(job.finish())
}

/// Sends one read of an export, page after page, until the job has no call of it left.
async fn send_read(inner: &Inner, job: &RefCell<UserExport>, settings: &CallSettings, read: Read) {
    loop {
        let Some((command, body)) = job.borrow_mut().next_of(read) else { return };
        let call = Prepared { command: command.wire_name().to_owned(), path: command.path(), known: Some(command), body: body.to_string() };
        match send_value(inner, &call, settings).await {
            Ok(reply) => job.borrow_mut().take(read, &reply),
            Err(e) => {
                let code = if is_api_error(&e) { get(&e, "errorCode").as_f64().unwrap_or(0.0) as u32 } else { 0 };
                let info = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default();
                job.borrow_mut().fail(code, &info);
            }
        }
    }
}

/// The custom tags and call settings of `exportUser`'s options.
fn export_setup(client: &SnsClient, options: &JsValue) -> Result<(Option<Vec<String>>, CallSettings), JsValue> {
    let tags = get(options, "customTags");
    let custom_tags = if tags.is_undefined() || tags.is_null() { None } else { Some(read::<Vec<String>>(tags, "options.customTags")?) };
    Ok((custom_tags, client.settings(&get(options, "call"))?))
}

/// The settings of a migration run over many users (`run`: "export" or "restore") from its
/// options, as the core decides them (`crate::migrate::settings`): `{ concurrency,
/// accountChunk }`, or a `ValidationError` naming the option. Used by the `exportUsers`,
/// `diffUsers` and `restoreUsers` executors.
#[wasm_bindgen(js_name = migrationSettings, skip_typescript)]
pub fn migration_settings(run: &str, options: &JsValue) -> Result<JsValue, JsValue> {
    let run = if run == "restore" { settings::Run::Restore } else { settings::Run::Export };
    // Only the members these settings read: the rest (hooks, signals) belong to the calls.
    let own = js_sys::Object::new();
    for key in ["concurrency", "batchSize"] {
        let _ = js_sys::Reflect::set(&own, &JsValue::from_str(key), &get(options, key));
    }
    let settings = check_js_data(own.into(), &Path::named("options"), |json| settings::settings(run, json)).map_err(validation_error)?;
    Ok(to_js(&settings))
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
    Ok(to_js(&writes_json(&restore::writes(&diff))))
}

/// A user's writes as JS sees them (`RestoreWrites`).
fn writes_json(w: &restore::UserWrites) -> serde_json::Value {
    serde_json::json!({ "From_Account": w.from_account, "groupAdd": w.group_add, "block": w.block, "import": w.import, "update": w.update })
}

/// Every account a record names (the user, its friends, the users it blocks).
#[wasm_bindgen(js_name = recordAccounts)]
pub fn record_accounts(record: Ts<UserRecord>) -> Result<Vec<String>, JsValue> {
    let record: UserRecord = read(record.into(), "record")?;
    Ok(restore::accounts(&record).into_iter().collect())
}
