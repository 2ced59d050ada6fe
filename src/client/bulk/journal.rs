//! The journal of a bulk run: JSON Lines appended as the run goes, so a run killed at any
//! point can be resumed. A header names the run's command and its input (a fingerprint of the
//! item list); `sent` lists the items of a write call before it goes out; `done` records an
//! item's final outcome. Items are named by identity (a key of the item's user, target and
//! text), not by position, so a journal can be matched to an edited input: replaying keeps
//! every `done` outcome whose item is still in the input (never sent again) and treats items
//! sent without one as in doubt. A last line cut short by a kill is ignored.

use super::ItemReport;
use serde_json::{Value, json};
use std::fmt::Write;
use std::ops::Range;

/// The format version written in the header. Version 1 named items by position only.
pub const VERSION: u64 = 2;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// 64-bit FNV-1a: fixed by its definition, so keys written on one platform or Rust version
/// match on any other (std's hashers promise neither).
fn fnv(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

/// An item's identity: FNV-1a of its user, NUL, its target, NUL and its JSON text as sent.
/// Equal items of two inputs have equal keys; an edited item gets a new one.
pub fn key(from: &str, to: &str, text: &str) -> u64 {
    let hash = fnv(fnv(FNV_OFFSET, from.as_bytes()), &[0]);
    fnv(fnv(fnv(hash, to.as_bytes()), &[0]), text.as_bytes())
}

/// The fingerprint of an input: FNV-1a of its items' keys in order.
pub fn fingerprint(keys: &[u64]) -> u64 {
    keys.iter().fold(FNV_OFFSET, |hash, k| fnv(hash, &k.to_le_bytes()))
}

fn hex(k: u64) -> String {
    format!("{k:016x}")
}

fn unhex(text: &str) -> Option<u64> {
    (text.len() == 16 && text.bytes().all(|b| b.is_ascii_hexdigit())).then(|| u64::from_str_radix(text, 16).ok()).flatten()
}

/// The header line of a run of `command` over `total` items whose keys have this fingerprint.
pub fn header(command: &str, total: usize, fingerprint: u64) -> String {
    json!({ "journal": VERSION, "command": command, "total": total, "input": hex(fingerprint) }).to_string()
}

/// The line written before a write call with the items of these keys goes out: the keys as one
/// string of 16 hex digits each (a 1000-item call writes 16 KB, no separators).
pub fn sent(keys: impl ExactSizeIterator<Item = u64>) -> String {
    let mut line = String::with_capacity(12 + 16 * keys.len());
    line.push_str(r#"{"sent":""#);
    for k in keys {
        let _ = write!(line, "{k:016x}");
    }
    line.push_str("\"}");
    line
}

/// The line recording the final outcome of the item with this key.
pub fn done(report: &ItemReport, key: u64) -> String {
    json!({ "done": report, "key": hex(key) }).to_string()
}

/// A header line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The format version (0 when the line has none).
    pub version: u64,
    /// The wire command of the run.
    pub command: String,
    /// Its item count.
    pub total: usize,
    /// Its input's fingerprint (absent before version 2).
    pub fingerprint: Option<u64>,
}

/// What a journal says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Replay {
    /// Every header, in order: a run resumed over an edited input adds its own.
    pub headers: Vec<Header>,
    /// Final outcomes with their item's key, in the order recorded. Vecs, not maps: a BTreeMap
    /// cost KBs of .wasm.
    pub done: Vec<(u64, ItemReport)>,
    /// Keys of items sent at least once (with repeats).
    pub sent: Vec<u64>,
    /// Lines that could not be read (a torn last line, say).
    pub skipped: usize,
}

/// How a journal's records fall on an input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matched {
    /// Each recorded outcome that found its item: (input index, position in `Replay::done`).
    pub done: Vec<(usize, usize)>,
    /// Input items whose identity a `sent` line names, in input order.
    pub sent: Vec<usize>,
    /// Distinct identities the journal records (sent or done).
    pub recorded: usize,
    /// Of those, how many this input holds.
    pub found: usize,
    /// The journal's last header is of this very input (same fingerprint).
    pub same_input: bool,
}

