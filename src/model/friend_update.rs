//! `POST v4/sns/friend_update`: change the remark, lists or custom fields of existing friends
//! (Tencent's "Updating Friends" page:
//! <https://tencentcloud.com/document/product/1047/34904>).
//! Only `Tag_SNS_IM_Remark`, `Tag_SNS_IM_Group` and `Tag_SNS_Custom_*` are updatable; each tag's
//! value has its own rule, checked here by tag.
//!
//! Limits: `UpdateItem` non-empty, soft cap 100 (server cap unconfirmed); `SnsItem` non-empty.

use super::common::*;
use crate::validate::schema::{self, Cap, Field, Options, Rule};
use crate::validate::{Path, Violations, rules};
use serde_json::Value;
use super::types::{Envelope, ResultItem, TagValue};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Request fields.
pub const REQUEST: &[Field] = &[
    Field::req("From_Account", Rule::UserId),
    Field::req(
        "UpdateItem",
        Rule::List {
            item: &Rule::Object(&[
                Field::req("To_Account", Rule::UserId),
                Field::req("SnsItem", Rule::List { item: &Rule::Custom(sns_item), min: 1, max: None, unique: false }),
            ]),
            min: 1,
            max: Some(Cap::Soft(100)),
            unique: false,
        },
    ),
];

/// Response fields besides the envelope. `Invalid_Account` is legacy.
pub const RESPONSE: &[Field] = &[
    Field::opt("ResultItem", RESULT_ITEMS),
    Field::opt("Fail_Account", ACCOUNT_LIST),
    Field::opt("Invalid_Account", ACCOUNT_LIST),
];

/// One `SnsItem`: the tag must be updatable and the value rule depends on the tag.
fn sns_item(v: &Value, path: &Path, opts: &Options, out: &mut Violations) {
    let Some(m) = rules::object(v, path, out) else { return };
    if opts.reject_unknown_fields {
        rules::no_unknown_fields(m, &["Tag", "Value"], path, out);
    }
    let tag = rules::required(m, "Tag", path, out).and_then(|t| rules::string(t, &path.key("Tag"), out));
    let Some(value) = rules::required(m, "Value", path, out) else { return };
    let at = path.key("Value");
    match tag {
        Some("Tag_SNS_IM_Remark") => schema::check(value, &REMARK, &at, opts, out),
        Some("Tag_SNS_IM_Group") => schema::check(value, &GROUP_NAMES_UPDATE, &at, opts, out),
        Some(t) if t.starts_with("Tag_SNS_Custom_") => {
            schema::keyword(t, "Tag_SNS_Custom_", 8, &path.key("Tag"), out);
            schema::check(value, &CUSTOM_VALUE, &at, opts, out);
        }
        Some(_) => out.push(
            &path.key("Tag"),
            "updatable-tag",
            format!("{} must be Tag_SNS_IM_Remark, Tag_SNS_IM_Group or Tag_SNS_Custom_<1-8 letters>", path.key("Tag")),
        ),
        None => {}
    }
}

/// `Tag_SNS_IM_Group` in an update sets the friend's lists; an empty array is taken to mean
/// "in no list" (lenient: the replace-vs-merge semantics are unconfirmed).
const GROUP_NAMES_UPDATE: Rule = GROUP_NAMES_OR_NONE;

/// `friend_update` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct FriendUpdateRequest {
    /// The user whose friends are updated: a UserID of 1 to 32 bytes.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The friends to update: at least one (a soft cap of 100 applies by default).
    #[serde(rename = "UpdateItem")]
    pub update_item: Vec<FriendUpdateItem>,
}

/// One friend of `friend_update`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct FriendUpdateItem {
    /// An existing friend: a UserID of 1 to 32 bytes.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// The fields to set: at least one.
    #[serde(rename = "SnsItem")]
    pub sns_item: Vec<SnsItem>,
}

/// One updatable friend field: the remark (string, at most 96 bytes), the lists (array of
/// names of 1 to 30 bytes, at most 32) or a custom field (string of at most 500 bytes, or integer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct SnsItem {
    /// `Tag_SNS_IM_Remark`, `Tag_SNS_IM_Group` or `Tag_SNS_Custom_` + 1 to 8 letters.
    #[serde(rename = "Tag")]
    #[tsify(type = "\"Tag_SNS_IM_Remark\" | \"Tag_SNS_IM_Group\" | `Tag_SNS_Custom_${string}`")]
    pub tag: String,
    /// The new value.
    #[serde(rename = "Value")]
    pub value: TagValue,
}

/// `friend_update` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct FriendUpdateResponse {
    /// The common envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// One result per friend.
    #[serde(rename = "ResultItem")]
    pub result_item: Vec<ResultItem>,
    /// Friends whose ResultCode is not 0.
    #[serde(rename = "Fail_Account")]
    pub fail_account: Vec<String>,
    /// Legacy field of older responses.
    #[serde(rename = "Invalid_Account")]
    pub invalid_account: Vec<String>,
}
