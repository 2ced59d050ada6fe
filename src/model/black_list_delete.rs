//! `POST v4/sns/black_list_delete`: unblock users (Tencent's "Unblocklisting Users" page:
//! <https://www.tencentcloud.com/document/product/1047/34912>).
//! Limits: `To_Account` 1..=1000; a target not in the blocklist fails with item code 30001.

pub use super::black_list_add::{BlackListRequest, BlackListResponse, REQUEST, RESPONSE};