impl Replay {
    /// Reads a journal's text.
    pub fn parse(text: &str) -> Self {
        let mut out = Replay::default();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let Ok(v) = serde_json::from_str::<Value>(line) else {
                out.skipped += 1;
                continue;
            };
            let key = v.get("key").and_then(Value::as_str).and_then(unhex);
            if let (Some(cmd), Some(total)) = (v.get("command").and_then(Value::as_str), v.get("total").and_then(Value::as_u64)) {
                let version = v.get("journal").and_then(Value::as_u64).unwrap_or(0);
                let fingerprint = v.get("input").and_then(Value::as_str).and_then(unhex);
                out.headers.push(Header { version, command: cmd.to_owned(), total: total as usize, fingerprint });
            } else if let Some(list) = v.get("sent").and_then(Value::as_str).filter(|s| s.len() % 16 == 0) {
                let keys: Option<Vec<u64>> = (0..list.len()).step_by(16).map(|at| list.get(at..at + 16).and_then(unhex)).collect();
                match keys {
                    Some(keys) => out.sent.extend(keys),
                    None => out.skipped += 1,
                }
            } else if let (Some(key), Some(r)) = (key, v.get("done").and_then(ItemReport::from_json)) {
                out.done.push((key, r));
            } else {
                out.skipped += 1;
            }
        }
        out
    }

    /// Checks that the journal is of a `command` run in this format.
    fn check(&self, command: &str) -> Result<(), String> {
        if self.headers.is_empty() && !(self.done.is_empty() && self.sent.is_empty()) {
            return Err("the journal has no header line".into());
        }
        for h in &self.headers {
            if h.version < VERSION {
                return Err(format!(
                    "the journal was written by an older version of tim-sns (journal format {}): it names items by position only, so its records cannot be matched to this input safely; finish that run with the version that wrote it, or start a new journal",
                    h.version
                ));
            }
            if h.version > VERSION {
                return Err(format!("the journal was written by a newer version of tim-sns (journal format {}); this version reads format {VERSION}", h.version));
            }
            if h.command != command {
                return Err(format!("the journal is of a {} run, not {command}", h.command));
            }
        }
        Ok(())
    }

    /// Matches the journal's records to the items of a `command` run whose items have these
    /// keys, by identity. A recorded outcome goes to the item at its recorded position when
    /// that item has its key (a rerun of the same input), else to the first item in input order
    /// with its key and no outcome yet (an identical row twice takes two records, in order).
    /// Fails when the journal is of another command, another format, or another input (it
    /// records items and none of them is in this one). O(n log n) in items and records.
    pub fn match_input(&self, command: &str, keys: &[u64]) -> Result<Matched, String> {
        self.check(command)?;
        let index = Index::new(keys);
        let mut recorded: Vec<u64> = self.done.iter().map(|(k, _)| *k).chain(self.sent.iter().copied()).collect();
        recorded.sort_unstable();
        recorded.dedup();
        let found = recorded.iter().filter(|&&k| !index.range(k).is_empty()).count();
        if found == 0 && !recorded.is_empty() {
            return Err(format!("the journal is of another input: none of its {} recorded items is in this input", recorded.len()));
        }
        let same_input = self.headers.last().is_some_and(|h| h.fingerprint == Some(fingerprint(keys)));
        let mut taken = vec![false; keys.len()];
        // Per group of equal keys (by its start in `order`), the first position that may be free:
        // it only moves forward, so a run of identical rows is walked once in all.
        let mut first_free: Vec<usize> = (0..keys.len()).collect();
        let mut done = Vec::new();
        for (pos, (k, report)) in self.done.iter().enumerate() {
            let group = index.range(*k);
            let at = report.index;
            let item = if keys.get(at) == Some(k) && !taken[at] {
                Some(at)
            } else if group.is_empty() {
                None
            } else {
                let mut p = first_free[group.start];
                while p < group.end && taken[index.order[p]] {
                    p += 1;
                }
                first_free[group.start] = p;
                index.order.get(p).copied().filter(|_| p < group.end)
            };
            if let Some(i) = item {
                taken[i] = true;
                done.push((i, pos));
            }
        }
        let mut sent_keys = self.sent.clone();
        sent_keys.sort_unstable();
        sent_keys.dedup();
        let mut sent: Vec<usize> = sent_keys.iter().flat_map(|&k| index.order[index.range(k)].iter().copied()).collect();
        sent.sort_unstable();
        Ok(Matched { done, sent, recorded: recorded.len(), found, same_input })
    }
}

