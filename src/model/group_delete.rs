//! `POST v4/sns/group_delete`: delete friend lists; the friendships stay (spec lists.md §2).
//! Limits: `GroupName` 1..=32 names of 1..=30 bytes.

use super::common::*;
use crate::validate::schema::{Field, Rule};

/// Request fields.
pub const REQUEST: &[Field] = &[Field::req("From_Account", Rule::UserId), Field::req("GroupName", GROUP_NAMES)];

/// Response fields besides the envelope.
pub const RESPONSE: &[Field] = &[Field::opt("CurrentSequence", SEQUENCE)];
