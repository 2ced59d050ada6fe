//! The relationship-chain callbacks (`Sns.*`, each type links its page) and the service's rate
//! warning (`Alert.RequestOverLimit`): one type per request body, [`SnsCallback`] as the union
//! discriminated on `CallbackCommand`, and the schema that `parseCallback` checks. Parsing is tolerant like reply parsing: only what a receiver needs
//! to act on is required (the command, `From_Account` and the item lists with their
//! `To_Account`), every other documented field is optional, unknown fields are kept.

use super::super::model::common::{CODE, TEXT, list_of};
use crate::validate::schema::{Field, Rule};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// `Sns.CallbackPrevFriendAdd`.
pub const PREV_FRIEND_ADD: &str = "Sns.CallbackPrevFriendAdd";
/// `Sns.CallbackPrevFriendResponse`.
pub const PREV_FRIEND_RESPONSE: &str = "Sns.CallbackPrevFriendResponse";
/// `Sns.CallbackFriendAdd`.
pub const FRIEND_ADD: &str = "Sns.CallbackFriendAdd";
/// `Sns.CallbackFriendDelete`.
pub const FRIEND_DELETE: &str = "Sns.CallbackFriendDelete";
/// `Sns.CallbackBlackListAdd`.
pub const BLACK_LIST_ADD: &str = "Sns.CallbackBlackListAdd";
/// `Sns.CallbackBlackListDelete`.
pub const BLACK_LIST_DELETE: &str = "Sns.CallbackBlackListDelete";
/// `Alert.RequestOverLimit`: a command of the app passed 80% of its rate limit.
pub const REQUEST_OVER_LIMIT: &str = "Alert.RequestOverLimit";

/// Every command this module knows, "before" commands first.
pub const COMMANDS: [&str; 7] = [PREV_FRIEND_ADD, PREV_FRIEND_RESPONSE, FRIEND_ADD, FRIEND_DELETE, BLACK_LIST_ADD, BLACK_LIST_DELETE, REQUEST_OVER_LIMIT];

/// Whether `command` is one of the two "before" callbacks, whose reply can refuse items.
pub fn is_before(command: &str) -> bool {
    command == PREV_FRIEND_ADD || command == PREV_FRIEND_RESPONSE
}

/// A relationship-chain callback body, discriminated on `CallbackCommand`: narrow with
/// `if (cb.CallbackCommand === "Sns.CallbackFriendAdd") { cb.PairList ... }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(tag = "CallbackCommand")]
pub enum SnsCallback {
    /// Before a client's friend request is processed; the reply can refuse targets.
    #[serde(rename = "Sns.CallbackPrevFriendAdd")]
    PrevFriendAdd(PrevFriendAddCallback),
    /// Before a client's answer to friend requests is processed; the reply can refuse items.
    #[serde(rename = "Sns.CallbackPrevFriendResponse")]
    PrevFriendResponse(PrevFriendResponseCallback),
    /// After friend pairs were created (not for `friend_import`).
    #[serde(rename = "Sns.CallbackFriendAdd")]
    FriendAdd(FriendAddCallback),
    /// After friends were deleted, also when blocking ended a friendship.
    #[serde(rename = "Sns.CallbackFriendDelete")]
    FriendDelete(PairListCallback),
    /// After users were blocked.
    #[serde(rename = "Sns.CallbackBlackListAdd")]
    BlackListAdd(PairListCallback),
    /// After users were unblocked.
    #[serde(rename = "Sns.CallbackBlackListDelete")]
    BlackListDelete(PairListCallback),
    /// A command of the app passed 80% of its rate limit (any service's, not only `sns`).
    #[serde(rename = "Alert.RequestOverLimit")]
    RequestOverLimit(RequestOverLimitCallback),
}

/// `Alert.RequestOverLimit`: the service's warning that a command's calls passed 80% of its
/// limit (Tencent's "API Overclocking Alarm Callbacks" page:
/// <https://tencentcloud.com/document/product/1047/60256>). Wire it to a shared budget's
/// `penalize(Command)` when `ServiceName` is `"sns"`, so that every worker slows down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct RequestOverLimitCallback {
    /// The API's service, the first part of its path: `"sns"` for `v4/sns/friend_add`.
    #[serde(rename = "ServiceName")]
    pub service_name: String,
    /// The API's command, the last part of its path: `"friend_add"` for `v4/sns/friend_add`.
    #[serde(rename = "Command")]
    pub command: String,
    /// The calls per second the service counted.
    #[serde(rename = "Request", default, skip_serializing_if = "Option::is_none")]
    pub request: Option<u64>,
    /// The command's limit, calls per second.
    #[serde(rename = "Limit", default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
}

