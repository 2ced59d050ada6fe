//! `POST v4/sns/friend_import`: write one-way friend entries with their full data (times,
//! several lists, custom fields), without approval (Tencent's "Importing Friends" page:
//! <https://www.tencentcloud.com/document/product/1047/34903>).
//!
//! Limits: `AddFriendItem` 1..=1000; `GroupName` is an array here (≤ 32 names of 1..=30 bytes; `[]` means none);
//! `CustomItem` tags `Tag_SNS_Custom_` + 1..=8 letters with a string (≤ 500 bytes) or integer.

use super::common::*;
use crate::validate::schema::{Cap, Field, Rule};
use super::types::{Envelope, ResultItem, TagValue};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// One `CustomItem` / custom `SnsItem`: a declared custom tag and its value.
pub const CUSTOM_ITEM: Rule = Rule::Object(&[Field::req("Tag", CUSTOM_TAG), Field::req("Value", CUSTOM_VALUE)]);

/// Request fields.
pub const REQUEST: &[Field] = &[
    Field::req("From_Account", Rule::UserId),
    Field::req(
        "AddFriendItem",
        Rule::List {
            item: &Rule::Object(&[
                Field::req("To_Account", Rule::UserId),
                Field::opt("Remark", REMARK),
                Field::opt("RemarkTime", UNIX_TIME),
                // `[]` means no lists (not set); each name given must still be 1..=30 bytes.
                Field::opt("GroupName", GROUP_NAMES_OR_NONE),
                Field::req("AddSource", ADD_SOURCE),
                Field::opt("AddWording", ADD_WORDING),
                Field::opt("AddTime", UNIX_TIME),
                Field::opt("CustomItem", Rule::List { item: &CUSTOM_ITEM, min: 0, max: None, unique: false }),
            ]),
            min: 1,
            max: Some(Cap::Hard(1000)),
            unique: false,
        },
    ),
];

/// Response fields besides the envelope.
pub const RESPONSE: &[Field] = &[Field::opt("ResultItem", RESULT_ITEMS), Field::opt("Fail_Account", ACCOUNT_LIST)];

/// `friend_import` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct FriendImportRequest {
    /// The user whose friend list is written: a UserID of 1 to 32 bytes.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The friends to import: 1 to 1000.
    #[serde(rename = "AddFriendItem")]
    pub add_friend_item: Vec<FriendImportItem>,
}

/// One friend of `friend_import`.
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct FriendImportItem {
    /// The friend: a UserID of 1 to 32 bytes.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// Remark: at most 96 UTF-8 bytes.
    #[serde(rename = "Remark", default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// When the remark was set, Unix seconds.
    #[serde(rename = "RemarkTime", default, skip_serializing_if = "Option::is_none")]
    pub remark_time: Option<u64>,
    /// Friend lists (an array here): at most 32 names of 1 to 30 UTF-8 bytes; `[]` means none.
    #[serde(rename = "GroupName", default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<Vec<String>>,
    /// Where the friendship came from: `AddSource_Type_` followed by 1 to 8 ASCII letters.
    #[serde(rename = "AddSource")]
    #[tsify(type = "`AddSource_Type_${string}`")]
    pub add_source: String,
    /// Greeting: at most 256 UTF-8 bytes.
    #[serde(rename = "AddWording", default, skip_serializing_if = "Option::is_none")]
    pub add_wording: Option<String>,
    /// When the friendship was formed, Unix seconds.
    #[serde(rename = "AddTime", default, skip_serializing_if = "Option::is_none")]
    pub add_time: Option<u64>,
    /// Custom friend fields declared in the console.
    #[serde(rename = "CustomItem", default, skip_serializing_if = "Option::is_none")]
    pub custom_item: Option<Vec<CustomItem>>,
}

/// A custom friend field: `Tag_SNS_Custom_` + 1 to 8 letters, and a string (at most 500 bytes) or integer.
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct CustomItem {
    /// `Tag_SNS_Custom_` followed by 1 to 8 ASCII letters.
    #[serde(rename = "Tag")]
    #[tsify(type = "`Tag_SNS_Custom_${string}`")]
    pub tag: String,
    /// A string of at most 500 UTF-8 bytes, or an integer.
    #[serde(rename = "Value")]
    #[tsify(type = "string | number")]
    pub value: TagValue,
}

/// `friend_import` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct FriendImportResponse {
    /// The common envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// One result per friend.
    #[serde(rename = "ResultItem")]
    pub result_item: Vec<ResultItem>,
    /// Friends whose ResultCode is not 0.
    #[serde(rename = "Fail_Account")]
    pub fail_account: Vec<String>,
}
