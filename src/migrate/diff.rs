//! Diff: what a live user lacks, holds beyond, or holds differently from a snapshot record.
//!
//! A field is compared only when the snapshot has it: a time the service set on its own (an
//! `AddTime` the snapshot did not carry) is not a difference. Lists are compared as sets, in
//! a friend and for the user. Of a friend's fields, `friend_update` can write the remark, the
//! lists and custom fields (the only updatable tags); a different add source, wording or time
//! can only be
//! reported (`unwritable`), since fixing it would mean deleting and re-importing the friend.

use super::export::{GROUP, REMARK};
use super::format::UserRecord;
use crate::model::friend_import::FriendImportItem;
use crate::model::friend_update::SnsItem;
use crate::model::types::TagValue;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use tsify::Tsify;

/// A friend the live user has, with fields that differ from the snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct FriendDifference {
    /// The friend.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// The `friend_update` fields that bring the live friend to the snapshot (remark, lists,
    /// custom fields); empty when only unwritable fields differ.
    pub update: Vec<SnsItem>,
    /// Fields that differ but `friend_update` cannot write: `AddSource`, `AddWording`, `AddTime`, `RemarkTime`.
    pub unwritable: Vec<String>,
}

/// How one live user differs from its snapshot record.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct UserDiff {
    /// The user.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// Friends in the snapshot that the live user lacks, as the items that import them.
    pub missing_friends: Vec<FriendImportItem>,
    /// Friends the live user has that the snapshot does not.
    pub extra_friends: Vec<String>,
    /// Friends on both sides whose fields differ.
    pub different_friends: Vec<FriendDifference>,
    /// Lists in the snapshot that the live user lacks.
    pub missing_lists: Vec<String>,
    /// Lists the live user has that the snapshot does not.
    pub extra_lists: Vec<String>,
    /// Users blocked in the snapshot but not live.
    pub missing_blocks: Vec<String>,
    /// Users blocked live but not in the snapshot.
    pub extra_blocks: Vec<String>,
}

impl UserDiff {
    /// True when the live user matches the snapshot exactly.
    pub fn is_empty(&self) -> bool {
        self.missing_friends.is_empty()
            && self.extra_friends.is_empty()
            && self.different_friends.is_empty()
            && self.missing_lists.is_empty()
            && self.extra_lists.is_empty()
            && self.missing_blocks.is_empty()
            && self.extra_blocks.is_empty()
    }

    /// True when a restore has something to write: missing friends, lists or blocks, or
    /// writable differences. Extras are never deleted by a restore.
    pub fn has_writes(&self) -> bool {
        !self.missing_friends.is_empty()
            || !self.missing_lists.is_empty()
            || !self.missing_blocks.is_empty()
            || self.different_friends.iter().any(|d| !d.update.is_empty())
    }
}

/// Compares a snapshot record with the live record of the same user.
pub fn diff_user(snapshot: &UserRecord, live: &UserRecord) -> UserDiff {
    let live_friends: BTreeMap<&str, &FriendImportItem> = live.friends.iter().map(|f| (f.to_account.as_str(), f)).collect();
    let snap_friends: BTreeSet<&str> = snapshot.friends.iter().map(|f| f.to_account.as_str()).collect();
    let mut d = UserDiff { from_account: snapshot.from_account.clone(), ..UserDiff::default() };
    for want in &snapshot.friends {
        match live_friends.get(want.to_account.as_str()) {
            None => d.missing_friends.push(want.clone()),
            Some(have) => {
                let diff = friend_difference(want, have);
                if !diff.update.is_empty() || !diff.unwritable.is_empty() {
                    d.different_friends.push(diff);
                }
            }
        }
    }
    d.extra_friends = live.friends.iter().filter(|f| !snap_friends.contains(f.to_account.as_str())).map(|f| f.to_account.clone()).collect();
    (d.missing_lists, d.extra_lists) = set_difference(&snapshot.lists, &live.lists);
    let blocked = |r: &UserRecord| r.blocklist.iter().map(|b| b.to_account.clone()).collect::<Vec<_>>();
    (d.missing_blocks, d.extra_blocks) = set_difference(&blocked(snapshot), &blocked(live));
    d
}

/// What `want` has that `have` lacks, and the reverse, each in `want`'s (or `have`'s) order.
fn set_difference(want: &[String], have: &[String]) -> (Vec<String>, Vec<String>) {
    let w: BTreeSet<&String> = want.iter().collect();
    let h: BTreeSet<&String> = have.iter().collect();
    (want.iter().filter(|x| !h.contains(x)).cloned().collect(), have.iter().filter(|x| !w.contains(x)).cloned().collect())
}

