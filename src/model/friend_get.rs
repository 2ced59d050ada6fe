//! `POST v4/sns/friend_get`: page through all friends with their standard and custom friend
//! data (Tencent's "Pulling Friends" page:
//! <https://www.tencentcloud.com/document/product/1047/34908>).
//! Start at `StartIndex` 0; continue with `NextStartIndex` until `CompleteFlag` is non-zero.

use super::common::*;
use crate::validate::schema::{Field, Rule};
use super::types::{Envelope, TagValueItem};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Request fields. `CustomSequence` is optional (the newest Chinese page dropped it).
pub const REQUEST: &[Field] = &[
    Field::req("From_Account", Rule::UserId),
    Field::req("StartIndex", Rule::UInt { min: 0, max: u64::MAX }),
    Field::opt("StandardSequence", SEQUENCE),
    Field::opt("CustomSequence", SEQUENCE),
];

/// Response fields besides the envelope.
pub const RESPONSE: &[Field] = &[
    Field::opt(
        "UserDataItem",
        list_of(&Rule::Object(&[Field::req("To_Account", TEXT), Field::opt("ValueItem", TAG_VALUES)])),
    ),
    Field::opt("StandardSequence", SEQUENCE),
    Field::opt("CustomSequence", SEQUENCE),
    Field::opt("FriendNum", CODE),
    Field::opt("CompleteFlag", CODE),
    Field::opt("NextStartIndex", CODE),
];

/// `friend_get` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct FriendGetRequest {
    /// The user whose friends are read: a UserID of 1 to 32 bytes.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `0` for the first page, then the previous reply's `NextStartIndex`.
    #[serde(rename = "StartIndex")]
    pub start_index: u64,
    /// The last `StandardSequence` seen; when current, standard data is left out of the reply.
    #[serde(rename = "StandardSequence", default, skip_serializing_if = "Option::is_none")]
    pub standard_sequence: Option<u64>,
    /// The last `CustomSequence` seen; when current, custom data is left out of the reply.
    #[serde(rename = "CustomSequence", default, skip_serializing_if = "Option::is_none")]
    pub custom_sequence: Option<u64>,
}

/// `friend_get` response: one page of friends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct FriendGetResponse {
    /// The common envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// The friends on this page.
    #[serde(rename = "UserDataItem")]
    pub user_data_item: Vec<FriendData>,
    /// Current sequence of standard friend data.
    #[serde(rename = "StandardSequence", default, skip_serializing_if = "Option::is_none")]
    pub standard_sequence: Option<u64>,
    /// Current sequence of custom friend data.
    #[serde(rename = "CustomSequence", default, skip_serializing_if = "Option::is_none")]
    pub custom_sequence: Option<u64>,
    /// Total number of friends.
    #[serde(rename = "FriendNum", default, skip_serializing_if = "Option::is_none")]
    pub friend_num: Option<u64>,
    /// Non-zero when every friend has been returned.
    #[serde(rename = "CompleteFlag", default, skip_serializing_if = "Option::is_none")]
    pub complete_flag: Option<u64>,
    /// The `StartIndex` of the next page.
    #[serde(rename = "NextStartIndex", default, skip_serializing_if = "Option::is_none")]
    pub next_start_index: Option<u64>,
}

/// One friend and its friend data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct FriendData {
    /// The friend's UserID.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// Standard and custom friend fields; fields without a value are left out, and all of them
    /// when the request's sequences were current.
    #[serde(rename = "ValueItem")]
    pub value_item: Vec<TagValueItem>,
}
