//! `POST v4/sns/group_add`: create friend lists, optionally putting friends in all of them
//! (spec lists.md §1, seed 003). Limits: `GroupName` 1..=32 names of 1..=30 bytes;
//! `To_Account` ≤ 1000 friends.

use super::common::*;
use crate::validate::schema::{Field, Rule};

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
