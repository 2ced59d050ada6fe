//! Paging through `friend_get` (continue with `NextStartIndex` until
//! `CompleteFlag` is non-zero) and `black_list_get` (continue with the reply's
//! `StartIndex` until it is 0), guarded against a service that stops advancing.

use crate::model::Command;
use serde_json::{Value, json};

/// Most pages one walk fetches: 3000 friends or 1000 blocked users never need more.
pub const MAX_PAGES: u32 = 10_000;

/// Which list is paged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `friend_get`.
    Friends,
    /// `black_list_get`.
    Blocklist,
}

impl Kind {
    /// The command a page is read with.
    pub fn command(self) -> Command {
        match self {
            Kind::Friends => Command::FriendGet,
            Kind::Blocklist => Command::BlackListGet,
        }
    }

    /// The reply field that holds a page's items.
    pub fn items_field(self) -> &'static str {
        match self {
            Kind::Friends => "UserDataItem",
            Kind::Blocklist => "BlackListItem",
        }
    }

    /// What a walk's first body gets when the caller leaves it out (or sends `null`): the first
    /// page, and for the blocklist the documented page size 100 and no sequence.
    pub fn defaults(self) -> &'static [(&'static str, u64)] {
        match self {
            Kind::Friends => &[("StartIndex", 0)],
            Kind::Blocklist => &[("StartIndex", 0), ("MaxLimited", 100), ("LastSequence", 0)],
        }
    }

    /// The caller's first body with the defaults filled in.
    pub fn first_body(self, mut body: Value) -> Value {
        if let Value::Object(m) = &mut body {
            for (key, value) in self.defaults() {
                if m.get(*key).is_none_or(Value::is_null) {
                    m.insert((*key).to_owned(), Value::from(*value));
                }
            }
        }
        body
    }
}

/// The state of one walk.
#[derive(Debug, Clone, PartialEq)]
pub struct Pager {
    kind: Kind,
    /// The caller's first body; `StartIndex` is replaced page by page.
    body: Value,
    start: u64,
    pages: u32,
    done: bool,
}

/// Why a walk stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stuck(pub String);

impl Pager {
    /// A walk starting from the caller's body (its `StartIndex`, 0 when absent).
    pub fn new(kind: Kind, body: Value) -> Self {
        let start = body.get("StartIndex").and_then(Value::as_u64).unwrap_or(0);
        Self { kind, body, start, pages: 0, done: false }
    }

    /// True when every page has been read.
    pub fn done(&self) -> bool {
        self.done
    }

    /// The body of the next request, or `None` when done.
    pub fn next_body(&self) -> Option<Value> {
        if self.done {
            return None;
        }
        let mut body = self.body.clone();
        if let Value::Object(m) = &mut body {
            m.insert("StartIndex".into(), json!(self.start));
        }
        Some(body)
    }

    /// Takes in one page's reply and decides where the next page starts.
    pub fn advance(&mut self, reply: &Value) -> Result<(), Stuck> {
        self.pages += 1;
        let field = |k: &str| reply.get(k).and_then(Value::as_u64);
        let next = match self.kind {
            Kind::Friends if field("CompleteFlag").unwrap_or(1) != 0 => None,
            Kind::Friends => Some(field("NextStartIndex").unwrap_or(0)),
            Kind::Blocklist => field("StartIndex").filter(|&s| s != 0),
        };
        match next {
            None => {
                self.done = true;
                Ok(())
            }
            Some(n) if n <= self.start => {
                self.done = true;
                Err(Stuck(format!("paging stopped: the next start index {n} does not advance past {}", self.start)))
            }
            Some(_) if self.pages >= MAX_PAGES => {
                self.done = true;
                Err(Stuck(format!("paging stopped after {MAX_PAGES} pages")))
            }
            Some(n) => {
                self.start = n;
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn friends_page_until_complete() {
        let mut p = Pager::new(Kind::Friends, json!({ "From_Account": "a", "StartIndex": 0, "StandardSequence": 5 }));
        assert_eq!(p.next_body().unwrap(), json!({ "From_Account": "a", "StartIndex": 0, "StandardSequence": 5 }));
        p.advance(&json!({ "CompleteFlag": 0, "NextStartIndex": 100 })).unwrap();
        assert_eq!(p.next_body().unwrap()["StartIndex"], json!(100));
        p.advance(&json!({ "CompleteFlag": 1, "NextStartIndex": 0 })).unwrap();
        assert!(p.done() && p.next_body().is_none());
    }

    #[test]
    fn blocklist_pages_until_start_index_is_zero() {
        let mut p = Pager::new(Kind::Blocklist, json!({ "From_Account": "a", "StartIndex": 0, "MaxLimited": 2, "LastSequence": 0 }));
        p.advance(&json!({ "StartIndex": 2 })).unwrap();
        p.advance(&json!({ "StartIndex": 4 })).unwrap();
        assert_eq!(p.next_body().unwrap()["StartIndex"], json!(4));
        p.advance(&json!({ "StartIndex": 0 })).unwrap();
        assert!(p.done());
    }

    #[test]
    fn a_first_body_gets_the_defaults_the_caller_left_out() {
        assert_eq!(Kind::Blocklist.first_body(json!({ "From_Account": "a", "MaxLimited": 5, "StartIndex": null })), json!({ "From_Account": "a", "MaxLimited": 5, "StartIndex": 0, "LastSequence": 0 }));
        assert_eq!(Kind::Friends.first_body(json!({ "From_Account": "a", "StartIndex": 7 })), json!({ "From_Account": "a", "StartIndex": 7 }));
    }

    #[test]
    fn a_start_index_that_does_not_advance_stops_the_walk() {
        let mut p = Pager::new(Kind::Friends, json!({ "From_Account": "a", "StartIndex": 0 }));
        p.advance(&json!({ "CompleteFlag": 0, "NextStartIndex": 50 })).unwrap();
        assert!(p.advance(&json!({ "CompleteFlag": 0, "NextStartIndex": 50 })).is_err());
        assert!(p.done());
        let mut b = Pager::new(Kind::Blocklist, json!({ "From_Account": "a", "StartIndex": 7 }));
        assert!(b.advance(&json!({ "StartIndex": 3 })).is_err(), "going backwards is a loop too");
    }
}