/// `Sns.CallbackPrevFriendAdd` (Tencent's "Before a Friend Is Added" page:
/// <https://www.tencentcloud.com/document/product/1047/43468>).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct PrevFriendAddCallback {
    /// The UserID that sent the request.
    #[serde(rename = "Requester_Account", default, skip_serializing_if = "Option::is_none")]
    pub requester_account: Option<String>,
    /// The UserID that wants to add friends.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// One item per target; the reply answers each `To_Account`.
    #[serde(rename = "FriendItem")]
    pub friend_item: Vec<PrevFriendAddItem>,
    /// `Add_Type_Single` (one-way) or `Add_Type_Both` (two-way).
    #[serde(rename = "AddType", default, skip_serializing_if = "Option::is_none")]
    #[tsify(type = "\"Add_Type_Single\" | \"Add_Type_Both\" | (string & {})")]
    pub add_type: Option<String>,
    /// `1` for a force-add, else `0`.
    #[serde(rename = "ForceAddFlags", default, skip_serializing_if = "Option::is_none")]
    pub force_add_flags: Option<u64>,
    /// When the event happened, Unix time in milliseconds.
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<u64>,
}

/// One target of `Sns.CallbackPrevFriendAdd`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct PrevFriendAddItem {
    /// The UserID to add.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// The remark requested for the friend.
    #[serde(rename = "Remark", default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// The friend list requested.
    #[serde(rename = "GroupName", default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    /// Where the request came from: `AddSource_Type_*`.
    #[serde(rename = "AddSource", default, skip_serializing_if = "Option::is_none")]
    pub add_source: Option<String>,
    /// The request message.
    #[serde(rename = "AddWording", default, skip_serializing_if = "Option::is_none")]
    pub add_wording: Option<String>,
}

/// `Sns.CallbackPrevFriendResponse` (Tencent's "Before a Friend Request Is Responded" page:
/// <https://www.tencentcloud.com/document/product/1047/43467>).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct PrevFriendResponseCallback {
    /// The UserID that sent the response.
    #[serde(rename = "Requester_Account", default, skip_serializing_if = "Option::is_none")]
    pub requester_account: Option<String>,
    /// The UserID answering friend requests.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// One item per request answered; the reply answers each `To_Account`.
    #[serde(rename = "ResponseFriendItem")]
    pub response_friend_item: Vec<ResponseFriendItem>,
    /// When the event happened, Unix time in milliseconds.
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<u64>,
}

/// One answered request of `Sns.CallbackPrevFriendResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct ResponseFriendItem {
    /// The UserID who made the original request.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// The remark the responder sets.
    #[serde(rename = "Remark", default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// The friend list the responder sets (named `TagName` here, not `GroupName`).
    #[serde(rename = "TagName", default, skip_serializing_if = "Option::is_none")]
    pub tag_name: Option<String>,
    /// `Response_Action_AgreeAndAdd` (accept and add back), `Response_Action_Agree` (accept
    /// one-way) or `Response_Action_Reject`.
    #[serde(rename = "ResponseAction", default, skip_serializing_if = "Option::is_none")]
    #[tsify(type = "\"Response_Action_AgreeAndAdd\" | \"Response_Action_Agree\" | \"Response_Action_Reject\" | (string & {})")]
    pub response_action: Option<String>,
}

/// `Sns.CallbackFriendAdd` (Tencent's "After a Friend Is Added" page:
/// <https://www.tencentcloud.com/document/product/1047/34359>).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct FriendAddCallback {
    /// The friend pairs created; a two-way add gives both directions.
    #[serde(rename = "PairList")]
    pub pair_list: Vec<FriendAddPair>,
    /// `friend_add` / `FriendAdd` (an add) or `friend_response` / `FriendResponse` (an accepted request).
    #[serde(rename = "ClientCmd", default, skip_serializing_if = "Option::is_none")]
    pub client_cmd: Option<String>,
    /// The admin UserID when the add came from the REST API, else `""`.
    #[serde(rename = "Admin_Account", default, skip_serializing_if = "Option::is_none")]
    pub admin_account: Option<String>,
    /// `1` for an admin force-add, else `0`.
    #[serde(rename = "ForceFlag", default, skip_serializing_if = "Option::is_none")]
    pub force_flag: Option<u64>,
    /// When the event happened, Unix time in milliseconds (presence unconfirmed).
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<u64>,
}

