//! Export: one user's record from the replies of the read calls (`friend_get`,
//! `group_get`, `black_list_get`). The caller pages with
//! [`crate::client::paging::Pager`] and hands each reply in; the builder keeps only what the
//! record needs, so memory stays at one user's chain.

use super::format::{RecordError, UserRecord};
use crate::client::paging::{Kind, Pager};
use crate::model::Command;
use crate::model::black_list_get::BlockedUser;
use crate::model::friend_import::{CustomItem, FriendImportItem};
use crate::model::types::TagValue;
use serde_json::Value;

/// The standard tags a record carries. `Tag_SNS_IM_RemarkTime` is
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

/// One of the three reads of an export. They read different things (friends, lists, blocks)
/// of one user and change nothing, so they run at once: a user's export then takes the round
/// trips of its longest read (one, for up to 100 friends and 1000 blocks) instead of the sum
/// of the three, and an export of many users needs a third of the users in flight to keep
/// the rate budget busy. Pages of one read go in series: each page says where the next starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// Every friend page (`friend_get`).
    Friends,
    /// The lists (`group_get`, one call).
    Lists,
    /// Every blocklist page (`black_list_get`).
    Blocks,
}

impl Read {
    /// The reads of an export, which run at once.
    pub const ALL: [Read; 3] = [Read::Friends, Read::Lists, Read::Blocks];

    fn index(self) -> usize {
        self as usize
    }
}

/// Where one read is.
#[derive(Debug, Clone)]
struct Strand {
    /// The pages still to read (`None` for the lists' single call).
    pager: Option<Pager>,
    /// A call of this read is in flight.
    in_flight: bool,
    done: bool,
}

/// The reads of one user's export, as a sans-IO job: the three reads of [`Read::ALL`] run at
/// once, each page after page. Ask [`UserExport::next`] for a read's next call, hand its reply
/// to [`UserExport::take`] (or a failure to [`UserExport::fail`]) until every read says `None`
/// ([`UserExport::done`]), then [`UserExport::finish`]. The record is the same whatever order
/// the replies come in: friends in page order, lists, blocks in page order.
#[derive(Debug, Clone)]
pub struct UserExport {
    builder: RecordBuilder,
    strands: [Strand; 3],
    failed: Option<UserRecord>,
}

impl UserExport {
    /// The export of `user`; `custom_tags` as in [`RecordBuilder::new`].
    pub fn new(user: &str, custom_tags: Option<Vec<String>>) -> Self {
        let strand = |pager| Strand { pager, in_flight: false, done: false };
        Self {
            builder: RecordBuilder::new(user, custom_tags),
            strands: [
                strand(Some(Pager::new(Kind::Friends, friend_get_body(user)))),
                strand(None),
                strand(Some(Pager::new(Kind::Blocklist, black_list_get_body(user)))),
            ],
            failed: None,
        }
    }

    /// The export with only `reads` (the others are left out of the record, empty).
    pub fn only(user: &str, custom_tags: Option<Vec<String>>, reads: &[Read]) -> Self {
        let mut job = Self::new(user, custom_tags);
        for read in Read::ALL.into_iter().filter(|r| !reads.contains(r)) {
            job.strands[read.index()].done = true;
        }
        job
    }

    /// The next call of `read` to send now, or `None` when that read is done, has a call in
    /// flight, or the export failed. The call counts as in flight until its reply is taken.
    pub fn next_of(&mut self, read: Read) -> Option<(Command, Value)> {
        if self.failed.is_some() {
            return None;
        }
        let user = &self.builder.record.from_account;
        let strand = &mut self.strands[read.index()];
        if strand.done || strand.in_flight {
            return None;
        }
        let call = match (read, &strand.pager) {
            (Read::Lists, _) => (Command::GroupGet, group_get_body(user)),
            (Read::Friends, Some(p)) => (Command::FriendGet, p.next_body()?),
            (Read::Blocks, Some(p)) => (Command::BlackListGet, p.next_body()?),
            (_, None) => return None,
        };
        strand.in_flight = true;
        Some(call)
    }

    /// The next call of any read to send now (the first read in [`Read::ALL`] order that has
    /// one), with its read; `None` when every read is done or in flight. A caller that sends
    /// one call at a time gets every call of the export this way.
    pub fn next(&mut self) -> Option<(Read, Command, Value)> {
        Read::ALL.into_iter().find_map(|read| self.next_of(read).map(|(command, body)| (read, command, body)))
    }

    /// True when the record is complete or the export failed (no call is left to send).
    pub fn done(&self) -> bool {
        self.failed.is_some() || self.strands.iter().all(|s| s.done)
    }

    /// Takes the reply of the call `next_of(read)` gave.
    pub fn take(&mut self, read: Read, reply: &Value) {
        let strand = &mut self.strands[read.index()];
        if !strand.in_flight || self.failed.is_some() {
            return;
        }
        strand.in_flight = false;
        match read {
            Read::Friends => self.builder.friend_page(reply),
            Read::Lists => self.builder.lists(reply),
            Read::Blocks => self.builder.block_page(reply),
        }
        let strand = &mut self.strands[read.index()];
        let Some(pager) = strand.pager.as_mut() else {
            strand.done = true;
            return;
        };
        let advanced = pager.advance(reply);
        strand.done = pager.done();
        if let Err(stuck) = advanced {
            self.fail(0, &stuck.0);
        }
    }

