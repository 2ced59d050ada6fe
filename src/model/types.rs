//! Types shared by several endpoints: the response envelope, per-target result items, the
//! polymorphic Tag/Value item, and enums used by more than one command.

use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// Fields every response carries. Decide success by `ErrorCode == 0`: the HTTP status is 200
/// unless a network error (such as 502) occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct Envelope {
    /// `"OK"` or `"FAIL"`.
    #[serde(rename = "ActionStatus")]
    pub action_status: String,
    /// `0` when the request succeeded (items may still fail); otherwise the whole request failed.
    #[serde(rename = "ErrorCode")]
    pub error_code: u32,
    /// Detail text; may be `""` or even `"0"` on success. Branch on codes, never on this text.
    #[serde(rename = "ErrorInfo", default, skip_serializing_if = "Option::is_none")]
    pub error_info: Option<String>,
    /// Client-displayable detail, usually `""`.
    #[serde(rename = "ErrorDisplay", default, skip_serializing_if = "Option::is_none")]
    pub error_display: Option<String>,
    /// Request id for support tickets (newer responses).
    #[serde(rename = "RequestId", default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// How one target of a call ended: the one outcome table of the package. A parsed reply marks
/// each result item `ok` (ResultCode 0), `pending` (30539: the target must approve the friend
/// request) or `failed` (any other code); a reconciled single call can turn `failed` into `ok`.
/// Bulk reports use all five.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum ItemOutcome {
    /// Done: ResultCode 0, or an "already done" answer after an attempt whose outcome was unknown
    /// (`reconciled`).
    Ok,
    /// ResultCode 30539: a pending friend request was created.
    Pending,
    /// Bulk only: the service already held what the item asks for before this run (the friend
    /// was there, the blocked user was blocked, the deleted friend was gone), answered on the
    /// item's first attempt and confirmed by a read where the code is ambiguous. Nothing was
    /// changed: the item's own fields (remark, group, source) were not applied.
    Already,
    /// Refused by the service (any other ResultCode; see `explainError`), refused by a rule
    /// before sending, or out of tries.
    Failed,
    /// Bulk only: the service could not be reached for the outcome within the tries.
    Unknown,
}

impl ItemOutcome {
    /// Every outcome, in the order of their numbers (`as u8`).
    pub const ALL: [ItemOutcome; 5] = [Self::Ok, Self::Pending, Self::Already, Self::Failed, Self::Unknown];

    /// The outcome a result code stands for.
    pub fn of(code: u64) -> Self {
        match code {
            0 => Self::Ok,
            30539 => Self::Pending,
            _ => Self::Failed,
        }
    }

    /// The wire name: `ok`, `pending`, `already`, `failed` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Pending => "pending",
            Self::Already => "already",
            Self::Failed => "failed",
            Self::Unknown => "unknown",
        }
    }

    /// The outcome of a wire name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == name)
    }
}

/// The result for one target account of a batch call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct ResultItem {
    /// The target UserID.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `0` on success, else an error code (30539 = pending approval).
    #[serde(rename = "ResultCode")]
    pub result_code: u32,
    /// Symbolic error text, `""` on success.
    #[serde(rename = "ResultInfo", default, skip_serializing_if = "Option::is_none")]
    pub result_info: Option<String>,
    /// Added by tim-sns when parsing: `ok`, `pending` (30539) or `failed`; from `SnsClient`
    /// also `ok` for a reconciled item, or `unknown` when its confirming read was lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<ItemOutcome>,
    /// Added by `SnsClient`: `true` when the item is `ok` because an earlier attempt whose reply
    /// was lost did it (the service answered "already done"; `ResultCode` is what it said).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconciled: Option<bool>,
}

/// A Tag/Value value, decoded by its JSON kind: an integer, a string, or a
/// string array (only `Tag_SNS_IM_Group`).
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(untagged)]
pub enum TagValue {
    /// Integers (e.g. `Tag_SNS_IM_AddTime`, profile numbers).
    Int(u64),
    /// Strings (remark, nickname, custom fields).
    Str(String),
    /// String arrays (`Tag_SNS_IM_Group`).
    StrList(Vec<String>),
}

/// A `{ Tag, Value }` item of friend or profile data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct TagValueItem {
    /// The field name: `Tag_SNS_IM_*`, `Tag_SNS_Custom_*`, `Tag_Profile_IM_*` or `Tag_Profile_Custom_*`.
    #[serde(rename = "Tag")]
    pub tag: String,
    /// The value: number, string or string array.
    #[serde(rename = "Value")]
    pub value: TagValue,
}

/// `DeleteType` of `friend_delete` and `friend_delete_all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub enum DeleteType {
    /// Remove the target from the user's list only (default).
    #[serde(rename = "Delete_Type_Single")]
    Single,
    /// Remove both directions.
    #[serde(rename = "Delete_Type_Both")]
    Both,
}
