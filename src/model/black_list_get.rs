//! `POST v4/sns/black_list_get`: page through the blocklist
//! (Tencent's "Pulling a Blacklist" page:
//! <https://www.tencentcloud.com/document/product/1047/34914>). Start at
//! `StartIndex` 0; continue with the reply's `StartIndex` until it is 0.
//!
//! Limits: `MaxLimited` 1..=1000 (the lower bound is advised, the upper stated). The reply's
//! sequence is spelt `CurruentSequence` on the wire; `CurrentSequence` is decoded too.

use super::common::*;
use crate::validate::schema::{Field, Options, Rule};
use crate::validate::{Path, Violations, rules};
use serde_json::Value;
use super::types::Envelope;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

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

/// `MaxLimited`: at most 1000 always; at least 1 unless soft limits are relaxed.
fn max_limited(v: &Value, path: &Path, opts: &Options, out: &mut Violations) {
    let min = if opts.soft_limits { 1 } else { 0 };
    rules::uint(v, min, 1000, path, out);
}

/// `black_list_get` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct BlackListGetRequest {
    /// The user whose blocklist is read: a UserID of 1 to 32 bytes.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `0` for the first page, then the previous reply's `StartIndex`.
    #[serde(rename = "StartIndex")]
    pub start_index: u64,
    /// Page size: 1 to 1000.
    #[serde(rename = "MaxLimited")]
    pub max_limited: u64,
    /// Sequence of the previous pull; `0` for REST calls.
    #[serde(rename = "LastSequence")]
    pub last_sequence: u64,
}

/// `black_list_get` response: one page of the blocklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct BlackListGetResponse {
    /// The common envelope.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// The blocked users on this page.
    #[serde(rename = "BlackListItem")]
    pub black_list_item: Vec<BlockedUser>,
    /// The next page's `StartIndex`; `0` when everything has been returned.
    #[serde(rename = "StartIndex", default, skip_serializing_if = "Option::is_none")]
    pub start_index: Option<u64>,
    /// Latest blocklist sequence, under the wire's misspelt name.
    #[serde(rename = "CurruentSequence", default, skip_serializing_if = "Option::is_none")]
    pub curruent_sequence: Option<u64>,
    /// Latest blocklist sequence (tim-sns copies `CurruentSequence` here when parsing).
    #[serde(rename = "CurrentSequence", default, skip_serializing_if = "Option::is_none")]
    pub current_sequence: Option<u64>,
}

/// One blocked user.
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct BlockedUser {
    /// The blocked UserID.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// When it was blocked, Unix seconds.
    #[serde(rename = "AddBlackTimeStamp", default, skip_serializing_if = "Option::is_none")]
    pub add_black_time_stamp: Option<u64>,
}
