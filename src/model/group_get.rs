//! `POST v4/sns/group_get`: read friend lists, optionally with members
//! (Tencent's "Pulling Lists" page:
//! <https://tencentcloud.com/document/product/1047/40123>).
//! Send `NeedFriend` whenever members are wanted; `LastSequence` is legacy and sent only if set.

use super::common::*;
use crate::validate::schema::{Cap, Field, Rule};
use super::types::Envelope;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Request fields.
pub const REQUEST: &[Field] = &[
    Field::req("From_Account", Rule::UserId),
    Field::opt("NeedFriend", Rule::Enum(&["Need_Friend_Type_Yes"])),
    // Reading lists by name: any count up to the 32 a user can have; empty means all.
    Field::opt("GroupName", Rule::List { item: &GROUP_NAME, min: 0, max: Some(Cap::Hard(32)), unique: true }),
    Field::opt("LastSequence", SEQUENCE),
];

/// Response fields besides the envelope.
pub const RESPONSE: &[Field] = &[
    Field::opt(
        "ResultItem",
        list_of(&Rule::Object(&[
                Field::req("GroupName", TEXT),
                Field::opt("FriendNumber", CODE),
                Field::opt("To_Account", ACCOUNT_LIST),
            ])),
    ),
    Field::opt("CurrentSequence", SEQUENCE),
];

/// `group_get` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct GroupGetRequest {
    /// The user who owns the lists: a UserID of 1 to 32 bytes.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `Need_Friend_Type_Yes` to include members; omit otherwise.
    #[serde(rename = "NeedFriend", default, skip_serializing_if = "Option::is_none")]
    #[tsify(type = "\"Need_Friend_Type_Yes\"")]
    pub need_friend: Option<String>,
    /// Lists to read by name (each 1 to 30 UTF-8 bytes, at most 32); all when omitted.
    #[serde(rename = "GroupName", default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<Vec<String>>,
    /// Legacy: sequence of the previous pull; sent only when set.
    #[serde(rename = "LastSequence", default, skip_serializing_if = "Option::is_none")]
    pub last_sequence: Option<u64>,
}

/// `group_get` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct GroupGetResponse {
    /// The common envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// One entry per list.
    #[serde(rename = "ResultItem")]
    pub result_item: Vec<FriendList>,
    /// Current sequence of the user's list data.
    #[serde(rename = "CurrentSequence", default, skip_serializing_if = "Option::is_none")]
    pub current_sequence: Option<u64>,
}

/// One friend list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct FriendList {
    /// The list name.
    #[serde(rename = "GroupName")]
    pub group_name: String,
    /// Number of friends in the list.
    #[serde(rename = "FriendNumber", default, skip_serializing_if = "Option::is_none")]
    pub friend_number: Option<u64>,
    /// Members, when requested with `NeedFriend` (empty otherwise).
    #[serde(rename = "To_Account")]
    pub to_account: Vec<String>,
}
