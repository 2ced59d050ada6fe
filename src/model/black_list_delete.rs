//! `POST v4/sns/black_list_delete`: unblock users (spec blacklist.md §2). Limits: `To_Account`
//! 1..=1000; a target not in the blocklist fails with item code 30001.

pub use super::black_list_add::{BlackListRequest, BlackListResponse, REQUEST, RESPONSE};
