//! The fast path: checks JSON text against a schema while reading it, building no
//! [`serde_json::Value`] tree (strings and keys are borrowed from the text where they have no
//! escapes). It answers only "valid or not": a body it refuses is walked again by
//! [`super::schema::check`] for the full report with paths. The leaf rules are the schema's
//! own ([`schema::check_str`], [`schema::check`] on a number, [`schema::list_count`]);
//! `Rule::Custom` and `Rule::Any` values are read into a small `Value` and checked by the
//! same code as the tree walk. `fuzz/src/checks.rs` cross-checks the two verdicts.

use super::schema::{self, Field, Options, Rule};
use super::{Path, Violations};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// The streaming check's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Valid, and the text holds no `null` and no repeated key: it is the body as it would be
    /// built.
    Valid,
    /// Some rule is broken: walk the tree for the full report.
    Invalid,
    /// Not decided here (not JSON, a `null` or a repeated key, a field allowed only because
    /// unknown fields are let through): take the tree walk.
    Undecided,
}

/// What the root object of a reply says, for deciding whether it can go to JS as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Envelope {
    /// `ErrorCode` was the number 0.
    pub code_zero: bool,
    /// `ActionStatus` was present, and `"OK"`.
    pub status_ok: bool,
    /// A key that parsing annotates (`ResultItem`, `InfoItem`, `BlackListCheckItem`,
    /// `CurruentSequence`) is present.
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

struct Ctx<'o> {
    opts: &'o Options,
    /// Reading a reply: unknown fields are kept as written.
    reply: bool,
    invalid: bool,
    undecided: bool,
    envelope: Envelope,
}

fn run(text: &str, tables: &[&'static [Field]], opts: &Options) -> (Verdict, Envelope) {
    let reply = !opts.reject_unknown_fields && tables.len() > 1;
    let mut ctx = Ctx { opts, reply, invalid: false, undecided: false, envelope: Envelope::default() };
    let mut de = serde_json::Deserializer::from_str(text);
    // A root that is not an object is refused by the tree walk with its message.
    let read = Check { rule: &ROOT, root: Some(tables), ctx: &mut ctx }.deserialize(&mut de).and_then(|_| de.end());
    let verdict = if read.is_err() || ctx.undecided {
        Verdict::Undecided
    } else if ctx.invalid {
        Verdict::Invalid
    } else {
        Verdict::Valid
    };
    (verdict, ctx.envelope)
}

/// A value read by [`Check`], kept only as far as its parent needs it.
enum Scalar<'de> {
    Str(Cow<'de, str>),
    U64(u64),
    Other,
}

/// Checks one value against `rule`, or the root object against its field tables.
struct Check<'c, 'o, 't> {
    rule: &'static Rule,
    /// Set for the root only: its field tables (the rule is then unused).
    root: Option<&'t [&'static [Field]]>,
    ctx: &'c mut Ctx<'o>,
}

/// The rule of the root (never read: the root is checked against its tables).
static ROOT: Rule = Rule::Any;

impl Ctx<'_> {
    /// Checks a value with the tree walk's own rule code into a scratch collector: any
    /// violation makes the body invalid. One function, not a closure per call site: the
    /// .wasm stays small.
    fn leaf(&mut self, v: &Value, rule: &Rule) {
        let mut out = Violations::new();
        schema::check(v, rule, &Path::root(), self.opts, &mut out);
        self.invalid |= !out.is_empty();
    }

    fn leaf_str(&mut self, s: &str, rule: &Rule) {
        let mut out = Violations::new();
        schema::check_str(s, rule, &Path::root(), self.opts, &mut out);
        self.invalid |= !out.is_empty();
    }
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

impl<'de> DeserializeSeed<'de> for Check<'_, '_, '_> {
    type Value = Scalar<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        if self.root.is_none() && matches!(self.rule, Rule::Custom(_) | Rule::Any) {
            // Small values whose rule needs code: the tree walk's own check, on a small tree.
            let v = Value::deserialize(d)?;
            self.ctx.undecided |= has_null(&v);
            self.ctx.leaf(&v, self.rule);
            return Ok(Scalar::Other);
        }
        d.deserialize_any(self)
    }
}

use serde::Deserialize;

