//! `POST v4/sns/friend_get_list`: chosen friend and profile fields of listed friends (spec
//! friends.md §8, fields.md §4).
//!
//! Limits: `To_Account` 1..=100 (soft: "recommended"; an older doc made it hard); `TagList`
//! non-empty, each a profile or friend tag (soft pattern V-TAGLIST).

use super::common::*;
use crate::validate::schema::{Cap, Field, Options, Rule};
use crate::validate::{Path, Violations, rules};
use serde_json::Value;

/// Request fields.
pub const REQUEST: &[Field] = &[
    Field::req("From_Account", Rule::UserId),
    Field::req("To_Account", Rule::List { item: &Rule::UserId, min: 1, max: Some(Cap::Soft(100)), unique: true }),
    Field::req("TagList", Rule::List { item: &Rule::Custom(tag_name), min: 1, max: None, unique: true }),
];

/// Response fields besides the envelope.
pub const RESPONSE: &[Field] = &[
    Field::opt(
        "InfoItem",
        list_of(&Rule::Object(&[
                Field::req("To_Account", TEXT),
                Field::opt("SnsProfileItem", TAG_VALUES),
                Field::req("ResultCode", CODE),
                Field::opt("ResultInfo", TEXT),
            ])),
    ),
    Field::opt("Fail_Account", ACCOUNT_LIST),
];

/// V-TAGLIST: `Tag_Profile_IM_*`, `Tag_Profile_Custom_<1-8 letters>`, `Tag_SNS_IM_*` or
/// `Tag_SNS_Custom_<1-8 letters>`. Soft: new standard tags must not be blocked by us.
fn tag_name(v: &Value, path: &Path, opts: &Options, out: &mut Violations) {
    let Some(tag) = rules::string(v, path, out) else { return };
    if !opts.soft_limits {
        return;
    }
    let letters = |s: &str, max: usize| (1..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic());
    let ok = [("Tag_Profile_IM_", usize::MAX), ("Tag_SNS_IM_", usize::MAX), ("Tag_Profile_Custom_", 8), ("Tag_SNS_Custom_", 8)]
        .iter()
        .any(|(prefix, max)| tag.strip_prefix(prefix).is_some_and(|kw| letters(kw, *max)));
    if !ok {
        out.push(
            path,
            "tag-pattern",
            format!("{path} should be a Tag_Profile_IM_*, Tag_Profile_Custom_*, Tag_SNS_IM_* or Tag_SNS_Custom_* tag (relax soft limits to send others)"),
        );
    }
}
