//! `POST v4/sns/friend_add`: add friends, one-way or two-way, in a batch (spec friends.md §1,
//! seeds 000 and 002). A target whose AllowType needs confirmation gets a pending request and
//! the item reports 30539 instead of 0.
//!
//! Limits: `AddFriendItem` non-empty, soft cap 100 (no official cap; the error table advises
//! at most 100 targets when approval is needed); `AddSource` `AddSource_Type_` + 1..=8 letters;
//! `Remark` ≤ 96 bytes; `GroupName` one name ≤ 30 bytes; `AddWording` ≤ 256 bytes.

use super::common::*;
use crate::validate::schema::{Cap, Field, Rule};

/// Request fields.
pub const REQUEST: &[Field] = &[
    Field::req("From_Account", Rule::UserId),
    Field::req(
        "AddFriendItem",
        Rule::List {
            item: &Rule::Object(&[
                Field::req("To_Account", Rule::UserId),
                Field::opt("Remark", REMARK),
                // A single name here, unlike friend_import's array.
                Field::opt("GroupName", GROUP_NAME),
                Field::req("AddSource", ADD_SOURCE),
                Field::opt("AddWording", ADD_WORDING),
            ]),
            min: 1,
            max: Some(Cap::Soft(100)),
            unique: false,
        },
    ),
    Field::opt("AddType", Rule::Enum(&["Add_Type_Single", "Add_Type_Both"])),
    Field::opt("ForceAddFlags", Rule::IntEnum(&[0, 1])),
];

/// Response fields besides the envelope. `Invalid_Account` is legacy (seed 002).
pub const RESPONSE: &[Field] = &[
    Field::opt("ResultItem", RESULT_ITEMS),
    Field::opt("Fail_Account", ACCOUNT_LIST),
    Field::opt("Invalid_Account", ACCOUNT_LIST),
];
