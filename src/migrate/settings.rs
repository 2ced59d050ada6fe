//! The options of a migration run over many users (`exportUsers`, `diffUsers`,
//! `restoreUsers`): their defaults and rules, so that the JS executor only applies them.

use crate::validate::{self, Path, Violations};
use serde::Serialize;
use serde_json::Value;

/// Users in flight by default for an export or a diff: a user's export takes one round trip
/// (its three reads go at once). The rate budget, not this number, paces the calls; the number
/// only bounds memory.
pub const EXPORT_USERS_IN_FLIGHT: u64 = 16;
/// Users in flight by default for a restore: a user takes two round trips or more (the reads,
/// then each kind of write), so twice as many keep the budget supplied with calls.
pub const RESTORE_USERS_IN_FLIGHT: u64 = 32;
/// Most accounts one `multiaccount_import` takes.
pub const ACCOUNT_IMPORT_CAP: u64 = 100;
/// Records whose accounts a restore with `createAccounts` imports together, by default.
pub const DEFAULT_BATCH_SIZE: u64 = 100;
/// The largest `batchSize` (the records of a batch are held in memory).
pub const MAX_BATCH_SIZE: u64 = 100_000;
/// The most users in flight an option may ask for.
pub const MAX_USERS_IN_FLIGHT: u64 = 1000;

/// Which run the options are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    /// `exportUsers` and `diffUsers`.
    Export,
    /// `restoreUsers`.
    Restore,
}

/// What the executor applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// Users in flight.
    pub concurrency: u64,
    /// Records whose accounts are imported together (restores with `createAccounts`).
    #[serde(rename = "batchSize")]
    pub batch_size: u64,
    /// Accounts per `multiaccount_import` call.
    #[serde(rename = "accountsPerCall")]
    pub accounts_per_call: u64,
}

/// The settings of `options` (an object, or absent) for `run`: every broken rule at once, each
/// naming its field (`options.concurrency`). Other members belong to the calls and are left
/// to them.
pub fn settings(run: Run, options: &Value) -> Result<Settings, Violations> {
    let root = Path::named("options");
    let mut out = Violations::new();
    let given = |key: &str| options.get(key).filter(|v| !v.is_null());
    let concurrency_default = if run == Run::Restore { RESTORE_USERS_IN_FLIGHT } else { EXPORT_USERS_IN_FLIGHT };
    let concurrency = given("concurrency").map_or(Some(concurrency_default), |v| validate::uint(v, 1, MAX_USERS_IN_FLIGHT, &root.key("concurrency"), &mut out));
    let batch_size = given("batchSize").map_or(Some(DEFAULT_BATCH_SIZE), |v| validate::uint(v, 1, MAX_BATCH_SIZE, &root.key("batchSize"), &mut out));
    match (concurrency, batch_size) {
        (Some(concurrency), Some(batch_size)) if out.is_empty() => Ok(Settings { concurrency, batch_size, accounts_per_call: ACCOUNT_IMPORT_CAP }),
        _ => Err(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_per_run_and_the_bounds_both_sides() {
        let s = |concurrency, batch_size| Ok(Settings { concurrency, batch_size, accounts_per_call: 100 });
        assert_eq!(settings(Run::Export, &Value::Null), s(16, 100));
        assert_eq!(settings(Run::Restore, &json!({})), s(32, 100));
        assert_eq!(settings(Run::Restore, &json!({ "concurrency": 1, "batchSize": 1, "dryRun": true })), s(1, 1));
        assert_eq!(settings(Run::Export, &json!({ "concurrency": 1000, "batchSize": 100000 })), s(1000, 100000));
        let bad = settings(Run::Restore, &json!({ "concurrency": 0, "batchSize": 100001 })).unwrap_err().to_string();
        assert!(bad.contains("options.concurrency") && bad.contains("options.batchSize"), "{bad}");
        let bad = settings(Run::Export, &json!({ "concurrency": "8x" })).unwrap_err().to_string();
        assert!(bad.contains("options.concurrency must be an integer"), "{bad}");
        assert!(settings(Run::Export, &json!({ "concurrency": 2.5 })).is_err());
    }
}
