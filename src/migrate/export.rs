//! Export: one user's record from the replies of the read calls (friends.md §7 `friend_get`,
//! lists.md §3 `group_get`, blacklist.md §3 `black_list_get`). The caller pages with
//! [`crate::client::paging::Pager`] and hands each reply in; the builder keeps only what the
//! record needs, so memory stays at one user's chain.

use super::format::{RecordError, UserRecord};
use crate::client::paging::{Kind, Pager};
use crate::model::Command;
use crate::model::black_list_get::BlockedUser;
use crate::model::friend_import::{CustomItem, FriendImportItem};
use crate::model::types::TagValue;
use serde_json::Value;

/// The standard tags a record carries, and where (fields.md §2). `Tag_SNS_IM_RemarkTime` is
/// the tag name third-party SDKs use (unconfirmed in the official table); it is read when present.
pub const ADD_SOURCE: &str = "Tag_SNS_IM_AddSource";
/// The remark tag.
pub const REMARK: &str = "Tag_SNS_IM_Remark";
/// The friend-list tag.
pub const GROUP: &str = "Tag_SNS_IM_Group";
/// The greeting tag.
pub const ADD_WORDING: &str = "Tag_SNS_IM_AddWording";
/// The time the friendship was formed.
pub const ADD_TIME: &str = "Tag_SNS_IM_AddTime";
/// The time the remark was set (tag name unconfirmed).
pub const REMARK_TIME: &str = "Tag_SNS_IM_RemarkTime";
/// The prefix of custom friend fields.
pub const CUSTOM_PREFIX: &str = "Tag_SNS_Custom_";

/// The first `group_get` body for `user`: every list, no members (members come with each
/// friend's `Tag_SNS_IM_Group`).
pub fn group_get_body(user: &str) -> Value {
    serde_json::json!({ "From_Account": user })
}

/// The first `friend_get` body for `user`.
pub fn friend_get_body(user: &str) -> Value {
    serde_json::json!({ "From_Account": user, "StartIndex": 0 })
}

/// The first `black_list_get` body for `user`: pages of the largest size, 1000.
pub fn black_list_get_body(user: &str) -> Value {
    serde_json::json!({ "From_Account": user, "StartIndex": 0, "MaxLimited": 1000, "LastSequence": 0 })
}

/// Builds one user's record from the replies it is given.
#[derive(Debug, Clone)]
pub struct RecordBuilder {
    record: UserRecord,
    custom_tags: Option<Vec<String>>,
}

impl RecordBuilder {
    /// A record for `user`. `custom_tags` keeps only those `Tag_SNS_Custom_*` fields; `None`
    /// keeps every custom field the service returns.
    pub fn new(user: &str, custom_tags: Option<Vec<String>>) -> Self {
        Self { record: UserRecord { from_account: user.to_owned(), ..UserRecord::default() }, custom_tags }
    }

    /// Takes one `friend_get` page.
    pub fn friend_page(&mut self, reply: &Value) {
        for data in reply.get("UserDataItem").and_then(Value::as_array).into_iter().flatten() {
            let Some(to) = data.get("To_Account").and_then(Value::as_str) else { continue };
            let tags = data.get("ValueItem").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            self.record.friends.push(self.friend(to, tags));
        }
    }

    fn friend(&self, to: &str, tags: &[Value]) -> FriendImportItem {
        let mut f = FriendImportItem {
            to_account: to.to_owned(),
            remark: None,
            remark_time: None,
            group_name: None,
            add_source: String::new(),
            add_wording: None,
            add_time: None,
            custom_item: None,
        };
        let mut custom = Vec::new();
        for item in tags {
            let (Some(tag), Some(value)) = (item.get("Tag").and_then(Value::as_str), item.get("Value")) else { continue };
            match tag {
                ADD_SOURCE => f.add_source = value.as_str().unwrap_or_default().to_owned(),
                REMARK => f.remark = value.as_str().filter(|s| !s.is_empty()).map(str::to_owned),
                ADD_WORDING => f.add_wording = value.as_str().filter(|s| !s.is_empty()).map(str::to_owned),
                GROUP => {
                    let names: Vec<String> = value.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect();
                    f.group_name = (!names.is_empty()).then_some(names);
                }
                ADD_TIME => f.add_time = seconds(value),
                REMARK_TIME => f.remark_time = seconds(value).filter(|&t| t > 0),
                custom_tag if custom_tag.starts_with(CUSTOM_PREFIX) && self.wants(custom_tag) => {
                    if let Some(value) = tag_value(value) {
                        custom.push(CustomItem { tag: custom_tag.to_owned(), value });
                    }
                }
                _ => {}
            }
        }
        f.custom_item = (!custom.is_empty()).then_some(custom);
        f
    }

    fn wants(&self, tag: &str) -> bool {
        self.custom_tags.as_ref().is_none_or(|tags| tags.iter().any(|t| t == tag))
    }