impl<'de> Visitor<'de> for Check<'_, '_, '_> {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        // A null member is left out of the built body: the tree walk handles that.
        self.ctx.undecided = true;
        Ok(Scalar::Other)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        self.ctx.invalid = true; // no rule takes a boolean (Any and Custom never get here)
        Ok(Scalar::Other)
    }

    fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
        Ok(self.number(Value::from(n)))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
        Ok(self.number(Value::from(n)))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
        Ok(self.number(Value::from(n)))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        self.text(Cow::Borrowed(s))
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        self.text(Cow::Owned(s.to_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let (Rule::List { item, min, max, unique }, None) = (self.rule, self.root) else {
            self.ctx.invalid = true;
            while seq.next_element::<Value>()?.is_some() {}
            return Ok(Scalar::Other);
        };
        let dups = *unique && self.ctx.opts.soft_limits;
        let mut strings: Vec<Cow<'de, str>> = Vec::new();
        let mut len = 0;
        while let Some(v) = seq.next_element_seed(Check { rule: item, root: None, ctx: &mut *self.ctx })? {
            len += 1;
            if let (true, Scalar::Str(s)) = (dups, v) {
                strings.push(s);
            }
        }
        let mut out = Violations::new();
        schema::list_count(len, *min, *max, &Path::root(), self.ctx.opts, &mut out);
        self.ctx.invalid |= !out.is_empty();
        let mut seen = std::collections::BTreeSet::new();
        self.ctx.invalid |= !strings.iter().all(|s| seen.insert(&**s));
        Ok(Scalar::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        match (self.root, self.rule) {
            (Some(tables), _) => object(map, tables, self.ctx, true),
            (None, Rule::Object(fields)) => object(map, &[fields], self.ctx, false),
            _ => {
                self.ctx.invalid = true;
                drain(map)
            }
        }
    }
}

impl<'de> Check<'_, '_, '_> {
    fn text<E>(self, s: Cow<'de, str>) -> Result<Scalar<'de>, E> {
        if self.root.is_none() && schema::is_text(self.rule) {
            self.ctx.leaf_str(&s, self.rule);
        } else {
            self.ctx.invalid = true;
        }
        Ok(Scalar::Str(s))
    }

    fn number(self, v: Value) -> Scalar<'de> {
        self.ctx.invalid |= self.root.is_some();
        self.ctx.leaf(&v, self.rule);
        v.as_u64().map_or(Scalar::Other, Scalar::U64)
    }
}

fn drain<'de, A: MapAccess<'de>>(mut map: A) -> Result<Scalar<'de>, A::Error> {
    while map.next_entry::<Key<'de>, Value>()?.is_some() {}
    Ok(Scalar::Other)
}

/// A key, borrowed from the text when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// Reads an object whose fields are in `tables` (the first table that names a key wins).
/// At the root of a reply (`root` and a reply) it records the envelope.
fn object<'de, A: MapAccess<'de>>(mut map: A, tables: &[&'static [Field]], ctx: &mut Ctx<'_>, root: bool) -> Result<Scalar<'de>, A::Error> {
    // One bit per field of each table (tables here have well under 64 fields).
    let mut seen = [0u64; 2];
    if tables.len() > seen.len() || tables.iter().any(|t| t.len() > 64) {
        ctx.undecided = true;
        return drain(map);
    }
    while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
        let found = tables.iter().enumerate().find_map(|(t, fields)| fields.iter().position(|f| f.name == key).map(|i| (t, i)));
        let Some((t, i)) = found else {
            if ctx.opts.reject_unknown_fields {
                ctx.invalid = true;
            } else if !ctx.reply {
                // A request field let through as written: a null in it (left out when built)
                // or a repeat of it (the tree keeps the last) is for the tree walk to judge.
                ctx.undecided = true;
            } else if root && matches!(&*key, "ResultItem" | "InfoItem" | "BlackListCheckItem" | "CurruentSequence") {
                ctx.envelope.annotated = true;
            }
            // A reply's unknown field goes to JS as it is, as the tree walk leaves it.
            map.next_value::<Value>()?;
            continue;
        };
        if seen[t] & (1 << i) != 0 {
            ctx.undecided = true; // a repeated key: the tree keeps the last one
        }
        seen[t] |= 1 << i;
        let field = &tables[t][i];
        let v = map.next_value_seed(Check { rule: &field.rule, root: None, ctx: &mut *ctx })?;
        if root && ctx.reply {
            match (&*key, v) {
                ("ErrorCode", Scalar::U64(0)) => ctx.envelope.code_zero = true,
                ("ActionStatus", Scalar::Str(s)) => ctx.envelope.status_ok = s == "OK",
                ("ResultItem" | "InfoItem" | "BlackListCheckItem" | "CurruentSequence", _) => ctx.envelope.annotated = true,
                _ => {}
            }
        }
    }
    for (t, fields) in tables.iter().enumerate() {
        if fields.iter().enumerate().any(|(i, f)| f.required && seen[t] & (1 << i) == 0) {
            ctx.invalid = true;
        }
    }
    Ok(Scalar::Other)
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