fn friend_difference(want: &FriendImportItem, have: &FriendImportItem) -> FriendDifference {
    let mut update = Vec::new();
    let mut unwritable = Vec::new();
    if let Some(remark) = &want.remark
        && have.remark.as_ref() != Some(remark)
    {
        update.push(SnsItem { tag: REMARK.into(), value: TagValue::Str(remark.clone()) });
    }
    let lists = |f: &FriendImportItem| f.group_name.iter().flatten().cloned().collect::<BTreeSet<_>>();
    if lists(want) != lists(have) {
        update.push(SnsItem { tag: GROUP.into(), value: TagValue::StrList(want.group_name.clone().unwrap_or_default()) });
    }
    let have_custom: BTreeMap<&str, &TagValue> = have.custom_item.iter().flatten().map(|c| (c.tag.as_str(), &c.value)).collect();
    for c in want.custom_item.iter().flatten() {
        if have_custom.get(c.tag.as_str()) != Some(&&c.value) {
            update.push(SnsItem { tag: c.tag.clone(), value: c.value.clone() });
        }
    }
    if !want.add_source.is_empty() && want.add_source != have.add_source {
        unwritable.push("AddSource".into());
    }
    if want.add_wording.is_some() && want.add_wording != have.add_wording {
        unwritable.push("AddWording".into());
    }
    if want.add_time.is_some() && want.add_time != have.add_time {
        unwritable.push("AddTime".into());
    }
    if want.remark_time.is_some() && have.remark_time.is_some() && want.remark_time != have.remark_time {
        unwritable.push("RemarkTime".into());
    }
    FriendDifference { to_account: want.to_account.clone(), update, unwritable }
}

/// A record with nothing in it, for a user the live app does not have.
pub fn empty_live(user: &str) -> UserRecord {
    UserRecord { from_account: user.to_owned(), ..UserRecord::default() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::black_list_get::BlockedUser;
    use crate::model::friend_import::CustomItem;

    fn friend(to: &str) -> FriendImportItem {
        FriendImportItem {
            to_account: to.into(),
            remark: None,
            remark_time: None,
            group_name: None,
            add_source: "AddSource_Type_Web".into(),
            add_wording: None,
            add_time: Some(100),
            custom_item: None,
        }
    }

    fn record(friends: Vec<FriendImportItem>, lists: &[&str], blocks: &[&str]) -> UserRecord {
        UserRecord {
            from_account: "alice".into(),
            friends,
            lists: lists.iter().map(|s| s.to_string()).collect(),
            blocklist: blocks.iter().map(|b| BlockedUser { to_account: b.to_string(), add_black_time_stamp: Some(1) }).collect(),
            error: None,
        }
    }

    #[test]
    fn identical_records_have_no_difference_and_block_times_do_not_count() {
        let a = record(vec![friend("bob")], &["Family"], &["mallory"]);
        let mut b = a.clone();
        b.blocklist[0].add_black_time_stamp = Some(999);
        assert!(diff_user(&a, &b).is_empty());
    }

    #[test]
    fn missing_extra_and_different_on_every_axis() {
        let mut bob = friend("bob");
        bob.remark = Some("Bobby".into());
        bob.group_name = Some(vec!["Family".into(), "Work".into()]);
        bob.custom_item = Some(vec![CustomItem { tag: "Tag_SNS_Custom_Lvl".into(), value: TagValue::Int(3) }]);
        bob.add_wording = Some("hi".into());
        let snap = record(vec![bob, friend("carol")], &["Family", "Work", "Empty"], &["mallory"]);
        let mut live_bob = friend("bob");
        live_bob.group_name = Some(vec!["Work".into()]);
        let live = record(vec![live_bob, friend("dave")], &["Work", "Old"], &["eve"]);
        let d = diff_user(&snap, &live);
        assert_eq!(d.missing_friends.iter().map(|f| f.to_account.as_str()).collect::<Vec<_>>(), ["carol"]);
        assert_eq!(d.extra_friends, ["dave"]);
        assert_eq!((d.missing_lists.clone(), d.extra_lists.clone()), (vec!["Family".into(), "Empty".into()], vec!["Old".to_string()]));
        assert_eq!((d.missing_blocks.clone(), d.extra_blocks.clone()), (vec!["mallory".to_string()], vec!["eve".to_string()]));
        let bob = &d.different_friends[0];
        assert_eq!(bob.update.iter().map(|s| s.tag.as_str()).collect::<Vec<_>>(), [REMARK, GROUP, "Tag_SNS_Custom_Lvl"]);
        assert_eq!(bob.unwritable, ["AddWording"]);
        assert!(d.has_writes() && !d.is_empty());
    }

    #[test]
    fn a_time_the_snapshot_lacks_is_not_a_difference_and_list_order_does_not_matter() {
        let mut want = friend("bob");
        want.add_time = None;
        want.group_name = Some(vec!["A".into(), "B".into()]);
        let mut have = friend("bob");
        have.add_time = Some(12345);
        have.group_name = Some(vec!["B".into(), "A".into()]);
        let d = diff_user(&record(vec![want], &["A", "B"], &[]), &record(vec![have], &["B", "A"], &[]));
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn extras_alone_are_not_writes() {
        let d = diff_user(&record(vec![], &[], &[]), &record(vec![friend("x")], &["L"], &["y"]));
        assert!(!d.is_empty() && !d.has_writes());
    }
}
