//! The JSON Schema of a snapshot line (src/migrate/format.rs), generated from the Rust types
//! and kept in `docs/snapshot.schema.json` (shipped in the package as
//! `snapshot.schema.json`). Any change to the format shows up in review. Regenerate
//! with `UPDATE_SNAPSHOTS=1 cargo test --test snapshot_schema`.

#![allow(dead_code)]

use std::path::Path;
use tim_sns::migrate::format::{self, SnapshotHeader, UserRecord};

/// One line of a snapshot: the header (line 1) or a user record (every other line).
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
enum SnapshotLine {
    /// Line 1.
    Header(SnapshotHeader),
    /// Lines 2 and on.
    Record(UserRecord),
}

fn schema() -> String {
    let mut schema = serde_json::to_value(schemars::schema_for!(SnapshotLine)).unwrap();
    schema["title"] = "tim-sns snapshot line".into();
    schema["description"] = format!(
        "A snapshot is JSON Lines: line 1 is a header with format \"{}\" and version {}, then one user record a line.",
        format::FORMAT,
        format::VERSION
    )
    .into();
    serde_json::to_string_pretty(&schema).unwrap() + "\n"
}

#[test]
fn the_snapshot_schema_matches_the_committed_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/snapshot.schema.json");
    let now = schema();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &now).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == now, "docs/snapshot.schema.json is out of date: run UPDATE_SNAPSHOTS=1 cargo test --test snapshot_schema");
}

#[test]
fn the_schema_names_every_record_field() {
    let s = schema();
    for field in ["From_Account", "Friends", "Lists", "Blocklist", "Error", "AddSource", "RemarkTime", "CustomItem", "AddBlackTimeStamp", "sdkAppId", "exportedAt"] {
        assert!(s.contains(&format!("\"{field}\"")), "{field} missing from the schema");
    }
}
