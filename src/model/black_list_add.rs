//! `POST v4/sns/black_list_add`: block users (Tencent's "Blocklisting Users" page:
//! <https://www.tencentcloud.com/document/product/1047/34911>).
//! Blocking a friend removes the friendship both ways. Limits: `To_Account` 1..=1000; a blocklist holds 1000 (30013).

use super::common::*;
use crate::validate::schema::{Field, Rule};
use super::types::{Envelope, ResultItem};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Request fields.
pub const REQUEST: &[Field] = &[Field::req("From_Account", Rule::UserId), Field::req("To_Account", ACCOUNTS)];

/// Response fields besides the envelope.
pub const RESPONSE: &[Field] = &[Field::opt("ResultItem", RESULT_ITEMS), Field::opt("Fail_Account", ACCOUNT_LIST)];

/// `black_list_add` and `black_list_delete` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct BlackListRequest {
    /// The blocking user: a UserID of 1 to 32 bytes.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The users to block or unblock: 1 to 1000 UserIDs.
    #[serde(rename = "To_Account")]
    pub to_account: Vec<String>,
}

/// `black_list_add` and `black_list_delete` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct BlackListResponse {
    /// The common envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// One result per target.
    #[serde(rename = "ResultItem")]
    pub result_item: Vec<ResultItem>,
    /// Targets whose ResultCode is not 0.
    #[serde(rename = "Fail_Account")]
    pub fail_account: Vec<String>,
}