    /// Takes the `group_get` reply: the user's lists, empty ones included.
    pub fn lists(&mut self, reply: &Value) {
        self.record.lists = reply
            .get("ResultItem")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|l| l.get("GroupName").and_then(Value::as_str))
            .map(str::to_owned)
            .collect();
    }

    /// Takes one `black_list_get` page.
    pub fn block_page(&mut self, reply: &Value) {
        for b in reply.get("BlackListItem").and_then(Value::as_array).into_iter().flatten() {
            if let Some(to) = b.get("To_Account").and_then(Value::as_str) {
                let at = b.get("AddBlackTimeStamp").and_then(seconds);
                self.record.blocklist.push(BlockedUser { to_account: to.to_owned(), add_black_time_stamp: at });
            }
        }
    }

    /// Ends the record as failed: a read call failed with `code` (0 when no reply came).
    pub fn fail(self, code: u32, info: &str) -> UserRecord {
        UserRecord {
            from_account: self.record.from_account,
            error: Some(RecordError { code, info: info.to_owned() }),
            ..UserRecord::default()
        }
    }

    /// The finished record.
    pub fn finish(self) -> UserRecord {
        self.record
    }
}

/// Which read an export is at.
#[derive(Debug, Clone)]
enum Step {
    Friends(Pager),
    Lists,
    Blocks(Pager),
    Done,
}

/// The reads of one user's export, as a sans-IO job: ask [`UserExport::next`] for the call to
/// send, hand its reply to [`UserExport::take`] (or a failure to [`UserExport::fail`]) until
/// `next` says `None`, then [`UserExport::finish`]. It reads every friend page
/// (`friend_get`), the lists (`group_get`) and every blocklist page (`black_list_get`).
#[derive(Debug, Clone)]
pub struct UserExport {
    builder: RecordBuilder,
    step: Step,
    failed: Option<UserRecord>,
}

impl UserExport {
    /// The export of `user`; `custom_tags` as in [`RecordBuilder::new`].
    pub fn new(user: &str, custom_tags: Option<Vec<String>>) -> Self {
        Self {
            builder: RecordBuilder::new(user, custom_tags),
            step: Step::Friends(Pager::new(Kind::Friends, friend_get_body(user))),
            failed: None,
        }
    }

    /// The next call to send, or `None` when the record is complete.
    pub fn next(&self) -> Option<(Command, Value)> {
        if self.failed.is_some() {
            return None;
        }
        let user = &self.builder.record.from_account;
        match &self.step {
            Step::Friends(p) => p.next_body().map(|b| (Command::FriendGet, b)),
            Step::Lists => Some((Command::GroupGet, group_get_body(user))),
            Step::Blocks(p) => p.next_body().map(|b| (Command::BlackListGet, b)),
            Step::Done => None,
        }
    }

    /// Takes the reply of the call `next` gave.
    pub fn take(&mut self, reply: &Value) {
        let user = self.builder.record.from_account.clone();
        let step = std::mem::replace(&mut self.step, Step::Done);
        self.step = match step {
            Step::Friends(mut p) => {
                self.builder.friend_page(reply);
                match p.advance(reply) {
                    Err(stuck) => return self.fail(0, &stuck.0),
                    Ok(()) if p.done() => Step::Lists,
                    Ok(()) => Step::Friends(p),
                }
            }
            Step::Lists => {
                self.builder.lists(reply);
                Step::Blocks(Pager::new(Kind::Blocklist, black_list_get_body(&user)))
            }
            Step::Blocks(mut p) => {
                self.builder.block_page(reply);
                match p.advance(reply) {
                    Err(stuck) => return self.fail(0, &stuck.0),
                    Ok(()) if p.done() => Step::Done,
                    Ok(()) => Step::Blocks(p),
                }
            }
            Step::Done => Step::Done,
        };
    }

    /// Ends the export as failed: the call `next` gave failed with `code` (0 when no reply
    /// came, e.g. the network failed after every retry).
    pub fn fail(&mut self, code: u32, info: &str) {
        self.step = Step::Done;
        self.failed = Some(self.builder.clone().fail(code, info));
    }

    /// The record: complete, or the failure.
    pub fn finish(self) -> UserRecord {
        self.failed.unwrap_or_else(|| self.builder.finish())
    }
}

