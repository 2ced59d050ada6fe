//! `POST v4/sns/friend_add`: add friends, one-way or two-way, in a batch
//! (Tencent's "Adding Friends" page:
//! <https://www.tencentcloud.com/document/product/1047/34902>).
//! A target whose AllowType needs confirmation gets a pending request and the item reports
//! 30539 instead of 0.
//!
//! Limits: `AddFriendItem` non-empty, soft cap 100 (no official cap; the error table advises
//! at most 100 targets when approval is needed); `AddSource` `AddSource_Type_` + 1..=8 letters;
//! `Remark` ≤ 96 bytes; `GroupName` one name ≤ 30 bytes (`""` means not set); `AddWording` ≤ 256 bytes.

use super::common::*;
use super::types::{Envelope, ResultItem};
use crate::validate::schema::{Cap, Field, Rule};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Request fields.
pub const REQUEST: &[Field] = &[
    Field::req("From_Account", Rule::UserId),
    Field::req(
        "AddFriendItem",
        Rule::List {
            item: &Rule::Object(&[
                Field::req("To_Account", Rule::UserId),
                Field::opt("Remark", REMARK),
                // A single name here, unlike friend_import's array; "" means not set.
                Field::opt("GroupName", GROUP_NAME_OR_UNSET),
                Field::req("AddSource", ADD_SOURCE),
                Field::opt("AddWording", ADD_WORDING),
            ]),
            min: 1,
            max: Some(Cap::Soft(100)),
            unique: false,
        },
    ),
    Field::opt("AddType", Rule::Enum(&["Add_Type_Single", "Add_Type_Both"])),
    Field::opt("ForceAddFlags", Rule::IntEnum(&[0, 1])),
];

/// Response fields besides the envelope. `Invalid_Account` is legacy (older revisions of the
/// `friend_add` documentation list it): tolerated, never required.
pub const RESPONSE: &[Field] = &[
    Field::opt("ResultItem", RESULT_ITEMS),
    Field::opt("Fail_Account", ACCOUNT_LIST),
    Field::opt("Invalid_Account", ACCOUNT_LIST),
];

/// `friend_add` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct FriendAddRequest {
    /// The user who adds friends: a UserID of 1 to 32 bytes.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The users to add: at least one (a soft cap of 100 applies by default).
    #[serde(rename = "AddFriendItem")]
    pub add_friend_item: Vec<FriendAddItem>,
    /// `Add_Type_Both` (two-way, the default) or `Add_Type_Single` (one-way).
    #[serde(rename = "AddType", default, skip_serializing_if = "Option::is_none")]
    pub add_type: Option<AddType>,
    /// `1` to force-add as the App admin, `0` (default) for a normal add.
    #[serde(rename = "ForceAddFlags", default, skip_serializing_if = "Option::is_none")]
    #[tsify(type = "0 | 1")]
    pub force_add_flags: Option<u8>,
}

/// One target of `friend_add`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct FriendAddItem {
    /// The user to add: a UserID of 1 to 32 bytes.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// Remark for the friend: at most 96 UTF-8 bytes.
    #[serde(rename = "Remark", default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// One friend list to put the friend in (a single name here): 1 to 30 UTF-8 bytes; `""`
    /// means no list (as third-party clients send by default).
    #[serde(rename = "GroupName", default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    /// Where the request came from: `AddSource_Type_` followed by 1 to 8 ASCII letters.
    #[serde(rename = "AddSource")]
    #[tsify(type = "`AddSource_Type_${string}`")]
    pub add_source: String,
    /// Greeting shown with the request: at most 256 UTF-8 bytes.
    #[serde(rename = "AddWording", default, skip_serializing_if = "Option::is_none")]
    pub add_wording: Option<String>,
}

/// `AddType` of `friend_add`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub enum AddType {
    /// One-way: only the target joins the user's list.
    #[serde(rename = "Add_Type_Single")]
    Single,
    /// Two-way (default).
    #[serde(rename = "Add_Type_Both")]
    Both,
}

/// `friend_add` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct FriendAddResponse {
    /// The common envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// One result per target; 30539 means a pending request was created.
    #[serde(rename = "ResultItem")]
    pub result_item: Vec<ResultItem>,
    /// Targets whose ResultCode is not 0 (present only when one failed).
    #[serde(rename = "Fail_Account")]
    pub fail_account: Vec<String>,
    /// Legacy: SDKAppID-mismatch targets, in older responses only.
    #[serde(rename = "Invalid_Account")]
    pub invalid_account: Vec<String>,
}
