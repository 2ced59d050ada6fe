//! `POST v4/sns/black_list_check`: check block relationships with up to 1000 users
//! (Tencent's "Verifying Users on a Blocklist" page:
//! <https://www.tencentcloud.com/document/product/1047/34913>).
//! "No relation" is spelt `BlackCheckResult_Type_NO` here.

use super::common::*;
use crate::validate::schema::{Field, Rule};
use super::types::{Envelope, ItemOutcome};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Request fields.
pub const REQUEST: &[Field] = &[
    Field::req("From_Account", Rule::UserId),
    Field::req("To_Account", ACCOUNTS),
    Field::req("CheckType", Rule::Enum(&["BlackCheckResult_Type_Single", "BlackCheckResult_Type_Both"])),
];

/// Response fields besides the envelope.
pub const RESPONSE: &[Field] = &[
    Field::opt(
        "BlackListCheckItem",
        list_of(&Rule::Object(&[
                Field::req("To_Account", TEXT),
                Field::opt("Relation", TEXT),
                Field::req("ResultCode", CODE),
                Field::opt("ResultInfo", TEXT),
            ])),
    ),
    Field::opt("Fail_Account", ACCOUNT_LIST),
];

/// `black_list_check` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct BlackListCheckRequest {
    /// User "A": a UserID of 1 to 32 bytes.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// Users "B": 1 to 1000 UserIDs.
    #[serde(rename = "To_Account")]
    pub to_account: Vec<String>,
    /// `BlackCheckResult_Type_Single` (A's blocklist only) or `BlackCheckResult_Type_Both`.
    #[serde(rename = "CheckType")]
    pub check_type: BlackListCheckType,
}

/// `CheckType` of `black_list_check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub enum BlackListCheckType {
    /// Whether B is in A's blocklist.
    #[serde(rename = "BlackCheckResult_Type_Single")]
    Single,
    /// Both directions.
    #[serde(rename = "BlackCheckResult_Type_Both")]
    Both,
}

/// `black_list_check` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct BlackListCheckResponse {
    /// The common envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// One relation per target.
    #[serde(rename = "BlackListCheckItem")]
    pub black_list_check_item: Vec<BlackListCheckItem>,
    /// Targets whose ResultCode is not 0.
    #[serde(rename = "Fail_Account")]
    pub fail_account: Vec<String>,
}

/// The block relation of A with one B. Trust `Relation` only when `ResultCode` is 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct BlackListCheckItem {
    /// User B.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `BlackCheckResult_Type_BothWay`, `_AWithB`, `_BWithA` or `_NO` (any other string is passed through).
    #[serde(rename = "Relation", default, skip_serializing_if = "Option::is_none")]
    #[tsify(type = "\"BlackCheckResult_Type_BothWay\" | \"BlackCheckResult_Type_AWithB\" | \"BlackCheckResult_Type_BWithA\" | \"BlackCheckResult_Type_NO\" | (string & {})")]
    pub relation: Option<String>,
    /// `0` on success, else an error code.
    #[serde(rename = "ResultCode")]
    pub result_code: u32,
    /// Symbolic error text.
    #[serde(rename = "ResultInfo", default, skip_serializing_if = "Option::is_none")]
    pub result_info: Option<String>,
    /// Added by tim-sns when parsing: `ok` or `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<ItemOutcome>,
}
