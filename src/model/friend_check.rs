//! `POST v4/sns/friend_check`: check the relationship of one user with up to 1000 others
//! (spec friends.md §6). A failed item still carries a `Relation`: trust it only when
//! `ResultCode` is 0.

use super::common::*;
use crate::validate::schema::{Field, Rule};

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