    /// Ends the export as failed: a call `next_of` gave failed with `code` (0 when no reply
    /// came, e.g. the network failed after every retry). The first failure is the record's;
    /// replies of the other reads still in flight are then ignored.
    pub fn fail(&mut self, code: u32, info: &str) {
        if self.failed.is_none() {
            self.failed = Some(self.builder.clone().fail(code, info));
        }
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
    fn one_call_at_a_time_an_export_reads_every_friend_page_then_lists_then_every_block_page() {
        let mut job = UserExport::new("alice", None);
        let mut sent = Vec::new();
        while let Some((read, command, body)) = job.next() {
            sent.push((command.wire_name(), body["StartIndex"].as_u64()));
            let reply = match (command, body["StartIndex"].as_u64()) {
                (Command::FriendGet, Some(0)) => json!({ "UserDataItem": [{ "To_Account": "bob", "ValueItem": [] }], "CompleteFlag": 0, "NextStartIndex": 1 }),
                (Command::FriendGet, _) => json!({ "UserDataItem": [{ "To_Account": "carol", "ValueItem": [] }], "CompleteFlag": 1 }),
                (Command::GroupGet, _) => json!({ "ResultItem": [{ "GroupName": "Empty" }] }),
                (_, Some(0)) => json!({ "BlackListItem": [{ "To_Account": "x" }], "StartIndex": 1 }),
                _ => json!({ "BlackListItem": [{ "To_Account": "y" }], "StartIndex": 0 }),
            };
            job.take(read, &reply);
        }
        assert!(job.done());
        assert_eq!(sent, [("friend_get", Some(0)), ("friend_get", Some(1)), ("group_get", None), ("black_list_get", Some(0)), ("black_list_get", Some(1))]);
        let r = job.finish();
        assert_eq!((r.friends.len(), r.lists.len(), r.blocklist.len()), (2, 1, 2));
        assert!(r.error.is_none());
    }

    #[test]
    fn a_failed_read_or_a_stuck_pager_ends_the_export_with_its_error() {
        let mut job = UserExport::new("ghost", None);
        assert!(job.next_of(Read::Lists).is_some());
        job.fail(30003, "account not found");
        job.fail(70001, "a later failure of another read");
        assert!(job.next().is_none() && job.done());
        job.take(Read::Lists, &json!({ "ResultItem": [{ "GroupName": "late" }] }));
        assert_eq!(job.finish().error.unwrap().code, 30003, "the first failure is the record's");
        let mut job = UserExport::new("alice", None);
        assert!(job.next_of(Read::Friends).is_some());
        job.take(Read::Friends, &json!({ "CompleteFlag": 0, "NextStartIndex": 0 }));
        assert!(job.next().is_none() && job.done());
        assert!(job.finish().error.unwrap().info.contains("does not advance"));
    }

    #[test]
    fn the_three_reads_go_at_once_and_replies_in_any_order_give_the_same_record() {
        let mut job = UserExport::new("alice", None);
        let first: Vec<_> = Read::ALL.iter().filter_map(|&r| job.next_of(r).map(|(c, _)| c)).collect();
        assert_eq!(first, [Command::FriendGet, Command::GroupGet, Command::BlackListGet], "one call of each read at once");
        assert!(job.next().is_none(), "each read has its call in flight");
        // Blocks answer first and have a second page; friends answer last.
        job.take(Read::Blocks, &json!({ "BlackListItem": [{ "To_Account": "x" }], "StartIndex": 1 }));
        let (command, body) = job.next_of(Read::Blocks).unwrap();
        assert_eq!((command, body["StartIndex"].as_u64()), (Command::BlackListGet, Some(1)));
        job.take(Read::Lists, &json!({ "ResultItem": [{ "GroupName": "Family" }] }));
        assert!(job.next_of(Read::Lists).is_none(), "the lists are one call");
        job.take(Read::Blocks, &json!({ "BlackListItem": [{ "To_Account": "y" }], "StartIndex": 0 }));
        assert!(!job.done());
        job.take(Read::Friends, &json!({ "UserDataItem": [{ "To_Account": "bob", "ValueItem": [] }], "CompleteFlag": 1 }));
        assert!(job.done() && job.next().is_none());
        let r = job.finish();
        assert_eq!(r.friends[0].to_account, "bob");
        assert_eq!(r.lists, ["Family"]);
        assert_eq!(r.blocklist.iter().map(|b| b.to_account.as_str()).collect::<Vec<_>>(), ["x", "y"]);
    }

    #[test]
    fn an_export_of_some_reads_sends_only_those() {
        let mut job = UserExport::only("alice", None, &[Read::Friends]);
        let (read, command, _) = job.next().unwrap();
        assert_eq!((read, command), (Read::Friends, Command::FriendGet));
        assert!(job.next().is_none());
        job.take(Read::Friends, &json!({ "UserDataItem": [], "CompleteFlag": 1 }));
        assert!(job.done());
        let r = job.finish();
        assert!(r.error.is_none() && r.lists.is_empty() && r.blocklist.is_empty());
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