/// Unix seconds as a number, or as a string of digits (some proxies stringify large numbers).
fn seconds(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

fn tag_value(v: &Value) -> Option<TagValue> {
    match v {
        Value::Number(n) => n.as_u64().map(TagValue::Int),
        Value::String(s) => Some(TagValue::Str(s.clone())),
        Value::Array(a) => Some(TagValue::StrList(a.iter().filter_map(Value::as_str).map(str::to_owned).collect())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn page() -> Value {
        json!({ "UserDataItem": [
            { "To_Account": "bob", "ValueItem": [
                { "Tag": ADD_SOURCE, "Value": "AddSource_Type_Web" },
                { "Tag": REMARK, "Value": "老王" },
                { "Tag": GROUP, "Value": ["Family", "Work"] },
                { "Tag": ADD_WORDING, "Value": "hi" },
                { "Tag": ADD_TIME, "Value": 1700000000 },
                { "Tag": REMARK_TIME, "Value": "1700000100" },
                { "Tag": "Tag_SNS_Custom_Lvl", "Value": 3 },
                { "Tag": "Tag_SNS_Custom_Nick", "Value": "b" },
                { "Tag": "Tag_SNS_IM_Unknown", "Value": "x" }
            ]},
            { "To_Account": "carol", "ValueItem": [{ "Tag": ADD_SOURCE, "Value": "AddSource_Type_Android" }] },
            { "ValueItem": [] }
        ], "CompleteFlag": 1 })
    }

    #[test]
    fn a_friend_page_becomes_import_items_with_every_standard_and_custom_field() {
        let mut b = RecordBuilder::new("alice", None);
        b.friend_page(&page());
        let r = b.finish();
        assert_eq!(r.friends.len(), 2, "an entry without To_Account is skipped");
        let bob = &r.friends[0];
        assert_eq!(bob.add_source, "AddSource_Type_Web");
        assert_eq!(bob.remark.as_deref(), Some("老王"));
        assert_eq!(bob.group_name.as_deref(), Some(&["Family".to_owned(), "Work".to_owned()][..]));
        assert_eq!(bob.add_wording.as_deref(), Some("hi"));
        assert_eq!((bob.add_time, bob.remark_time), (Some(1700000000), Some(1700000100)));
        let custom = bob.custom_item.as_ref().unwrap();
        assert_eq!(custom.len(), 2);
        assert_eq!(custom[0].value, TagValue::Int(3));
        let carol = &r.friends[1];
        assert!(carol.remark.is_none() && carol.group_name.is_none() && carol.custom_item.is_none());
    }

    #[test]
    fn custom_tags_can_be_chosen() {
        let mut b = RecordBuilder::new("alice", Some(vec!["Tag_SNS_Custom_Nick".into()]));
        b.friend_page(&page());
        let custom = b.finish().friends[0].custom_item.clone().unwrap();
        assert_eq!(custom.iter().map(|c| c.tag.as_str()).collect::<Vec<_>>(), ["Tag_SNS_Custom_Nick"]);
    }

    #[test]
    fn an_export_reads_every_friend_page_then_lists_then_every_block_page() {
        let mut job = UserExport::new("alice", None);
        let mut sent = Vec::new();
        while let Some((command, body)) = job.next() {
            sent.push((command.wire_name(), body["StartIndex"].as_u64()));
            let reply = match (command, body["StartIndex"].as_u64()) {
                (Command::FriendGet, Some(0)) => json!({ "UserDataItem": [{ "To_Account": "bob", "ValueItem": [] }], "CompleteFlag": 0, "NextStartIndex": 1 }),
                (Command::FriendGet, _) => json!({ "UserDataItem": [{ "To_Account": "carol", "ValueItem": [] }], "CompleteFlag": 1 }),
                (Command::GroupGet, _) => json!({ "ResultItem": [{ "GroupName": "Empty" }] }),
                (_, Some(0)) => json!({ "BlackListItem": [{ "To_Account": "x" }], "StartIndex": 1 }),
                _ => json!({ "BlackListItem": [{ "To_Account": "y" }], "StartIndex": 0 }),
            };
            job.take(&reply);
        }
        assert_eq!(sent, [("friend_get", Some(0)), ("friend_get", Some(1)), ("group_get", None), ("black_list_get", Some(0)), ("black_list_get", Some(1))]);
        let r = job.finish();
        assert_eq!((r.friends.len(), r.lists.len(), r.blocklist.len()), (2, 1, 2));
        assert!(r.error.is_none());
    }

    #[test]
    fn a_failed_read_or_a_stuck_pager_ends_the_export_with_its_error() {
        let mut job = UserExport::new("ghost", None);
        job.fail(30003, "account not found");
        assert!(job.next().is_none());
        assert_eq!(job.finish().error.unwrap().code, 30003);
        let mut job = UserExport::new("alice", None);
        job.take(&json!({ "CompleteFlag": 0, "NextStartIndex": 0 }));
        assert!(job.next().is_none());
        assert!(job.finish().error.unwrap().info.contains("does not advance"));
    }

    #[test]
    fn lists_blocks_and_failures() {
        let mut b = RecordBuilder::new("alice", None);
        b.lists(&json!({ "ResultItem": [{ "GroupName": "Family", "FriendNumber": 1 }, { "GroupName": "Empty", "FriendNumber": 0 }] }));
        b.block_page(&json!({ "BlackListItem": [{ "To_Account": "mallory", "AddBlackTimeStamp": 1700000000 }], "StartIndex": 0 }));
        let r = b.clone().finish();
        assert_eq!(r.lists, ["Family", "Empty"]);
        assert_eq!(r.blocklist[0].to_account, "mallory");
        let failed = b.fail(30003, "account not found");
        assert_eq!(failed.error.as_ref().unwrap().code, 30003);
        assert!(failed.lists.is_empty() && failed.blocklist.is_empty());
    }
}
