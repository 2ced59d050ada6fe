//! `POST v4/sns/friend_delete`: delete listed friends, one-way or both ways (spec friends.md §4).
//!
//! Limits: `To_Account` 1..=1000. `DeleteType` defaults to `Delete_Type_Single` (assumed).

use super::common::*;
use crate::validate::schema::{Field, Rule};

/// Request fields.
pub const REQUEST: &[Field] = &[
    Field::req("From_Account", Rule::UserId),
    Field::req("To_Account", ACCOUNTS),
    Field::opt("DeleteType", DELETE_TYPE),
];

/// `DeleteType` values (fields.md §6).
pub const DELETE_TYPE: Rule = Rule::Enum(&["Delete_Type_Single", "Delete_Type_Both"]);

/// Response fields besides the envelope (`Fail_Account` undocumented here but decoded).
pub const RESPONSE: &[Field] = &[Field::opt("ResultItem", RESULT_ITEMS), Field::opt("Fail_Account", ACCOUNT_LIST)];
