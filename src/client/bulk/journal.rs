//! The journal of a bulk run: JSON Lines appended as the run goes, so a run killed at any
//! point can be resumed. A header names the run; `sent` lists the items of a write call before
//! it goes out; `done` records an item's final outcome. Replaying keeps every `done` outcome
//! (those items are never sent again) and treats items sent without one as in doubt. A last
//! line cut short by a kill is ignored.

use super::ItemReport;
use serde_json::{Value, json};

/// The format version written in the header.
pub const VERSION: u64 = 1;

/// The header line of a run of `command` over `total` items.
pub fn header(command: &str, total: usize) -> String {
    json!({ "journal": VERSION, "command": command, "total": total }).to_string()
}

/// The line written before a write call with these items goes out.
pub fn sent(indices: &[usize]) -> String {
    json!({ "sent": indices }).to_string()
}

/// The line recording an item's final outcome.
pub fn done(report: &ItemReport) -> String {
    json!({ "done": report }).to_string()
}

/// What a journal says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Replay {
    /// The command and item count of the header, if there was one.
    pub run: Option<(String, usize)>,
    /// Final outcomes in the order recorded (for an item recorded twice the first wins).
    /// Vecs, not sets: a BTreeMap cost KBs of .wasm.
    pub done: Vec<ItemReport>,
    /// Items sent at least once (with repeats).
    pub sent: Vec<usize>,
    /// Lines that could not be read (a torn last line, say).
    pub skipped: usize,
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
            if let (Some(cmd), Some(total)) = (v.get("command").and_then(Value::as_str), v.get("total").and_then(Value::as_u64)) {
                out.run.get_or_insert((cmd.to_owned(), total as usize));
            } else if let Some(list) = v.get("sent").and_then(Value::as_array) {
                out.sent.extend(list.iter().filter_map(Value::as_u64).map(|i| i as usize));
            } else if let Some(r) = v.get("done").and_then(ItemReport::from_json) {
                out.done.push(r);
            } else {
                out.skipped += 1;
            }
        }
        out
    }

    /// Checks that the journal belongs to a run of `command` over `total` items.
    pub fn matches(&self, command: &str, total: usize) -> Result<(), String> {
        match &self.run {
            None if self.done.is_empty() && self.sent.is_empty() => Ok(()),
            None => Err("the journal has no header line".into()),
            Some((c, t)) if c == command && *t == total => {
                match self.done.iter().map(|r| r.index).chain(self.sent.iter().copied()).find(|&i| i >= total) {
                    Some(i) => Err(format!("the journal names item {i}, but the input has {total} items")),
                    None => Ok(()),
                }
            }
            Some((c, t)) => Err(format!("the journal is of a {c} run over {t} items, not {command} over {total}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(i: usize) -> ItemReport {
        ItemReport { index: i, from_account: "u".into(), to_account: format!("t{i}"), outcome: super::super::Outcome::Ok, code: Some(0), info: None, relation: None, reconciled: false, attempts: 1 }
    }

    #[test]
    fn replays_outcomes_and_doubts_and_tolerates_a_torn_line() {
        let text = [header("friend_import", 3), sent(&[0, 1, 2]), done(&report(0)), done(&report(1)), r#"{"done":{"ind"#.into()].join("\n");
        let r = Replay::parse(&text);
        assert_eq!(r.run, Some(("friend_import".into(), 3)));
        assert_eq!(r.done.iter().map(|d| d.index).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(r.sent.len(), 3);
        assert_eq!(r.skipped, 1);
        assert!(r.matches("friend_import", 3).is_ok());
        assert!(r.matches("friend_import", 4).unwrap_err().contains("not friend_import over 4"));
        assert!(Replay::parse("").matches("friend_add", 9).is_ok());
    }
}
