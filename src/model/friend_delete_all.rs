//! `POST v4/sns/friend_delete_all`: delete every friend of a user
//! (Tencent's "Deleting All Friends" page:
//! <https://www.tencentcloud.com/document/product/1047/34906>).
//! `DeleteType` defaults to `Delete_Type_Single`. The reply is the envelope only.

use super::friend_delete::DELETE_TYPE;
use crate::validate::schema::{Field, Rule};
use super::types::{DeleteType, Envelope};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Request fields.
pub const REQUEST: &[Field] = &[Field::req("From_Account", Rule::UserId), Field::opt("DeleteType", DELETE_TYPE)];

/// Response fields besides the envelope: none.
pub const RESPONSE: &[Field] = &[];

/// `friend_delete_all` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct FriendDeleteAllRequest {
    /// The user whose friends are all deleted: a UserID of 1 to 32 bytes.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `Delete_Type_Single` (default) or `Delete_Type_Both`.
    #[serde(rename = "DeleteType", default, skip_serializing_if = "Option::is_none")]
    pub delete_type: Option<DeleteType>,
}

/// `friend_delete_all` response: the envelope only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct FriendDeleteAllResponse {
    /// The common envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
}
