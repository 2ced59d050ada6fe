//! Restore: the writes that bring a live user to its snapshot record, in the order that keeps
//! each one valid: lists first (`group_add`, so that empty lists exist too), then blocks
//! (`black_list_add`: blocking removes a friendship both ways, so blocking after importing
//! would undo any friendship the snapshot holds beside a block), then the missing friends
//! (`friend_import`, which keeps AddTime, AddSource, remark and its time, lists and custom
//! fields), then writable differences (`friend_update`).
//!
//! A restore only adds and updates: friends, lists and blocks the live user has beyond the
//! snapshot are reported by the diff and left alone. Restoring the same snapshot again finds
//! nothing to write, so a second run sends no write at all.

use super::diff::{UserDiff, diff_user, empty_live};
use super::export::Read;
use super::format::{RecordError, UserRecord};
use crate::model::friend_import::FriendImportItem;
use crate::model::friend_update::FriendUpdateItem;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Most list names one `group_add` takes (`GroupName` ≤ 32 per request).
pub const GROUP_ADD_CAP: usize = 32;

/// The writes for one user, grouped by command.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserWrites {
    /// The user.
    pub from_account: String,
    /// `group_add` bodies, one per 32 missing lists.
    pub group_add: Vec<Value>,
    /// Items for `friend_import`.
    pub import: Vec<FriendImportItem>,
    /// Items for `friend_update`.
    pub update: Vec<FriendUpdateItem>,
    /// UserIDs for `black_list_add`.
    pub block: Vec<String>,
}

impl UserWrites {
    /// True when nothing needs writing.
    pub fn is_empty(&self) -> bool {
        self.group_add.is_empty() && self.import.is_empty() && self.update.is_empty() && self.block.is_empty()
    }

    /// How many calls of each kind, before the bulk engine splits items at their caps.
    pub fn count(&self) -> usize {
        self.group_add.len() + self.import.len() + self.update.len() + self.block.len()
    }
}

/// The writes that resolve `diff`.
pub fn writes(diff: &UserDiff) -> UserWrites {
    let from = &diff.from_account;
    UserWrites {
        from_account: from.clone(),
        group_add: diff.missing_lists.chunks(GROUP_ADD_CAP).map(|names| json!({ "From_Account": from, "GroupName": names })).collect(),
        import: diff.missing_friends.clone(),
        update: diff
            .different_friends
            .iter()
            .filter(|d| !d.update.is_empty())
            .map(|d| FriendUpdateItem { to_account: d.to_account.clone(), sns_item: d.update.clone() })
            .collect(),
        block: diff.missing_blocks.clone(),
    }
}

/// Where an account the service does not know (`ErrorCode` 30003) leaves a user's read.
pub const MISSING_ACCOUNT: u32 = 30003;

/// What a restore does for one user, from its snapshot record and its live record.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    /// The live user does not exist (its reads answered 30003): it is compared with an empty
    /// chain, so every write is planned (and the writes fail unless the account is created).
    pub missing: bool,
    /// The live user could not be read for another reason: nothing is written for it.
    pub failed: Option<RecordError>,
    /// The writes, when there are any.
    pub writes: Option<UserWrites>,
}

/// The reads of the live user that can change a restore's plan for `snapshot`. A restore only
/// adds: the lists to create are the snapshot's lists the live user lacks, so with no list in
/// the snapshot the live lists do not matter, nor the live blocks with no block in it. The
/// friends are always read (they also show whether the account exists). A snapshot without
/// lists or blocks thus costs one read a user instead of three.
pub fn reads_for(snapshot: &UserRecord) -> Vec<Read> {
    let mut reads = vec![Read::Friends];
    if !snapshot.lists.is_empty() {
        reads.push(Read::Lists);
    }
    if !snapshot.blocklist.is_empty() {
        reads.push(Read::Blocks);
    }
    reads
}

