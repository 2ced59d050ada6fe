//! `POST v4/sns/black_list_add`: block users (spec blacklist.md §1). Blocking a friend removes
//! the friendship both ways. Limits: `To_Account` 1..=1000; a blocklist holds 1000 (30013).

use super::common::*;
use crate::validate::schema::{Field, Rule};

/// Request fields.
pub const REQUEST: &[Field] = &[Field::req("From_Account", Rule::UserId), Field::req("To_Account", ACCOUNTS)];

/// Response fields besides the envelope.
pub const RESPONSE: &[Field] = &[Field::opt("ResultItem", RESULT_ITEMS), Field::opt("Fail_Account", ACCOUNT_LIST)];
