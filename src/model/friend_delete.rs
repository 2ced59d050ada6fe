//! `POST v4/sns/friend_delete`: delete listed friends, one-way or both ways
//! (Tencent's "Deleting Friends" page:
//! <https://www.tencentcloud.com/document/product/1047/34905>).
//!
//! Limits: `To_Account` 1..=1000. `DeleteType` defaults to `Delete_Type_Single` (assumed).

use super::common::*;
use crate::validate::schema::{Field, Rule};
use super::types::{DeleteType, Envelope, ResultItem};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Request fields.
pub const REQUEST: &[Field] = &[
    Field::req("From_Account", Rule::UserId),
    Field::req("To_Account", ACCOUNTS),
    Field::opt("DeleteType", DELETE_TYPE),
];

/// `DeleteType` values: `Delete_Type_Single` removes the friend from the user's list only,
/// `Delete_Type_Both` removes both directions.
pub const DELETE_TYPE: Rule = Rule::Enum(&["Delete_Type_Single", "Delete_Type_Both"]);

/// Response fields besides the envelope (`Fail_Account` undocumented here but decoded).
pub const RESPONSE: &[Field] = &[Field::opt("ResultItem", RESULT_ITEMS), Field::opt("Fail_Account", ACCOUNT_LIST)];

/// `friend_delete` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct FriendDeleteRequest {
    /// The user whose friends are deleted: a UserID of 1 to 32 bytes.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The friends to delete: 1 to 1000 UserIDs.
    #[serde(rename = "To_Account")]
    pub to_account: Vec<String>,
    /// `Delete_Type_Single` (assumed default) or `Delete_Type_Both`.
    #[serde(rename = "DeleteType", default, skip_serializing_if = "Option::is_none")]
    pub delete_type: Option<DeleteType>,
}

/// `friend_delete` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct FriendDeleteResponse {
    /// The common envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// One result per target (31704: not a friend).
    #[serde(rename = "ResultItem")]
    pub result_item: Vec<ResultItem>,
    /// Targets whose ResultCode is not 0, when sent.
    #[serde(rename = "Fail_Account")]
    pub fail_account: Vec<String>,
}
