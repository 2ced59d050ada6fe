//! `POST v4/sns/group_delete`: delete friend lists; the friendships stay
//! (Tencent's "Deleting Lists" page:
//! <https://intl.cloud.tencent.com/document/product/1047/34926>).
//! Limits: `GroupName` 1..=32 names of 1..=30 bytes.

use super::common::*;
use crate::validate::schema::{Field, Rule};
use super::types::Envelope;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Request fields.
pub const REQUEST: &[Field] = &[Field::req("From_Account", Rule::UserId), Field::req("GroupName", GROUP_NAMES)];

/// Response fields besides the envelope.
pub const RESPONSE: &[Field] = &[Field::opt("CurrentSequence", SEQUENCE)];

/// `group_delete` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct GroupDeleteRequest {
    /// The user who owns the lists: a UserID of 1 to 32 bytes.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The lists to delete: 1 to 32 names of 1 to 30 UTF-8 bytes.
    #[serde(rename = "GroupName")]
    pub group_name: Vec<String>,
}

/// `group_delete` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct GroupDeleteResponse {
    /// The common envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// New sequence of the user's list data.
    #[serde(rename = "CurrentSequence", default, skip_serializing_if = "Option::is_none")]
    pub current_sequence: Option<u64>,
}
