//! `POST v4/sns/group_add`: create friend lists, optionally putting friends in all of them
//! (a user has at most 32 lists; 32216 for a target who is not a friend). Limits: `GroupName`
//! 1..=32 names of 1..=30 bytes; `To_Account` ≤ 1000 friends.

use super::common::*;
use crate::validate::schema::{Field, Rule};
use super::types::{Envelope, ResultItem};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Request fields.
pub const REQUEST: &[Field] = &[
    Field::req("From_Account", Rule::UserId),
    Field::req("GroupName", GROUP_NAMES),
    Field::opt("To_Account", ACCOUNTS),
];

/// Response fields besides the envelope.
pub const RESPONSE: &[Field] = &[
    Field::opt("CurrentSequence", SEQUENCE),
    Field::opt("ResultItem", RESULT_ITEMS),
    Field::opt("Fail_Account", ACCOUNT_LIST),
];

/// `group_add` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct GroupAddRequest {
    /// The user who owns the lists: a UserID of 1 to 32 bytes.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The lists to create: 1 to 32 names of 1 to 30 UTF-8 bytes.
    #[serde(rename = "GroupName")]
    pub group_name: Vec<String>,
    /// Friends to put into all the new lists: at most 1000.
    #[serde(rename = "To_Account", default, skip_serializing_if = "Option::is_none")]
    pub to_account: Option<Vec<String>>,
}

/// `group_add` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct GroupAddResponse {
    /// The common envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// New sequence of the user's list data.
    #[serde(rename = "CurrentSequence", default, skip_serializing_if = "Option::is_none")]
    pub current_sequence: Option<u64>,
    /// One result per friend sent in `To_Account` (32216: not a friend).
    #[serde(rename = "ResultItem")]
    pub result_item: Vec<ResultItem>,
    /// Friends whose ResultCode is not 0.
    #[serde(rename = "Fail_Account")]
    pub fail_account: Vec<String>,
}
