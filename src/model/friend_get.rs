//! `POST v4/sns/friend_get`: page through all friends with their standard and custom friend
//! data (spec friends.md §7). Start at `StartIndex` 0; continue with `NextStartIndex` until
//! `CompleteFlag` is non-zero.

use super::common::*;
use crate::validate::schema::{Field, Rule};

/// Request fields. `CustomSequence` is optional (the newest Chinese page dropped it).
pub const REQUEST: &[Field] = &[
    Field::req("From_Account", Rule::UserId),
    Field::req("StartIndex", Rule::UInt { min: 0, max: u64::MAX }),
    Field::opt("StandardSequence", SEQUENCE),
    Field::opt("CustomSequence", SEQUENCE),
];

/// Response fields besides the envelope.
pub const RESPONSE: &[Field] = &[
    Field::opt(
        "UserDataItem",
        list_of(&Rule::Object(&[Field::req("To_Account", TEXT), Field::opt("ValueItem", TAG_VALUES)])),
    ),
    Field::opt("StandardSequence", SEQUENCE),
    Field::opt("CustomSequence", SEQUENCE),
    Field::opt("FriendNum", CODE),
    Field::opt("CompleteFlag", CODE),
    Field::opt("NextStartIndex", CODE),
];
