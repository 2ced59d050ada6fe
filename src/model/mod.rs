//! The 15 relationship-chain endpoints: one file per endpoint states its documented request
//! and response fields as a schema (see [`crate::validate::schema`]); this table binds each
//! wire command to its file. Adding an endpoint is one file and one row.

mod common;

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
use crate::validate::{Path, Violations};
use serde_json::Value;

macro_rules! endpoints {
    ($($variant:ident => $module:ident,)*) => {
        /// A relationship-chain command (`v4/sns/<command>`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Command {
            $(
                #[doc = concat!("`v4/sns/", stringify!($module), "`")]
                $variant,
            )*
        }

        impl Command {
            /// Every command, in the order of the spec's endpoint index.
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
        }
    };
}

endpoints! {
    FriendAdd => friend_add,
    FriendImport => friend_import,
    FriendUpdate => friend_update,
    FriendDelete => friend_delete,
    FriendDeleteAll => friend_delete_all,
    FriendCheck => friend_check,
    FriendGet => friend_get,
    FriendGetList => friend_get_list,
    BlackListAdd => black_list_add,
    BlackListDelete => black_list_delete,
    BlackListGet => black_list_get,
    BlackListCheck => black_list_check,
    GroupAdd => group_add,
    GroupDelete => group_delete,
    GroupGet => group_get,
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

    /// Checks the shape of a response body (envelope and documented fields), tolerating
    /// unknown and legacy fields; returns all violations.
    pub fn check_response(self, body: &Value) -> Violations {
        let mut out = Violations::new();
        let root = Path::root();
        schema::object(body, &common::ENVELOPE, &root, &Options::RESPONSE, &mut out);
        if body.is_object() {
            schema::object(body, self.response_fields(), &root, &Options::RESPONSE, &mut out);
        }
        out
    }
}
