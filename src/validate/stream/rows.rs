//! A reply's per-item result rows, read by the streaming check on its way through the reply
//! ([`check_reply_rows`]), so that a bulk call's reply is read once.

use super::schema::{Field, Options};
use super::{Envelope, Reader, Scalar, Undecided, Verdict};

/// One per-item result of a reply (`ResultItem`, `InfoItem` or `BlackListCheckItem`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// `To_Account`: the item it answers (`None` when the reply left it out).
    pub to_account: Option<String>,
    /// `ResultCode` (0 when absent).
    pub code: u32,
    /// `ResultInfo`, when sent.
    pub info: Option<String>,
    /// `Relation` (`friend_check`, `black_list_check`).
    pub relation: Option<String>,
}

/// The reply fields that hold per-item results, in the order a reader prefers them (each bulk
/// command's reply, and each confirming read's, has exactly one).
pub const RESULT_LISTS: [&str; 3] = ["ResultItem", "InfoItem", "BlackListCheckItem"];

/// [`super::check_reply`], and the rows of the reply's result list read on the way (the first of
/// [`RESULT_LISTS`] present; empty when none is), so that a reply is read once. `None` for the
/// rows when the check did not pass or a result list could not be read plainly.
pub fn check_reply_rows(text: &str, tables: &[&'static [Field]]) -> (Verdict, Envelope, Option<Vec<Row>>) {
    let opts = Options::RESPONSE;
    let mut r = Reader::new(text, &opts, true);
    r.rows = Some(Rows::default());
    let verdict = match r.root(tables) {
        Err(Undecided) => Verdict::Undecided,
        Ok(()) if r.invalid || !r.out.is_empty() => Verdict::Invalid,
        Ok(()) => Verdict::Valid,
    };
    let rows = r.rows.take().filter(|rows| verdict == Verdict::Valid && !rows.unread).map(|rows| rows.lists.into_iter().flatten().next().unwrap_or_default());
    (verdict, r.envelope, rows)
}

/// The result lists a reply holds, as they are read.
#[derive(Default)]
pub(super) struct Rows {
    /// Per list of [`RESULT_LISTS`], its rows when present.
    pub(super) lists: [Option<Vec<Row>>; 3],
    /// The list being read (a root member's value).
    pub(super) reading: Option<usize>,
    /// A result list was skipped rather than read (not in the command's fields).
    pub(super) unread: bool,
}

/// The string members of a result row that [`Row`] keeps.
pub(super) const ROW_FIELDS: [&str; 3] = ["To_Account", "ResultInfo", "Relation"];

impl<'t> Reader<'t, '_> {
    /// At the start of an object at depth 2: whether it is an item of a result list being read
    /// (then its row is started).
    pub(super) fn start_row(&mut self) -> bool {
        let Some(rows) = self.rows.as_mut() else { return false };
        let Some(list) = rows.reading.and_then(|l| rows.lists[l].as_mut()) else { return false };
        list.push(Row::default());
        true
    }

    /// Keeps member `key` of the current row when it is one of the row's fields; gives the
    /// value back.
    pub(super) fn keep(&mut self, key: &str, v: Scalar<'t>) -> Scalar<'t> {
        let text = |v: &Scalar<'t>, decoded: &str| match v {
            Scalar::Str(s) => Some((*s).to_owned()),
            Scalar::Escaped => Some(decoded.to_owned()),
            _ => None,
        };
        let Some(row) = self.rows.as_mut().and_then(|r| r.reading.and_then(|l| r.lists[l].as_mut())).and_then(|l| l.last_mut()) else { return v };
        match key {
            "To_Account" => row.to_account = text(&v, &self.decoded),
            "ResultInfo" => row.info = text(&v, &self.decoded),
            "Relation" => row.relation = text(&v, &self.decoded),
            "ResultCode" => {
                if let Scalar::U64(n) = v {
                    row.code = n as u32;
                }
            }
            _ => {}
        }
        v
    }
}
