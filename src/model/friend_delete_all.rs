//! `POST v4/sns/friend_delete_all`: delete every friend of a user (spec friends.md §5).
//! `DeleteType` defaults to `Delete_Type_Single`. The reply is the envelope only.

use super::friend_delete::DELETE_TYPE;
use crate::validate::schema::{Field, Rule};

/// Request fields.
pub const REQUEST: &[Field] = &[Field::req("From_Account", Rule::UserId), Field::opt("DeleteType", DELETE_TYPE)];

/// Response fields besides the envelope: none.
pub const RESPONSE: &[Field] = &[];
