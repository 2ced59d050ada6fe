//! `POST v4/sns/friend_import`: write one-way friend entries with their full data (times,
//! several lists, custom fields), without approval (spec friends.md §2, seed 001).
//!
//! Limits: `AddFriendItem` 1..=1000; `GroupName` is an array here (≤ 32 names of ≤ 30 bytes);
//! `CustomItem` tags `Tag_SNS_Custom_` + 1..=8 letters with a string (≤ 500 bytes) or integer.

use super::common::*;
use crate::validate::schema::{Cap, Field, Rule};

/// One `CustomItem` / custom `SnsItem`: a declared custom tag and its value.
pub const CUSTOM_ITEM: Rule = Rule::Object(&[Field::req("Tag", CUSTOM_TAG), Field::req("Value", CUSTOM_VALUE)]);

/// Request fields.
pub const REQUEST: &[Field] = &[
    Field::req("From_Account", Rule::UserId),
    Field::req(
        "AddFriendItem",
        Rule::List {
            item: &Rule::Object(&[
                Field::req("To_Account", Rule::UserId),
                Field::opt("Remark", REMARK),
                Field::opt("RemarkTime", UNIX_TIME),
                Field::opt("GroupName", GROUP_NAMES),
                Field::req("AddSource", ADD_SOURCE),
                Field::opt("AddWording", ADD_WORDING),
                Field::opt("AddTime", UNIX_TIME),
                Field::opt("CustomItem", Rule::List { item: &CUSTOM_ITEM, min: 0, max: None, unique: false }),
            ]),
            min: 1,
            max: Some(Cap::Hard(1000)),
            unique: false,
        },
    ),
];

/// Response fields besides the envelope.
pub const RESPONSE: &[Field] = &[Field::opt("ResultItem", RESULT_ITEMS), Field::opt("Fail_Account", ACCOUNT_LIST)];
