//! The fast path: checks JSON text against a schema while reading it, building no
//! [`serde_json::Value`] tree. It answers only "valid or not": a body it refuses is walked
//! again by [`super::schema::check`] for the full report with paths. The leaf rules are the
//! schema's own ([`schema::check_str`], [`schema::check`] on a number, [`schema::list_count`]);
//! `Rule::Custom` values are handed to the same code as in the tree walk.
//!
//! The reader is a small byte scanner rather than a serde visitor: the schema already says
//! what each position may hold, so it compares keys and scans strings in place, and the
//! visitor machinery cost three times the parse itself. It decides only on the JSON it reads
//! plainly (no `null` members, no repeated keys, integers without fraction or exponent,
//! escapes only inside strings); anything else is [`Verdict::Undecided`] and goes to the tree
//! walk, which reads every JSON. `fuzz/src/checks.rs` cross-checks the two verdicts.

use super::schema::{self, Field, Options, Rule};
use super::{Path, Violations};
use serde_json::Value;

mod bulk;
mod lex;
mod rows;
pub use bulk::{Split, bulk_items};
pub use rows::{RESULT_LISTS, Row, check_reply_rows};
use rows::{ROW_FIELDS, Rows};

/// The streaming check's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Valid, and the text holds no `null` and no repeated key: it is the body as it would be
    /// built.
    Valid,
    /// Some rule is broken: walk the tree for the full report.
    Invalid,
    /// Not decided here (not JSON, a `null` or a repeated key, a field allowed only because
    /// unknown fields are let through, JSON outside the plainly read subset): take the tree
    /// walk.
    Undecided,
}

/// What the root object of a reply says, for deciding whether it can go to JS as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Envelope {
    /// `ErrorCode` was the number 0.
    pub code_zero: bool,
    /// `ActionStatus` was present, and `"OK"`.
    pub status_ok: bool,
    /// Parsing changes the reply: a key it annotates (`ResultItem`, `InfoItem`,
    /// `BlackListCheckItem`, `CurruentSequence`) is present, or a list the tables name is left
    /// out (parsing adds it, empty), at any depth.
    pub annotated: bool,
}

/// Checks request `text` against a command's field table.
pub fn check_request(text: &str, fields: &'static [Field], opts: &Options) -> Verdict {
    run(text, &[fields], opts).0
}

/// Checks reply `text` against the envelope and the command's fields (unknown fields allowed).
pub fn check_reply(text: &str, tables: &[&'static [Field]]) -> (Verdict, Envelope) {
    run(text, tables, &Options::RESPONSE)
}


/// True when `v` holds a `null` anywhere (such members are left out of a built body).
pub fn has_null(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(items) => items.iter().any(has_null),
        Value::Object(m) => m.values().any(has_null),
        _ => false,
    }
}


/// The strings of a list whose items must be unique: the first eight on the stack (most such
/// lists are short), the rest in a `Vec`.
#[derive(Default)]
struct Seen<'t> {
    few: [&'t str; 8],
    len: usize,
    more: Vec<&'t str>,
}

impl<'t> Seen<'t> {
    fn push(&mut self, s: &'t str) {
        match self.few.get_mut(self.len) {
            Some(slot) => *slot = s,
            None => self.more.push(s),
        }
        self.len += 1;
    }

    /// True when a string occurs twice (short lists are compared pairwise).
    fn has_repeat(&self) -> bool {
        let few = &self.few[..self.len.min(8)];
        if self.more.is_empty() {
            return few.iter().enumerate().any(|(i, a)| few[..i].contains(a));
        }
        let mut seen = std::collections::BTreeSet::new();
        !few.iter().chain(&self.more).all(|s| seen.insert(*s))
    }
}

/// The reader met something it leaves to the tree walk (see [`Verdict::Undecided`]).
struct Undecided;
type Read<T> = Result<T, Undecided>;

/// Deepest nesting the reader follows; deeper text goes to the tree walk (serde_json, which
/// stops at 128). Requests are at most four levels deep.
const MAX_DEPTH: usize = 64;

