//! `POST v4/sns/group_get`: read friend lists, optionally with members (spec lists.md §3).
//! Send `NeedFriend` whenever members are wanted; `LastSequence` is legacy and sent only if set.

use super::common::*;
use crate::validate::schema::{Cap, Field, Rule};

/// Request fields.
pub const REQUEST: &[Field] = &[
    Field::req("From_Account", Rule::UserId),
    Field::opt("NeedFriend", Rule::Enum(&["Need_Friend_Type_Yes"])),
    // Reading lists by name: any count up to the 32 a user can have; empty means all.
    Field::opt("GroupName", Rule::List { item: &GROUP_NAME, min: 0, max: Some(Cap::Hard(32)), unique: true }),
    Field::opt("LastSequence", SEQUENCE),
];

/// Response fields besides the envelope.
pub const RESPONSE: &[Field] = &[
    Field::opt(
        "ResultItem",
        list_of(&Rule::Object(&[
                Field::req("GroupName", TEXT),
                Field::opt("FriendNumber", CODE),
                Field::opt("To_Account", ACCOUNT_LIST),
            ])),
    ),
    Field::opt("CurrentSequence", SEQUENCE),
];
