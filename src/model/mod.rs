//! The 15 relationship-chain endpoints: one file per endpoint states its documented request
//! and response fields as a schema (see [`crate::validate::schema`]); this table binds each
//! wire command to its file. Adding an endpoint is one file and one row.

pub(crate) mod common;
pub mod types;
pub mod wire;

pub mod black_list_add;
pub mod black_list_check;
pub mod black_list_delete;
pub mod black_list_get;
pub mod friend_add;
pub mod friend_check;
pub mod friend_delete;
pub mod friend_delete_all;
pub mod friend_get;
pub mod friend_get_list;
pub mod friend_import;
pub mod friend_update;
pub mod group_add;
pub mod group_delete;
pub mod group_get;

use crate::validate::schema::{self, Field, Options};
use crate::validate::{Path, Violations, stream};
use serde_json::Value;

macro_rules! endpoints {
    ($($variant:ident => $module:ident, $req:ident, $resp:ident, $v:ident = $vjs:literal, $b:ident = $bjs:literal, $p:ident = $pjs:literal, $m:literal, $ret:literal;)*) => {
        /// A relationship-chain command (`v4/sns/<command>`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Command {
            $(
                #[doc = concat!("`v4/sns/", stringify!($module), "`")]
                $variant,
            )*
        }

        impl Command {
            /// Every command: the friend commands, then the blocklist, then the friend lists.
            pub const ALL: &'static [Command] = &[$(Command::$variant),*];

            /// The wire name, e.g. `friend_add`.
            pub fn wire_name(self) -> &'static str {
                match self { $(Command::$variant => stringify!($module)),* }
            }

            /// The command for a wire name.
            pub fn from_wire(name: &str) -> Option<Self> {
                match name { $(stringify!($module) => Some(Command::$variant),)* _ => None }
            }

            /// The documented request fields.
            pub fn request_fields(self) -> &'static [Field] {
                match self { $(Command::$variant => $module::REQUEST),* }
            }

            /// The documented response fields besides the envelope.
            pub fn response_fields(self) -> &'static [Field] {
                match self { $(Command::$variant => $module::RESPONSE),* }
            }

            /// Reads a request into its typed struct and writes it back (for native users and
            /// tests: the typed structs and the schema must agree).
            pub fn typed_request(self, body: &Value) -> Result<Value, serde_json::Error> {
                match self { $(Command::$variant => serde_json::to_value(serde_json::from_value::<$module::$req>(body.clone())?)),* }
            }

            /// Reads a response into its typed struct and writes it back. Lists the body leaves
            /// out are read as empty, as [`Command::parse`] hands them over.
            pub fn typed_response(self, body: &Value) -> Result<Value, serde_json::Error> {
                let mut body = body.clone();
                schema::fill_lists(&mut body, self.response_fields());
                match self { $(Command::$variant => serde_json::to_value(serde_json::from_value::<$module::$resp>(body)?)),* }
            }

            /// The TypeScript declarations of this command's request and response types.
            pub fn type_declarations(self) -> [&'static str; 2] {
                use tsify::Tsify;
                match self { $(Command::$variant => [$module::$req::DECL, $module::$resp::DECL]),* }
            }
        }
    };
}

