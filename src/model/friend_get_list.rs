//! `POST v4/sns/friend_get_list`: chosen friend and profile fields of listed friends
//! (Tencent's "Pulling Specified Friends" page:
//! <https://www.tencentcloud.com/document/product/1047/34910>).
//!
//! Limits: `To_Account` 1..=100 (soft: "recommended"; an older doc made it hard); `TagList`
//! non-empty, each a profile or friend tag (a soft pattern, see `tag_name`).

use super::common::*;
use crate::validate::schema::{Cap, Field, Options, Rule};
use crate::validate::{Path, Violations, rules};
use serde_json::Value;
use super::types::{Envelope, ItemOutcome, TagValueItem};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

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

/// A `TagList` entry: `Tag_Profile_IM_*`, `Tag_Profile_Custom_<1-8 letters>`, `Tag_SNS_IM_*` or
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

/// `friend_get_list` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct FriendGetListRequest {
    /// The user whose friends are read: a UserID of 1 to 32 bytes.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The friends to read: at least one (a soft cap of 100 applies by default).
    #[serde(rename = "To_Account")]
    pub to_account: Vec<String>,
    /// The fields to return: profile (`Tag_Profile_IM_*`, `Tag_Profile_Custom_*`) and friend
    /// (`Tag_SNS_IM_*`, `Tag_SNS_Custom_*`) tags; at least one.
    #[serde(rename = "TagList")]
    pub tag_list: Vec<String>,
}

/// `friend_get_list` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct FriendGetListResponse {
    /// The common envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// One entry per requested friend.
    #[serde(rename = "InfoItem")]
    pub info_item: Vec<FriendProfileItem>,
    /// Targets whose ResultCode is not 0.
    #[serde(rename = "Fail_Account")]
    pub fail_account: Vec<String>,
}

/// The requested fields of one friend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct FriendProfileItem {
    /// The friend's UserID.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// Friend and profile fields (only for found friends).
    #[serde(rename = "SnsProfileItem")]
    pub sns_profile_item: Vec<TagValueItem>,
    /// `0` on success; 30001 (or 31211 in older replies) when not a friend.
    #[serde(rename = "ResultCode")]
    pub result_code: u32,
    /// Symbolic error text.
    #[serde(rename = "ResultInfo", default, skip_serializing_if = "Option::is_none")]
    pub result_info: Option<String>,
    /// Added by tim-sns when parsing: `ok` or `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<ItemOutcome>,
}