/// The plan for one user: its diff and the writes that resolve it, in one step. `live` may
/// come from the reads of [`reads_for`] alone.
pub fn plan(snapshot: &UserRecord, live: &UserRecord) -> Plan {
    match &live.error {
        Some(e) if e.code != MISSING_ACCOUNT => Plan { failed: Some(e.clone()), ..Plan::default() },
        error => {
            let live = if error.is_some() { &empty_live(&live.from_account) } else { live };
            let diff = diff_user(snapshot, live);
            Plan { missing: error.is_some(), failed: None, writes: diff.has_writes().then(|| writes(&diff)) }
        }
    }
}

/// Every account a record names: the user, its friends and the users it blocks. A restore
/// with `createAccounts` makes sure these exist on the target first.
pub fn accounts(record: &UserRecord) -> BTreeSet<String> {
    let mut ids = BTreeSet::from([record.from_account.clone()]);
    ids.extend(record.friends.iter().map(|f| f.to_account.clone()));
    ids.extend(record.blocklist.iter().map(|b| b.to_account.clone()));
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::black_list_get::BlockedUser;

    fn snapshot() -> UserRecord {
        let mut r = empty_live("alice");
        r.lists = (0..40).map(|i| format!("L{i}")).collect();
        r.friends.push(FriendImportItem {
            to_account: "bob".into(),
            remark: Some("b".into()),
            remark_time: None,
            group_name: Some(vec!["L1".into()]),
            add_source: "AddSource_Type_Web".into(),
            add_wording: None,
            add_time: Some(5),
            custom_item: None,
        });
        r.blocklist.push(BlockedUser { to_account: "mallory".into(), add_black_time_stamp: None });
        r
    }

    #[test]
    fn an_empty_target_gets_lists_in_chunks_blocks_and_friends() {
        let w = writes(&diff_user(&snapshot(), &empty_live("alice")));
        assert_eq!(w.group_add.len(), 2, "40 lists need two group_add calls of at most 32");
        assert_eq!(w.group_add[0]["GroupName"].as_array().unwrap().len(), 32);
        assert_eq!(w.import.len(), 1);
        assert!(w.update.is_empty());
        assert_eq!(w.block, ["mallory"]);
        assert_eq!(accounts(&snapshot()).into_iter().collect::<Vec<_>>(), ["alice", "bob", "mallory"]);
    }

    #[test]
    fn a_restored_target_needs_no_writes() {
        let snap = snapshot();
        assert!(writes(&diff_user(&snap, &snap)).is_empty());
    }

    #[test]
    fn a_plan_writes_what_the_live_user_lacks_and_nothing_for_a_failed_read() {
        let snap = snapshot();
        let p = plan(&snap, &empty_live("alice"));
        assert!(!p.missing && p.failed.is_none());
        assert_eq!(p.writes.unwrap().import.len(), 1);
        assert_eq!(plan(&snap, &snap), Plan::default(), "a restored user needs nothing");
        let mut gone = empty_live("alice");
        gone.error = Some(RecordError { code: MISSING_ACCOUNT, info: "account not found".into() });
        let p = plan(&snap, &gone);
        assert!(p.missing && p.failed.is_none());
        assert_eq!(p.writes.unwrap().block, ["mallory"], "a missing user is compared with an empty chain");
        let mut unread = empty_live("alice");
        unread.error = Some(RecordError { code: 70001, info: "busy".into() });
        let p = plan(&snap, &unread);
        assert_eq!(p.failed.unwrap().code, 70001);
        assert!(p.writes.is_none() && !p.missing);
    }

    #[test]
    fn a_restore_reads_lists_and_blocks_only_when_the_snapshot_has_some() {
        assert_eq!(reads_for(&snapshot()), [Read::Friends, Read::Lists, Read::Blocks]);
        assert_eq!(reads_for(&empty_live("alice")), [Read::Friends]);
        // Whatever lists and blocks the live user has, a snapshot without any plans none.
        let mut live = snapshot();
        live.friends.clear();
        let mut bare = snapshot();
        bare.lists.clear();
        bare.blocklist.clear();
        bare.friends[0].group_name = None;
        let with_reads = plan(&bare, &live).writes.unwrap();
        let without = plan(&bare, &empty_live("alice")).writes.unwrap();
        assert_eq!(with_reads, without);
    }
}
