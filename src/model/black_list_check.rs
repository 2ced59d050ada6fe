//! `POST v4/sns/black_list_check`: check block relationships with up to 1000 users (spec
//! blacklist.md §4). "No relation" is spelt `BlackCheckResult_Type_NO` here.

use super::common::*;
use crate::validate::schema::{Field, Rule};

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