/// The one endpoint table: every row names the command, its module, its request and response
/// types, and the JS names of its exports and client method. `for_each_endpoint!(m)` hands the
/// rows to macro `m`, which is how the command enum, the JS functions and the `SnsClient`
/// methods are all generated from it.
#[macro_export]
macro_rules! for_each_endpoint {
    ($callback:ident) => {
        $callback! {
            FriendAdd => friend_add, FriendAddRequest, FriendAddResponse, validate_friend_add = "validateFriendAdd", build_friend_add = "buildFriendAdd", parse_friend_add = "parseFriendAdd", "friendAdd", "Promise<WithMeta<FriendAddResponse>>";
            FriendImport => friend_import, FriendImportRequest, FriendImportResponse, validate_friend_import = "validateFriendImport", build_friend_import = "buildFriendImport", parse_friend_import = "parseFriendImport", "friendImport", "Promise<WithMeta<FriendImportResponse>>";
            FriendUpdate => friend_update, FriendUpdateRequest, FriendUpdateResponse, validate_friend_update = "validateFriendUpdate", build_friend_update = "buildFriendUpdate", parse_friend_update = "parseFriendUpdate", "friendUpdate", "Promise<WithMeta<FriendUpdateResponse>>";
            FriendDelete => friend_delete, FriendDeleteRequest, FriendDeleteResponse, validate_friend_delete = "validateFriendDelete", build_friend_delete = "buildFriendDelete", parse_friend_delete = "parseFriendDelete", "friendDelete", "Promise<WithMeta<FriendDeleteResponse>>";
            FriendDeleteAll => friend_delete_all, FriendDeleteAllRequest, FriendDeleteAllResponse, validate_friend_delete_all = "validateFriendDeleteAll", build_friend_delete_all = "buildFriendDeleteAll", parse_friend_delete_all = "parseFriendDeleteAll", "friendDeleteAll", "Promise<WithMeta<FriendDeleteAllResponse>>";
            FriendCheck => friend_check, FriendCheckRequest, FriendCheckResponse, validate_friend_check = "validateFriendCheck", build_friend_check = "buildFriendCheck", parse_friend_check = "parseFriendCheck", "friendCheck", "Promise<WithMeta<FriendCheckResponse>>";
            FriendGet => friend_get, FriendGetRequest, FriendGetResponse, validate_friend_get = "validateFriendGet", build_friend_get = "buildFriendGet", parse_friend_get = "parseFriendGet", "friendGet", "Promise<WithMeta<FriendGetResponse>>";
            FriendGetList => friend_get_list, FriendGetListRequest, FriendGetListResponse, validate_friend_get_list = "validateFriendGetList", build_friend_get_list = "buildFriendGetList", parse_friend_get_list = "parseFriendGetList", "friendGetList", "Promise<WithMeta<FriendGetListResponse>>";
            BlackListAdd => black_list_add, BlackListRequest, BlackListResponse, validate_black_list_add = "validateBlackListAdd", build_black_list_add = "buildBlackListAdd", parse_black_list_add = "parseBlackListAdd", "blackListAdd", "Promise<WithMeta<BlackListResponse>>";
            BlackListDelete => black_list_delete, BlackListRequest, BlackListResponse, validate_black_list_delete = "validateBlackListDelete", build_black_list_delete = "buildBlackListDelete", parse_black_list_delete = "parseBlackListDelete", "blackListDelete", "Promise<WithMeta<BlackListResponse>>";
            BlackListGet => black_list_get, BlackListGetRequest, BlackListGetResponse, validate_black_list_get = "validateBlackListGet", build_black_list_get = "buildBlackListGet", parse_black_list_get = "parseBlackListGet", "blackListGet", "Promise<WithMeta<BlackListGetResponse>>";
            BlackListCheck => black_list_check, BlackListCheckRequest, BlackListCheckResponse, validate_black_list_check = "validateBlackListCheck", build_black_list_check = "buildBlackListCheck", parse_black_list_check = "parseBlackListCheck", "blackListCheck", "Promise<WithMeta<BlackListCheckResponse>>";
            GroupAdd => group_add, GroupAddRequest, GroupAddResponse, validate_group_add = "validateGroupAdd", build_group_add = "buildGroupAdd", parse_group_add = "parseGroupAdd", "groupAdd", "Promise<WithMeta<GroupAddResponse>>";
            GroupDelete => group_delete, GroupDeleteRequest, GroupDeleteResponse, validate_group_delete = "validateGroupDelete", build_group_delete = "buildGroupDelete", parse_group_delete = "parseGroupDelete", "groupDelete", "Promise<WithMeta<GroupDeleteResponse>>";
            GroupGet => group_get, GroupGetRequest, GroupGetResponse, validate_group_get = "validateGroupGet", build_group_get = "buildGroupGet", parse_group_get = "parseGroupGet", "groupGet", "Promise<WithMeta<GroupGetResponse>>";
        }
    };
}

for_each_endpoint!(endpoints);

/// Checks the envelope of any REST reply (`ErrorCode`, and `ActionStatus` when present),
/// tolerating every other field; returns all violations.
pub fn check_envelope(body: &Value) -> Violations {
    let mut out = Violations::new();
    schema::object(body, &common::ENVELOPE, &Path::root(), &Options::RESPONSE, &mut out);
    out
}

impl Command {
    /// The URL path below the domain, e.g. `v4/sns/friend_add`.
    pub fn path(self) -> String {
        format!("v4/sns/{}", self.wire_name())
    }

    /// Checks a request body against every documented rule; returns all violations.
    pub fn validate_request(self, body: &Value, opts: &Options) -> Violations {
        let mut out = Violations::new();
        schema::object(body, self.request_fields(), &Path::root(), opts, &mut out);
        out
    }

    /// The fast path of [`Command::validate_request`] over JSON text: only the verdict, no
    /// tree and no report (see [`crate::validate::stream`]).
    pub fn check_request_text(self, text: &str, opts: &Options) -> stream::Verdict {
        stream::check_request(text, self.request_fields(), opts)
    }

    /// The fast path of [`Command::check_response`] over JSON text, with what the envelope says.
    pub fn check_reply_text(self, text: &str) -> (stream::Verdict, stream::Envelope) {
        stream::check_reply(text, &[&common::ENVELOPE, self.response_fields()])
    }

    /// [`Command::check_reply_text`], and the reply's per-item result rows read on the way
    /// (`None` unless it is valid and its result list was read plainly).
    pub fn check_reply_rows(self, text: &str) -> (stream::Verdict, stream::Envelope, Option<Vec<stream::Row>>) {
        stream::check_reply_rows(text, &[&common::ENVELOPE, self.response_fields()])
    }

    /// Checks the shape of a response body (envelope and documented fields), tolerating
    /// unknown and legacy fields; returns all violations.
    pub fn check_response(self, body: &Value) -> Violations {
        let mut out = check_envelope(body);
        let root = Path::root();
        if body.is_object() {
            schema::object(body, self.response_fields(), &root, &Options::RESPONSE, &mut out);
        }
        out
    }
}
