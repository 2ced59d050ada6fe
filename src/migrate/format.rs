//! The snapshot format: JSON Lines, a header line, then one [`UserRecord`] a line.
//!
//! ```text
//! {"format":"tim-sns-snapshot","version":1,"sdkAppId":1400000000,"exportedAt":1764633600}
//! {"From_Account":"alice","Friends":[{"To_Account":"bob","AddSource":"AddSource_Type_Web",...}],"Lists":["Family"],"Blocklist":[]}
//! ```
//!
//! A friend is stored as the `friend_import` item that recreates it, so a record reads like
//! the calls that restore it. Readers accept fields they do not know (a later minor revision
//! may add some) but refuse a newer `version`, whose meaning they cannot know.

use crate::model::black_list_get::BlockedUser;
use crate::model::friend_import::FriendImportItem;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// The `format` value of a snapshot header.
pub const FORMAT: &str = "tim-sns-snapshot";
/// The format version this code writes and the newest it reads.
pub const VERSION: u32 = 1;

/// The first line of a snapshot.
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotHeader {
    /// Always `"tim-sns-snapshot"`.
    pub format: String,
    /// The format version, `1`.
    pub version: u32,
    /// The SDKAppID the users were exported from.
    pub sdk_app_id: u64,
    /// When the export started, Unix seconds.
    pub exported_at: u64,
}

impl SnapshotHeader {
    /// The header of a snapshot of `sdk_app_id` taken at `now`.
    pub fn new(sdk_app_id: u64, now: u64) -> Self {
        Self { format: FORMAT.into(), version: VERSION, sdk_app_id, exported_at: now }
    }
}

/// Why a user could not be exported: the failed read's code and text.
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct RecordError {
    /// The `ErrorCode` of the failed call (30003: the account does not exist), or 0 when the
    /// call did not reach the service.
    pub code: u32,
    /// What went wrong.
    pub info: String,
}

/// One user's relationship chain.
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Tsify)]
pub struct UserRecord {
    /// The user.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// Every friend, as the `friend_import` item that recreates it (remark and its time, lists,
    /// add source, wording and time, custom fields), in the order the service lists them.
    #[serde(rename = "Friends", default)]
    pub friends: Vec<FriendImportItem>,
    /// Every friend list of the user, empty ones included.
    #[serde(rename = "Lists", default)]
    pub lists: Vec<String>,
    /// The blocklist, with the times users were blocked.
    #[serde(rename = "Blocklist", default)]
    pub blocklist: Vec<BlockedUser>,
    /// Set when the user could not be exported; the other fields are then empty.
    #[serde(rename = "Error", default, skip_serializing_if = "Option::is_none")]
    pub error: Option<RecordError>,
}

/// A line of a snapshot that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError(pub String);

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads a header line; refuses another format or a newer version.
pub fn parse_header(line: &str) -> Result<SnapshotHeader, FormatError> {
    let header: SnapshotHeader =
        serde_json::from_str(line).map_err(|e| FormatError(format!("line 1 is not a snapshot header: {e}")))?;
    if header.format != FORMAT {
        return Err(FormatError(format!("line 1: format is \"{}\", expected \"{FORMAT}\"", header.format)));
    }
    if header.version == 0 || header.version > VERSION {
        return Err(FormatError(format!(
            "line 1: snapshot version {} is not supported (this version reads 1 to {VERSION})",
            header.version
        )));
    }
    Ok(header)
}

/// Reads one record line; `line_no` (1-based) names it in the error.
pub fn parse_record(line: &str, line_no: usize) -> Result<UserRecord, FormatError> {
    serde_json::from_str(line).map_err(|e| FormatError(format!("line {line_no} is not a user record: {e}")))
}

/// One line of JSON for a header or record (no newline).
pub fn to_line<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("snapshot types always serialize")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trips_and_refuses_other_formats_and_newer_versions() {
        let h = SnapshotHeader::new(1400000000, 1764633600);
        assert_eq!(parse_header(&to_line(&h)).unwrap(), h);
        assert!(parse_header(r#"{"format":"other","version":1,"sdkAppId":1,"exportedAt":0}"#).unwrap_err().0.contains("format"));
        assert!(parse_header(r#"{"format":"tim-sns-snapshot","version":2,"sdkAppId":1,"exportedAt":0}"#).unwrap_err().0.contains("version 2"));
        assert!(parse_header("{").is_err());
    }

    #[test]
    fn records_keep_unknown_fields_out_and_default_missing_lists() {
        let r = parse_record(r#"{"From_Account":"alice","Later":1}"#, 2).unwrap();
        assert_eq!(r.from_account, "alice");
        assert!(r.friends.is_empty() && r.lists.is_empty() && r.blocklist.is_empty());
        assert!(parse_record(r#"{"Friends":[]}"#, 7).unwrap_err().0.starts_with("line 7"));
    }
}
