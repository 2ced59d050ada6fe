//! Migration of whole relationship chains (a migration can move 50 000 friendships and more):
//! export a set of users to a snapshot, compare a snapshot with a live app, and
//! restore a snapshot into another app.
//!
//! Sans-IO like the rest of the core: [`export::RecordBuilder`] is fed the replies of the read
//! calls it asks for, [`diff::diff_user`] compares two records, and [`restore`] turns the
//! differences into the write calls to send. The JS side only sends them.

pub mod diff;
pub mod export;
pub mod format;
pub mod restore;
pub mod settings;
