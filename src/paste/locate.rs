//! Where a violation's path (`AddFriendItem[1].AddSource`) sits in the JSON text it was found
//! in, for an editor to mark it. The validator works on parsed values, which keep no offsets,
//! and its streaming reader keeps none either; this small scanner reads only the objects and
//! arrays on the way to the path. A path to a member that is not there (a `required` rule)
//! gets its nearest present ancestor, marked as not exact.

use serde::Serialize;

/// A byte range of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Located {
    /// First byte of the value.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// False when the path itself is absent and the range is its nearest present ancestor's.
    pub exact: bool,
}

#[derive(Debug, PartialEq, Eq)]
/// One step of a path: a member name or an array index.
pub(super) enum Segment {
    Key(String),
    Index(usize),
}

/// `A[1].B` as segments; `input`, `(body)` and the empty path are the root. `None` for text
/// that is not a path.
pub(super) fn segments(path: &str) -> Option<Vec<Segment>> {
    if matches!(path, "" | "input" | "(body)") {
        return Some(Vec::new());
    }
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut indexes) = part.split_once('[').map_or((part, ""), |(k, rest)| (k, rest));
        if !key.is_empty() {
            out.push(Segment::Key(key.to_owned()));
        }
        if !indexes.is_empty() {
            indexes = indexes.strip_suffix(']')?;
            for i in indexes.split("][") {
                out.push(Segment::Index(i.parse().ok()?));
            }
        }
    }
    Some(out)
}

/// The range of the value at `path` in JSON `text`, or of its nearest present ancestor;
/// `None` when the text is not JSON as far as the path goes, or `path` is not a path.
pub fn locate(text: &str, path: &str) -> Option<Located> {
    let segments = segments(path)?;
    let s = Scanner { b: text.as_bytes() };
    let mut start = s.ws(0);
    let mut end = s.value(start)?;
    for seg in &segments {
        let found = match seg {
            Segment::Key(k) => s.member(start, k)?,
            Segment::Index(i) => s.element(start, *i)?,
        };
        match found {
            Some((from, to)) => (start, end) = (from, to),
            None => return Some(Located { start, end, exact: false }),
        }
    }
    Some(Located { start, end, exact: true })
}

struct Scanner<'t> {
    b: &'t [u8],
}

impl Scanner<'_> {
    fn ws(&self, mut i: usize) -> usize {
        while matches!(self.b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        i
    }

    /// The end of the string opening at `i`.
    fn string(&self, mut i: usize) -> Option<usize> {
        i += 1;
        loop {
            match *self.b.get(i)? {
                b'"' => return Some(i + 1),
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
    }

    /// The end of the value starting at `i` (after white space).
    fn value(&self, i: usize) -> Option<usize> {
        match *self.b.get(i)? {
            b'"' => self.string(i),
            b'{' | b'[' => {
                let mut depth = 0usize;
                let mut j = i;
                loop {
                    match *self.b.get(j)? {
                        b'"' => {
                            j = self.string(j)?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                return Some(j + 1);
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
            }
            _ => {
                let len = self.b[i..].iter().position(|c| matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')).unwrap_or(self.b.len() - i);
                (len > 0).then_some(i + len)
            }
        }
    }

    /// The range of member `key` of the object at `i` (the last one, as the parser keeps);
    /// `Some(None)` when the object has no such member, `None` when `i` is not an object.
    fn member(&self, i: usize, key: &str) -> Option<Option<(usize, usize)>> {
        if self.b.get(i) != Some(&b'{') {
            return None;
        }
        let mut found = None;
        let mut j = self.ws(i + 1);
        while self.b.get(j) == Some(&b'"') {
            let key_end = self.string(j)?;
            let raw = std::str::from_utf8(&self.b[j..key_end]).ok()?;
            let name: String = serde_json::from_str(raw).ok()?;
            j = self.ws(key_end);
            if self.b.get(j) != Some(&b':') {
                return None;
            }
            let from = self.ws(j + 1);
            let to = self.value(from)?;
            if name == key {
                found = Some((from, to));
            }
            j = self.ws(to);
            if self.b.get(j) != Some(&b',') {
                break;
            }
            j = self.ws(j + 1);
        }
        Some(found)
    }

    /// The range of element `index` of the array at `i`, like [`Self::member`].
    fn element(&self, i: usize, index: usize) -> Option<Option<(usize, usize)>> {
        if self.b.get(i) != Some(&b'[') {
            return None;
        }
        let mut j = self.ws(i + 1);
        if self.b.get(j) == Some(&b']') {
            return Some(None);
        }
        for n in 0.. {
            let to = self.value(j)?;
            if n == index {
                return Some(Some((j, to)));
            }
            j = self.ws(to);
            if self.b.get(j) != Some(&b',') {
                return Some(None);
            }
            j = self.ws(j + 1);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{
  "From_Account": "alice",
  "AddFriendItem": [
    { "To_Account": "bob", "AddSource": "AddSource_Type_Web" },
    { "To_Account": "c\"{[", "AddSource": "web!", "Tags": [1, [2, 3]] }
  ]
}"#;

    fn at(path: &str) -> Option<(&'static str, bool)> {
        locate(BODY, path).map(|l| (&BODY[l.start..l.end], l.exact))
    }

    #[test]
    fn values_at_their_paths() {
        assert_eq!(at("AddFriendItem[1].AddSource"), Some(("\"web!\"", true)));
        assert_eq!(at("AddFriendItem[1].To_Account"), Some(("\"c\\\"{[\"", true)));
        assert_eq!(at("AddFriendItem[1].Tags[1][0]"), Some(("2", true)));
        assert_eq!(at("From_Account"), Some(("\"alice\"", true)));
        assert_eq!(at("input").map(|(t, e)| (t.len(), e)), Some((BODY.len(), true)));
    }

    #[test]
    fn an_absent_member_marks_its_nearest_ancestor() {
        assert_eq!(at("AddFriendItem[0].Remark"), Some(("{ \"To_Account\": \"bob\", \"AddSource\": \"AddSource_Type_Web\" }", false)));
        assert_eq!(at("AddFriendItem[5].AddSource").map(|(t, e)| (t.starts_with('['), e)), Some((true, false)));
    }

    #[test]
    fn broken_text_and_bad_paths_are_none_not_a_panic() {
        assert_eq!(locate("{\"a\": ", "a"), None);
        assert_eq!(locate("[1,2]", "a"), None);
        assert_eq!(locate("{}", "a[x]"), None);
        assert_eq!(locate("{\"a\":[1,]}", "a[2]"), None);
        for text in ["", "{", "[", "\"", "{\"a\"", "{\"a\":{\"b\":[", "}", "]]"] {
            for path in ["a", "a[0]", "a.b", "[0]", "input"] {
                let _ = locate(text, path);
            }
        }
        // A repeated key: the last one, as the parser keeps it.
        let l = locate("{\"a\":1,\"a\":22}", "a").unwrap();
        assert_eq!((l.start, l.end), (11, 13));
    }
}
