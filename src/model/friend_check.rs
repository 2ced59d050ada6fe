//! `POST v4/sns/friend_check`: check the relationship of one user with up to 1000 others
//! (Tencent's "Verifying Friends" page:
//! <https://www.tencentcloud.com/document/product/1047/34907>).
//! A failed item still carries a `Relation`: trust it only when `ResultCode` is 0.

use super::common::*;
use crate::validate::schema::{Field, Rule};
use super::types::Envelope;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Request fields.
pub const REQUEST: &[Field] = &[
    Field::req("From_Account", Rule::UserId),
    Field::req("To_Account", ACCOUNTS),
    Field::req("CheckType", Rule::Enum(&["CheckResult_Type_Single", "CheckResult_Type_Both"])),
];

/// Response fields besides the envelope. `Relation` is decoded as any string (forward compatible).
pub const RESPONSE: &[Field] = &[
    Field::opt(
        "InfoItem",
        list_of(&Rule::Object(&[
                Field::req("To_Account", TEXT),
                Field::opt("Relation", TEXT),
                Field::req("ResultCode", CODE),
                Field::opt("ResultInfo", TEXT),
            ])),
    ),
    Field::opt("Fail_Account", ACCOUNT_LIST),
];

/// `friend_check` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct FriendCheckRequest {
    /// User "A": a UserID of 1 to 32 bytes.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// Users "B": 1 to 1000 UserIDs.
    #[serde(rename = "To_Account")]
    pub to_account: Vec<String>,
    /// `CheckResult_Type_Single` (A's list only) or `CheckResult_Type_Both` (both directions).
    #[serde(rename = "CheckType")]
    pub check_type: FriendCheckType,
}

/// `CheckType` of `friend_check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub enum FriendCheckType {
    /// Whether B is in A's list.
    #[serde(rename = "CheckResult_Type_Single")]
    Single,
    /// Both directions.
    #[serde(rename = "CheckResult_Type_Both")]
    Both,
}

/// `friend_check` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct FriendCheckResponse {
    /// The common envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// One relation per target.
    #[serde(rename = "InfoItem")]
    pub info_item: Vec<FriendCheckItem>,
    /// Targets whose ResultCode is not 0.
    #[serde(rename = "Fail_Account")]
    pub fail_account: Vec<String>,
}

/// The relation of A with one B. Trust `Relation` only when `ResultCode` is 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct FriendCheckItem {
    /// User B.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `CheckResult_Type_BothWay`, `CheckResult_Type_AWithB`, `CheckResult_Type_BWithA` or
    /// `CheckResult_Type_NoRelation` (any other string is passed through).
    #[serde(rename = "Relation", default, skip_serializing_if = "Option::is_none")]
    #[tsify(type = "\"CheckResult_Type_BothWay\" | \"CheckResult_Type_AWithB\" | \"CheckResult_Type_BWithA\" | \"CheckResult_Type_NoRelation\" | (string & {})")]
    pub relation: Option<String>,
    /// `0` on success, else an error code.
    #[serde(rename = "ResultCode")]
    pub result_code: u32,
    /// Symbolic error text.
    #[serde(rename = "ResultInfo", default, skip_serializing_if = "Option::is_none")]
    pub result_info: Option<String>,
    /// Added by tim-sns when parsing: `ok` or `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<super::types::ItemOutcome>,
}
