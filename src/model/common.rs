//! Field rules shared by several endpoints, and the response envelope. The friend fields' rules
//! are on Tencent's "Relationship Chain Management" page:
//! <https://www.tencentcloud.com/document/product/1047/33521>.

use crate::validate::schema::{Cap, Field, Rule};

/// Most UserIDs in one `To_Account` array.
pub const MAX_ACCOUNTS: usize = 1000;

/// `To_Account`: 1..=1000 UserIDs, duplicates discouraged.
pub const ACCOUNTS: Rule = Rule::List { item: &Rule::UserId, min: 1, max: Some(Cap::Hard(MAX_ACCOUNTS)), unique: true };
/// `AddSource`: `AddSource_Type_` + 1..=8 ASCII letters.
pub const ADD_SOURCE: Rule = Rule::Keyword { prefix: "AddSource_Type_", max: 8 };
/// `Remark` / `Tag_SNS_IM_Remark`: at most 96 bytes.
pub const REMARK: Rule = Rule::Bytes { min: 0, max: 96 };
/// `AddWording`: at most 256 bytes.
pub const ADD_WORDING: Rule = Rule::Bytes { min: 0, max: 256 };
/// One friend-list name: 1..=30 bytes.
pub const GROUP_NAME: Rule = Rule::Bytes { min: 1, max: 30 };
/// The optional single list name of a `friend_add` item: `""` means "not set" (widely used
/// third-party clients send `"GroupName": ""` in every item by default), else 1..=30 bytes.
pub const GROUP_NAME_OR_UNSET: Rule = Rule::Bytes { min: 0, max: 30 };
/// An array of friend-list names: 1..=32, duplicates discouraged.
pub const GROUP_NAMES: Rule = Rule::List { item: &GROUP_NAME, min: 1, max: Some(Cap::Hard(32)), unique: true };
/// An array of 0..=32 list names (`[]`: no lists), duplicates discouraged: `friend_import`'s
/// optional `GroupName` and `friend_update`'s `Tag_SNS_IM_Group` value.
pub const GROUP_NAMES_OR_NONE: Rule = Rule::List { item: &GROUP_NAME, min: 0, max: Some(Cap::Hard(32)), unique: true };
/// A custom friend field: `Tag_SNS_Custom_` + 1..=8 ASCII letters.
pub const CUSTOM_TAG: Rule = Rule::Keyword { prefix: "Tag_SNS_Custom_", max: 8 };
/// A Unix time in seconds.
pub const UNIX_TIME: Rule = Rule::UInt { min: 0, max: u64::MAX };
/// A sequence number.
pub const SEQUENCE: Rule = Rule::UInt { min: 0, max: u64::MAX };

/// Fields every response carries. Only `ErrorCode` is required: older or proxied replies that
/// carry `ErrorCode` but no `ActionStatus` are read by `ErrorCode` alone.
pub const ENVELOPE: [Field; 5] = [
    Field::opt("ActionStatus", Rule::Enum(&["OK", "FAIL"])),
    Field::req("ErrorCode", Rule::UInt { min: 0, max: u64::MAX }),
    Field::opt("ErrorInfo", Rule::Bytes { min: 0, max: usize::MAX }),
    Field::opt("ErrorDisplay", Rule::Bytes { min: 0, max: usize::MAX }),
    Field::opt("RequestId", Rule::Bytes { min: 0, max: usize::MAX }),
];

/// A response array of any length whose items follow `item` (responses are never capped).
pub const fn list_of(item: &'static Rule) -> Rule {
    Rule::List { item, min: 0, max: None, unique: false }
}

/// A string of any length (response text fields).
pub const TEXT: Rule = Rule::Bytes { min: 0, max: usize::MAX };
/// An integer code (`ResultCode`).
pub const CODE: Rule = Rule::UInt { min: 0, max: u64::MAX };
/// A list of UserIDs in a response (`Fail_Account`, `Invalid_Account`, group members).
pub const ACCOUNT_LIST: Rule = Rule::List { item: &TEXT, min: 0, max: None, unique: false };
/// The common per-target result item.
pub const RESULT_ITEMS: Rule = list_of(&Rule::Object(&[
        Field::req("To_Account", TEXT),
        Field::req("ResultCode", CODE),
        Field::opt("ResultInfo", TEXT),
    ]));

/// A custom friend field's value: a string of at most 500 bytes, or an integer (the official
/// friend_import sample sends `0`, although the field rules mention only strings).
pub const CUSTOM_VALUE: Rule = Rule::Custom(custom_value);

fn custom_value(v: &serde_json::Value, path: &crate::validate::Path, opts: &crate::validate::schema::Options, out: &mut crate::validate::Violations) {
    match v {
        serde_json::Value::Number(_) => crate::validate::schema::check(v, &Rule::UInt { min: 0, max: u64::MAX }, path, opts, out),
        serde_json::Value::String(_) => crate::validate::schema::check(v, &Rule::Bytes { min: 0, max: 500 }, path, opts, out),
        other => out.push(path, "type", format!("{path} must be a string or an integer, got {}", crate::validate::kind(other))),
    }
}

/// Tag/Value items in responses: the value is a number, a string or a string array, decided by
/// its JSON kind, never by the tag (custom and profile tags are open-ended).
pub const TAG_VALUES: Rule = list_of(&Rule::Object(&[Field::req("Tag", TEXT), Field::req("Value", Rule::Custom(tag_value))]));

fn tag_value(v: &serde_json::Value, path: &crate::validate::Path, _: &crate::validate::schema::Options, out: &mut crate::validate::Violations) {
    use serde_json::Value;
    let ok = match v {
        Value::Number(_) | Value::String(_) => true,
        Value::Array(items) => items.iter().all(Value::is_string),
        _ => false,
    };
    if !ok {
        out.push(path, "type", format!("{path} must be a number, a string or an array of strings, got {}", crate::validate::kind(v)));
    }
}