/// One created friend pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct FriendAddPair {
    /// The owner of the friend list that gained an entry.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The added friend.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// The UserID that initiated the add.
    #[serde(rename = "Initiator_Account", default, skip_serializing_if = "Option::is_none")]
    pub initiator_account: Option<String>,
}

/// `Sns.CallbackFriendDelete`, `Sns.CallbackBlackListAdd`, `Sns.CallbackBlackListDelete`
/// (Tencent's pages "After a Friend Is Deleted":
/// <https://www.tencentcloud.com/document/product/1047/34360>,
/// "After a User Is Added to Blocklist":
/// <https://tencentcloud.com/document/product/1047/34361>,
/// and "After a User Is Removed from Blocklist":
/// <https://www.tencentcloud.com/document/product/1047/34362>).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct PairListCallback {
    /// The affected pairs.
    #[serde(rename = "PairList")]
    pub pair_list: Vec<AccountPair>,
    /// When the event happened, Unix time in milliseconds (presence unconfirmed).
    #[serde(rename = "EventTime", default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<u64>,
}

/// One affected pair of a delete or blocklist callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
pub struct AccountPair {
    /// The owner of the friend list or blocklist that changed.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// The removed friend, or the blocked or unblocked user.
    #[serde(rename = "To_Account")]
    pub to_account: String,
}

const COMMAND: Field = Field::req("CallbackCommand", TEXT);
const EVENT_TIME: Field = Field::opt("EventTime", CODE);

/// The schema of each command's body, checked leniently (unknown fields allowed).
pub fn schema(command: &str) -> Option<&'static [Field]> {
    const PREV_ADD: &[Field] = &[
        COMMAND,
        Field::opt("Requester_Account", TEXT),
        Field::req("From_Account", TEXT),
        Field::req(
            "FriendItem",
            list_of(&Rule::Object(&[
                Field::req("To_Account", TEXT),
                Field::opt("Remark", TEXT),
                Field::opt("GroupName", TEXT),
                Field::opt("AddSource", TEXT),
                Field::opt("AddWording", TEXT),
            ])),
        ),
        Field::opt("AddType", TEXT),
        Field::opt("ForceAddFlags", CODE),
        EVENT_TIME,
    ];
    const PREV_RESPONSE: &[Field] = &[
        COMMAND,
        Field::opt("Requester_Account", TEXT),
        Field::req("From_Account", TEXT),
        Field::req(
            "ResponseFriendItem",
            list_of(&Rule::Object(&[
                Field::req("To_Account", TEXT),
                Field::opt("Remark", TEXT),
                Field::opt("TagName", TEXT),
                Field::opt("ResponseAction", TEXT),
            ])),
        ),
        EVENT_TIME,
    ];
    const ADD: &[Field] = &[
        COMMAND,
        Field::req(
            "PairList",
            list_of(&Rule::Object(&[Field::req("From_Account", TEXT), Field::req("To_Account", TEXT), Field::opt("Initiator_Account", TEXT)])),
        ),
        Field::opt("ClientCmd", TEXT),
        Field::opt("Admin_Account", TEXT),
        Field::opt("ForceFlag", CODE),
        EVENT_TIME,
    ];
    const PAIRS: &[Field] = &[COMMAND, Field::req("PairList", list_of(&Rule::Object(&[Field::req("From_Account", TEXT), Field::req("To_Account", TEXT)]))), EVENT_TIME];
    const OVER_LIMIT: &[Field] = &[COMMAND, Field::req("ServiceName", TEXT), Field::req("Command", TEXT), Field::opt("Request", CODE), Field::opt("Limit", CODE)];
    match command {
        PREV_FRIEND_ADD => Some(PREV_ADD),
        PREV_FRIEND_RESPONSE => Some(PREV_RESPONSE),
        FRIEND_ADD => Some(ADD),
        FRIEND_DELETE | BLACK_LIST_ADD | BLACK_LIST_DELETE => Some(PAIRS),
        REQUEST_OVER_LIMIT => Some(OVER_LIMIT),
        _ => None,
    }
}