/// The input's item indices sorted by key (then position): each key's items are one stretch.
struct Index<'k> {
    keys: &'k [u64],
    order: Vec<usize>,
}

impl<'k> Index<'k> {
    fn new(keys: &'k [u64]) -> Self {
        let mut order: Vec<usize> = (0..keys.len()).collect();
        order.sort_unstable_by_key(|&i| (keys[i], i));
        Self { keys, order }
    }

    /// Where the items with key `k` are in `order`.
    fn range(&self, k: u64) -> Range<usize> {
        let start = self.order.partition_point(|&i| self.keys[i] < k);
        start..start + self.order[start..].partition_point(|&i| self.keys[i] == k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(i: usize, to: &str) -> ItemReport {
        ItemReport::from_json(&json!({ "index": i, "From_Account": "u", "To_Account": to, "outcome": "ok", "code": 0, "attempts": 1 })).unwrap()
    }

    /// Keys of items of user "u", each item its target as a JSON string.
    fn keys(targets: &[&str]) -> Vec<u64> {
        targets.iter().map(|t| key("u", t, &format!("\"{t}\""))).collect()
    }

    /// A journal of a run over `targets` that recorded `done` (by position) and sent `sent`.
    fn journal(targets: &[&str], done_at: &[usize], sent_at: &[usize]) -> Replay {
        let k = keys(targets);
        let mut lines = vec![header("friend_delete", k.len(), fingerprint(&k)), sent(sent_at.iter().map(|&i| k[i]))];
        lines.extend(done_at.iter().map(|&i| done(&report(i, targets[i]), k[i])));
        Replay::parse(&lines.join("\n"))
    }

    #[test]
    fn keys_are_fnv_1a_of_user_target_and_text_and_never_change() {
        assert_eq!(fnv(FNV_OFFSET, b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv(FNV_OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(key("a", "b", "c"), fnv(FNV_OFFSET, b"a\0b\0c"));
        // Pinned (checked against an independent FNV-1a): a journal written today must match on
        // every later version and platform.
        assert_eq!(key("alice", "bob", r#"{"To_Account":"bob"}"#), 0x2b5e_d34f_e131_6960);
        assert_ne!(key("ab", "c", ""), key("a", "bc", ""), "the separators keep fields apart");
        assert_ne!(fingerprint(&[1, 2]), fingerprint(&[2, 1]));
    }

    #[test]
    fn lines_round_trip_and_a_torn_line_is_skipped() {
        let text = [header("friend_import", 3, 42), sent([1u64, u64::MAX].into_iter()), done(&report(0, "a"), 7), r#"{"done":{"ind"#.into()].join("\n");
        let r = Replay::parse(&text);
        assert_eq!(r.headers, [Header { version: VERSION, command: "friend_import".into(), total: 3, fingerprint: Some(42) }]);
        assert_eq!(r.sent, [1, u64::MAX]);
        assert_eq!(r.done, [(7, report(0, "a"))]);
        assert_eq!(r.skipped, 1);
        // 1000 items: 16 hex digits each and nothing else.
        assert_eq!(sent((0..1000u32).map(|k| u64::from(k) << 40)).len(), 12 + 16 * 1000 - 1);
        // A sent line that is not whole keys, or a done line without a key, is not trusted.
        assert_eq!(Replay::parse(r#"{"sent":"0123"}"#).skipped, 1);
        assert_eq!(Replay::parse(r#"{"sent":"000000000000000g"}"#).skipped, 1);
        assert_eq!(Replay::parse(r#"{"done":{"index":0,"From_Account":"u","To_Account":"a","outcome":"ok"}}"#).skipped, 1);
    }

    #[test]
    fn the_same_input_resumes_record_by_record() {
        let targets = ["a", "b", "c", "d"];
        let m = journal(&targets, &[2, 0], &[0, 1, 2]).match_input("friend_delete", &keys(&targets)).unwrap();
        assert_eq!(m, Matched { done: vec![(2, 0), (0, 1)], sent: vec![0, 1, 2], recorded: 3, found: 3, same_input: true });
    }

    #[test]
    fn an_edited_input_resumes_by_identity() {
        let r = journal(&["a", "b", "c", "d"], &[0, 1, 3], &[0, 1, 2, 3]);
        // "b" removed, "c" edited (so: another item), "e" added, the rest re-ordered.
        let now = ["e", "d", "c2", "a"];
        let m = r.match_input("friend_delete", &keys(&now)).unwrap();
        assert_eq!((m.done, m.sent), (vec![(3, 0), (1, 2)], vec![1, 3]));
        assert_eq!((m.recorded, m.found, m.same_input), (4, 2, false));
    }

    #[test]
    fn another_input_another_command_or_an_older_format_is_refused() {
        let r = journal(&["a", "b"], &[0], &[0, 1]);
        let why = r.match_input("friend_delete", &keys(&["x", "y"])).unwrap_err();
        assert_eq!(why, "the journal is of another input: none of its 2 recorded items is in this input");
        assert!(r.match_input("friend_add", &keys(&["a", "b"])).unwrap_err().contains("of a friend_delete run, not friend_add"));
        let v1 = Replay::parse(&[r#"{"journal":1,"command":"friend_delete","total":2}"#, r#"{"sent":[0,1]}"#].join("\n"));
        assert!(v1.match_input("friend_delete", &keys(&["a", "b"])).unwrap_err().contains("older version of tim-sns (journal format 1)"));
        let newer = Replay::parse(r#"{"journal":3,"command":"friend_delete","total":2}"#);
        assert!(newer.match_input("friend_delete", &[]).unwrap_err().contains("newer version"));
        let headless = Replay::parse(&sent([1u64].into_iter()));
        assert_eq!(headless.match_input("friend_delete", &[1]).unwrap_err(), "the journal has no header line");
        // Nothing recorded yet (killed before the first call): nothing to lose, any input goes.
        let bare = Replay::parse(&header("friend_delete", 2, 9));
        assert_eq!(bare.match_input("friend_delete", &keys(&["x"])).unwrap(), Matched::default());
        assert_eq!(Replay::parse("").match_input("friend_delete", &keys(&["x"])).unwrap(), Matched::default());
    }

    #[test]
    fn identical_rows_take_records_in_order() {
        let k = keys(&["a", "a", "b", "a"]);
        let line = |at: usize, key: u64| done(&report(at, "a"), key);
        let text = [header("friend_delete", 4, fingerprint(&k)), sent([k[0], k[0]].into_iter()), line(1, k[1]), line(9, k[0]), line(1, k[0]), line(0, k[0])].join("\n");
        let m = Replay::parse(&text).match_input("friend_delete", &k).unwrap();
        // Its own position first (1); then the first free in input order (0, then 3); a fourth
        // record of "a" has no row left and is dropped.
        assert_eq!(m.done, [(1, 0), (0, 1), (3, 2)]);
        assert_eq!(m.sent, [0, 1, 3], "a sent identity puts every row of it in doubt");
        assert_eq!((m.recorded, m.found), (1, 1));
    }

    #[test]
    fn a_hundred_thousand_identical_rows_are_matched_in_one_pass() {
        // Quadratic matching would take minutes here; each record's row is found in O(1).
        let n = 100_000;
        let k = vec![5u64; n];
        let mut r = Replay { headers: vec![Header { version: VERSION, command: "c".into(), total: n, fingerprint: None }], ..Replay::default() };
        r.done = (0..n).map(|_| (5, report(n, "a"))).collect();
        r.sent = vec![5; n];
        let m = r.match_input("c", &k).unwrap();
        assert!(m.done.iter().enumerate().all(|(pos, &(i, p))| i == pos && p == pos));
        assert_eq!(m.sent.len(), n);
    }
}
