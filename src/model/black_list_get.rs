//! `POST v4/sns/black_list_get`: page through the blocklist (spec blacklist.md §3). Start at
//! `StartIndex` 0; continue with the reply's `StartIndex` until it is 0.
//!
//! Limits: `MaxLimited` 1..=1000 (the lower bound is advised, the upper stated). The reply's
//! sequence is spelt `CurruentSequence` on the wire; `CurrentSequence` is decoded too.

use super::common::*;
use crate::validate::schema::{Field, Options, Rule};
use crate::validate::{Path, Violations, rules};
use serde_json::Value;

/// Request fields. `LastSequence` is required; "for REST API use 0".
pub const REQUEST: &[Field] = &[
    Field::req("From_Account", Rule::UserId),
    Field::req("StartIndex", Rule::UInt { min: 0, max: u64::MAX }),
    Field::req("MaxLimited", Rule::Custom(max_limited)),
    Field::req("LastSequence", SEQUENCE),
];

/// Response fields besides the envelope.
pub const RESPONSE: &[Field] = &[
    Field::opt(
        "BlackListItem",
        list_of(&Rule::Object(&[Field::req("To_Account", TEXT), Field::opt("AddBlackTimeStamp", UNIX_TIME)])),
    ),
    Field::opt("StartIndex", CODE),
    Field::opt("CurruentSequence", SEQUENCE),
    Field::opt("CurrentSequence", SEQUENCE),
];

/// V-MAXLIM: at most 1000 always; at least 1 unless soft limits are relaxed.
fn max_limited(v: &Value, path: &Path, opts: &Options, out: &mut Violations) {
    let min = if opts.soft_limits { 1 } else { 0 };
    rules::uint(v, min, 1000, path, out);
}
