//! The emulated service's data: imported accounts and, per account, its friends, friend
//! lists, blocklist, pending requests and sequences, within the documented per-user limits.

use std::collections::{BTreeMap, BTreeSet};

/// Friends per user: 30010 for the user, 30014 for the other side.
pub const MAX_FRIENDS: usize = 3000;
/// Blocked users per user: 30013.
pub const MAX_BLOCKED: usize = 1000;
/// Friend lists per user: 30011.
pub const MAX_LISTS: usize = 32;
/// Friends per `friend_get` page (undocumented; the retired friend_get_all used 100).
pub const FRIEND_PAGE: usize = 100;

/// `Tag_Profile_IM_AllowType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AllowType {
    /// Requests need approval: adds become pending (30539). The service default.
    #[default]
    NeedConfirm,
    /// Anyone may add.
    AllowAny,
    /// Nobody may add (30516).
    DenyAny,
}

impl AllowType {
    /// The profile value.
    pub fn wire(self) -> &'static str {
        match self {
            AllowType::NeedConfirm => "AllowType_Type_NeedConfirm",
            AllowType::AllowAny => "AllowType_Type_AllowAny",
            AllowType::DenyAny => "AllowType_Type_DenyAny",
        }
    }

    /// The value for a profile string.
    pub fn from_wire(s: &str) -> Option<Self> {
        match s {
            "AllowType_Type_NeedConfirm" => Some(AllowType::NeedConfirm),
            "AllowType_Type_AllowAny" => Some(AllowType::AllowAny),
            "AllowType_Type_DenyAny" => Some(AllowType::DenyAny),
            _ => None,
        }
    }
}

/// One entry of a friend list (the directed pair owner → friend).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Friend {
    /// `Tag_SNS_IM_AddSource`.
    pub add_source: String,
    /// `Tag_SNS_IM_Remark`.
    pub remark: String,
    /// `Tag_SNS_IM_Group`.
    pub groups: Vec<String>,
    /// `Tag_SNS_IM_AddWording`.
    pub add_wording: String,
    /// `Tag_SNS_IM_AddTime`.
    pub add_time: u64,
    /// `RemarkTime` of `friend_import`, returned as `Tag_SNS_IM_RemarkTime` (the tag name
    /// third-party SDKs use; unconfirmed in the official field table). 0: not set.
    pub remark_time: u64,
    /// `Tag_SNS_Custom_*` values.
    pub custom: BTreeMap<String, serde_json::Value>,
}

/// One imported account.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Account {
    /// Friend-request policy.
    pub allow_type: AllowType,
    /// Friends, in the order they were added (paging follows it).
    pub friends: Vec<(String, Friend)>,
    /// Blocked users and when they were blocked.
    pub blocked: Vec<(String, u64)>,
    /// Friend lists.
    pub lists: Vec<String>,
    /// Users who asked this user to be friends and wait for approval.
    pub pending_from: BTreeSet<String>,
    /// Sequence of standard friend data.
    pub standard_sequence: u64,
    /// Sequence of custom friend data.
    pub custom_sequence: u64,
    /// Sequence of friend-list data.
    pub list_sequence: u64,
    /// Sequence of the blocklist.
    pub black_sequence: u64,
}

impl Account {
    /// The friend entry for `to`, if any.
    pub fn friend(&self, to: &str) -> Option<&Friend> {
        self.friends.iter().find(|(id, _)| id == to).map(|(_, f)| f)
    }

    /// The mutable friend entry for `to`, if any.
    pub fn friend_mut(&mut self, to: &str) -> Option<&mut Friend> {
        self.friends.iter_mut().find(|(id, _)| id == to).map(|(_, f)| f)
    }

    /// Whether `to` is in this user's blocklist.
    pub fn blocks(&self, to: &str) -> bool {
        self.blocked.iter().any(|(id, _)| id == to)
    }

    /// Makes sure each list exists; false when that would exceed [`MAX_LISTS`] lists.
    pub fn ensure_lists(&mut self, names: &[String]) -> bool {
        let new: Vec<&String> = names.iter().filter(|n| !self.lists.contains(n)).collect();
        if self.lists.len() + new.len() > MAX_LISTS {
            return false;
        }
        if !new.is_empty() {
            self.lists.extend(new.into_iter().cloned());
            self.list_sequence += 1;
        }
        true
    }

    /// Removes `to` from the friend list; true if it was there.
    pub fn remove_friend(&mut self, to: &str) -> bool {
        let before = self.friends.len();
        self.friends.retain(|(id, _)| id != to);
        let removed = self.friends.len() != before;
        if removed {
            self.standard_sequence += 1;
        }
        removed
    }
}

/// Every account of the emulated app.
pub type Accounts = BTreeMap<String, Account>;