/// Root keys of a reply that parsing annotates, so that the reply cannot go to JS as it is.
const ANNOTATED: [&str; 4] = ["ResultItem", "InfoItem", "BlackListCheckItem", "CurruentSequence"];

fn run(text: &str, tables: &[&'static [Field]], opts: &Options) -> (Verdict, Envelope) {
    let reply = !opts.reject_unknown_fields && tables.len() > 1;
    let mut r = Reader::new(text, opts, reply);
    let verdict = match r.root(tables) {
        Err(Undecided) => Verdict::Undecided,
        Ok(()) if r.invalid || !r.out.is_empty() => Verdict::Invalid,
        Ok(()) => Verdict::Valid,
    };
    (verdict, r.envelope)
}

/// A value read by [`Reader::value`], kept only as far as its parent needs it.
enum Scalar<'t> {
    /// A string without escapes, as it is in the text.
    Str(&'t str),
    /// A string with escapes (decoded into [`Reader::decoded`] for a moment only).
    Escaped,
    U64(u64),
    Other,
}

/// Whether a `null` inside a skipped value leaves the verdict to the tree walk.
#[derive(Clone, Copy, PartialEq)]
enum Nulls {
    /// In a value the body keeps (a built body leaves null members out).
    Undecided,
    /// In a reply's unknown field, or in a value that is wrong anyway.
    Allowed,
}

struct Reader<'t, 'o> {
    text: &'t str,
    /// Byte offset of the next unread byte; always at a character boundary.
    at: usize,
    opts: &'o Options,
    /// Reading a reply: unknown fields are kept as written.
    reply: bool,
    /// Set for a broken rule found without the schema's rule code (a wrong JSON kind, a
    /// missing field).
    invalid: bool,
    /// What the schema's rule code found (its messages are not used: only whether it is empty).
    out: Violations,
    envelope: Envelope,
    /// The last string with escapes, decoded (see [`Reader::string`]).
    decoded: String,
    /// Reused for string values checked by `Rule::Custom` code (which takes a `Value`).
    scratch: String,
    /// Result rows read on the way, when asked for ([`check_reply_rows`]).
    rows: Option<Rows>,
}

impl<'t, 'o> Reader<'t, 'o> {
    fn new(text: &'t str, opts: &'o Options, reply: bool) -> Self {
        Reader {
            text,
            at: 0,
            opts,
            reply,
            invalid: false,
            out: Violations::new(),
            envelope: Envelope::default(),
            decoded: String::new(),
            scratch: String::new(),
            rows: None,
        }
    }

    fn root(&mut self, tables: &[&'static [Field]]) -> Read<()> {
        if self.peek()? == b'{' {
            self.object(tables, true, 0)?;
        } else {
            // A root that is not an object is refused by the tree walk with its message.
            self.skip(0, Nulls::Allowed)?;
            self.invalid = true;
        }
        self.ws();
        if self.at == self.text.len() { Ok(()) } else { Err(Undecided) }
    }

    /// A string at the opening quote, checked against `rule` with the schema's own code (a
    /// rule that is not a text rule makes the body invalid).
    fn text(&mut self, rule: &Rule) -> Read<Scalar<'t>> {
        let check = |r: &mut Self, s: &str| {
            if schema::is_text(rule) {
                schema::check_str(s, rule, &Path::root(), r.opts, &mut r.out);
            } else {
                r.invalid = true;
            }
        };
        Ok(match self.string()? {
            Some(s) => {
                check(self, s);
                Scalar::Str(s)
            }
            None => {
                let s = std::mem::take(&mut self.decoded);
                check(self, &s);
                self.decoded = s;
                Scalar::Escaped
            }
        })
    }

    /// A value of a known field, checked against `rule`.
    fn value(&mut self, rule: &'static Rule, depth: usize) -> Read<Scalar<'t>> {
        if depth >= MAX_DEPTH {
            return Err(Undecided);
        }
        match (self.peek()?, rule) {
            (_, Rule::Any) => {
                self.skip(depth, Nulls::Undecided)?;
                Ok(Scalar::Other)
            }
            (_, Rule::Custom(check)) => self.custom(*check, depth),
            (b'n', _) => Err(Undecided), // a null member is left out of a built body
            (b'"', _) => self.text(rule),
            (b'0'..=b'9', _) => {
                let n = self.integer()?;
                match rule {
                    Rule::UInt { min, max } => self.invalid |= !(*min..=*max).contains(&n),
                    _ => schema::check(&Value::from(n), rule, &Path::root(), self.opts, &mut self.out),
                }
                Ok(Scalar::U64(n))
            }
            // serde_json reads `-0` as the integer 0, which integer rules take: left to it.
            (b'-', _) if self.text.as_bytes().get(self.at + 1) == Some(&b'0') => Err(Undecided),
            (b'{', Rule::Object(fields)) => {
                self.object(&[fields], false, depth + 1)?;
                Ok(Scalar::Other)
            }
            (b'[', Rule::List { item, min, max, unique }) => {
                self.list(item, *min, *max, *unique, depth + 1)?;
                Ok(Scalar::Other)
            }
            _ => {
                // A boolean, a negative number, or an object or array where the rule wants
                // something else: no rule here takes it (Any and Custom are matched above).
                self.skip(depth, Nulls::Allowed)?;
                self.invalid = true;
                Ok(Scalar::Other)
            }
        }
    }

    /// A value whose rule needs code: strings and integers are handed over without a tree;
    /// anything else is read into a small `Value`.
    fn custom(&mut self, check: fn(&Value, &Path, &Options, &mut Violations), depth: usize) -> Read<Scalar<'t>> {
        let root = Path::root();
        match self.peek()? {
            b'"' => {
                let (text, scalar) = match self.string()? {
                    Some(s) => {
                        let mut held = std::mem::take(&mut self.scratch);
                        held.clear();
                        held.push_str(s);
                        (held, Scalar::Str(s))
                    }
                    None => (std::mem::take(&mut self.decoded), Scalar::Escaped),
                };
                let v = Value::String(text);
                check(&v, &root, self.opts, &mut self.out);
                if let Value::String(held) = v {
                    self.scratch = held;
                }
                Ok(scalar)
            }
            b'0'..=b'9' => {
                let n = self.integer()?;
                check(&Value::from(n), &root, self.opts, &mut self.out);
                Ok(Scalar::U64(n))
            }
            _ => {
                let start = self.at;
                self.skip(depth, Nulls::Undecided)?;
                let v: Value = serde_json::from_str(&self.text[start..self.at]).map_err(|_| Undecided)?;
                check(&v, &root, self.opts, &mut self.out);
                Ok(Scalar::Other)
            }
        }
    }

    fn list(&mut self, item: &'static Rule, min: usize, max: Option<schema::Cap>, unique: bool, depth: usize) -> Read<()> {
        self.eat(b'[')?;
        let dups = unique && self.opts.soft_limits;
        let mut seen = Seen::default();
        let mut len = 0;
        if self.peek()? == b']' {
            self.at += 1;
        } else {
            loop {
                let v = self.value(item, depth)?;
                len += 1;
                match (dups, v) {
                    (true, Scalar::Str(s)) => seen.push(s),
                    // A decoded string is gone by now: the tree walk compares those.
                    (true, Scalar::Escaped) => return Err(Undecided),
                    _ => {}
                }
                if self.end_of(b']')? {
                    break;
                }
            }
        }
        schema::list_count(len, min, max, &Path::root(), self.opts, &mut self.out);
        self.invalid |= dups && seen.has_repeat();
        Ok(())
    }

    /// True when the string at the opening quote is exactly `name`.
    #[inline(always)]
    fn key_is(&self, name: &str) -> bool {
        let rest = &self.text.as_bytes()[self.at + 1..];
        rest.get(name.len()) == Some(&b'"') && schema::same_bytes(&rest[..name.len()], name.as_bytes())
    }

    /// The field of `tables` that the key at the opening quote names (the first table that
    /// names it wins). The key's length is found once, so most fields are passed over by
    /// their length alone; a key with an escape names no field.
    fn find_key(&self, tables: &[&'static [Field]]) -> Option<(usize, usize)> {
        let rest = &self.text.as_bytes()[self.at + 1..];
        let len = rest.iter().position(|&b| b == b'"' || b == b'\\')?;
        let key = &rest[..len];
        if rest[len] != b'"' {
            return None;
        }
        tables.iter().enumerate().find_map(|(t, fields)| {
            fields.iter().position(|f| f.name.len() == len && schema::same_bytes(key, f.name.as_bytes())).map(|i| (t, i))
        })
    }

    /// Reads an object whose fields are in `tables` (the first table that names a key wins).
    /// At the root of a reply (`root` and a reply) it records the envelope.
    fn object(&mut self, tables: &[&'static [Field]], root: bool, depth: usize) -> Read<()> {
        // One bit per field of each table (tables here have well under 64 fields).
        let mut seen = [0u64; 2];
        if tables.len() > seen.len() || tables.iter().any(|t| t.len() > 64) {
            return Err(Undecided);
        }
        self.eat(b'{')?;
        // An item of a result list being read (the list is a root member's value: depth 1).
        let row = depth == 2 && self.start_row();
        let mut next = (0, 0);
        if self.peek()? == b'}' {
            self.at += 1;
        } else {
            loop {
                if self.peek()? != b'"' {
                    return Err(Undecided);
                }
                // Names are compared in place (a field name holds no quote or escape), first
                // the field after the last one, since members mostly come in table order.
                let found = tables[next.0].get(next.1).filter(|f| self.key_is(f.name)).map(|_| next).or_else(|| self.find_key(tables));
                let key = match found {
                    Some((t, i)) => {
                        self.at += tables[t][i].name.len() + 2;
                        tables[t][i].name
                    }
                    // An unknown key; one with an escape is for the tree walk.
                    None => self.string()?.ok_or(Undecided)?,
                };
                self.eat(b':')?;
                match found {
                    None => {
                        if self.opts.reject_unknown_fields {
                            self.invalid = true;
                        } else if !self.reply {
                            // A request field let through as written: a null in it (left out
                            // when built) or a repeat of it (the tree keeps the last) is for
                            // the tree walk to judge.
                            return Err(Undecided);
                        } else if root && ANNOTATED.contains(&key) {
                            self.envelope.annotated = true;
                            if let Some(rows) = self.rows.as_mut().filter(|_| RESULT_LISTS.contains(&key)) {
                                rows.unread = true;
                            }
                        }
                        // A reply's unknown field goes to JS as it is, as the tree walk leaves it.
                        if row && self.peek()? == b'"' && ROW_FIELDS.contains(&key) {
                            let v = self.string()?;
                            self.keep(key, v.map_or(Scalar::Escaped, Scalar::Str));
                        } else if row && key == "ResultCode" && self.peek()?.is_ascii_digit() {
                            let n = self.integer()?;
                            self.keep(key, Scalar::U64(n));
                        } else {
                            self.skip(depth, Nulls::Allowed)?;
                        }
                    }
                    Some((t, i)) => {
                        next = (t, i + 1);
                        if seen[t] & (1 << i) != 0 {
                            return Err(Undecided); // a repeated key: the tree keeps the last one
                        }
                        seen[t] |= 1 << i;
                        let rule = &tables[t][i].rule;
                        let list = if root { self.rows.as_ref().and(RESULT_LISTS.iter().position(|l| *l == key)) } else { None };
                        if let (Some(rows), Some(l)) = (self.rows.as_mut(), list) {
                            rows.reading = Some(l);
                            rows.lists[l] = Some(Vec::new());
                        }
                        // The common member, a plain string under a text rule, without the
                        // general dispatch.
                        let v = if self.text.as_bytes().get(self.at) == Some(&b'"') && schema::is_text(rule) {
                            self.text(rule)?
                        } else {
                            self.value(rule, depth)?
                        };
                        if let Some(rows) = self.rows.as_mut().filter(|_| list.is_some()) {
                            rows.reading = None;
                        }
                        let v = if row { self.keep(key, v) } else { v };
                        if root && self.reply {
                            match (key, v) {
                                ("ErrorCode", Scalar::U64(0)) => self.envelope.code_zero = true,
                                ("ActionStatus", Scalar::Str(s)) => self.envelope.status_ok = s == "OK",
                                (k, _) if ANNOTATED.contains(&k) => self.envelope.annotated = true,
                                _ => {}
                            }
                        }
                    }
                }
                if self.end_of(b'}')? {
                    break;
                }
            }
        }
        for (t, fields) in tables.iter().enumerate() {
            if fields.iter().enumerate().any(|(i, f)| f.required && seen[t] & (1 << i) == 0) {
                self.invalid = true;
            }
            // Parsing gives a reply every list its table names: one left out means the text
            // is not what JS gets.
            if self.reply && fields.iter().enumerate().any(|(i, f)| matches!(f.rule, Rule::List { .. }) && seen[t] & (1 << i) == 0) {
                self.envelope.annotated = true;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Verdict::*;
    use crate::model::Command::*;
    use crate::validate::schema::Options;

    #[test]
    fn valid_text_passes_and_any_broken_rule_fails() {
        let ok = r#"{"From_Account":"alice","AddFriendItem":[{"To_Account":"bob","AddSource":"AddSource_Type_Web","GroupName":""}]}"#;
        assert_eq!(FriendAdd.check_request_text(ok, &Options::REQUEST), Valid);
        for bad in [
            r#"{"AddFriendItem":[{"To_Account":"bob","AddSource":"AddSource_Type_Web"}]}"#,
            r#"{"From_Account":"alice","AddFriendItem":[]}"#,
            r#"{"From_Account":"alice","AddFriendItem":[{"To_Account":"bob","AddSource":"AddSource_Type_"}]}"#,
            r#"{"From_Account":"alice","AddFriendItem":[{"To_Account":"bob","AddSource":"AddSource_Type_Web"}],"ForceAddFlags":2}"#,
            r#"{"From_Account":"alice","AddFriendItem":[{"To_Account":"bob","AddSource":"AddSource_Type_Web"}],"from_account":"x"}"#,
            r#"[1]"#,
        ] {
            assert_eq!(FriendAdd.check_request_text(bad, &Options::REQUEST), Invalid, "{bad}");
        }
        // Duplicates are a soft rule, as in the tree walk.
        let dup = r#"{"From_Account":"a","To_Account":["b","b"]}"#;
        assert_eq!(BlackListAdd.check_request_text(dup, &Options::REQUEST), Invalid);
        assert_eq!(BlackListAdd.check_request_text(dup, &Options { soft_limits: false, ..Options::REQUEST }), Valid);
    }

    #[test]
    fn nulls_repeats_and_non_json_are_left_to_the_tree_walk() {
        for text in [
            r#"{"From_Account":"a","DeleteType":null}"#,
            r#"{"From_Account":"a","From_Account":"b"}"#,
            r#"{"From_Account":"a""#,
        ] {
            assert_eq!(FriendDeleteAll.check_request_text(text, &Options::REQUEST), Undecided, "{text}");
        }
    }

    #[test]
    fn replies_report_their_envelope() {
        let (v, env) = FriendGet.check_reply_text(r#"{"ActionStatus":"OK","ErrorCode":0,"UserDataItem":[],"New":{"x":null}}"#);
        assert_eq!((v, env.code_zero, env.status_ok, env.annotated), (Valid, true, true, false));
        let (v, env) = FriendAdd.check_reply_text(r#"{"ActionStatus":"OK","ErrorCode":0,"ResultItem":[{"To_Account":"b","ResultCode":0}]}"#);
        assert_eq!((v, env.annotated), (Valid, true));
        let (v, env) = FriendGet.check_reply_text(r#"{"ErrorCode":70001}"#);
        assert_eq!((v, env.code_zero, env.status_ok), (Valid, false, false));
        assert_eq!(FriendGet.check_reply_text(r#"{"ActionStatus":"OK"}"#).0, Invalid);
    }
}
