//! A small declarative schema for request and response bodies: a field table per object, a
//! rule per field. Endpoint files state their documented constraints as data (they read like
//! the doc page) and [`check`] walks any JSON against them, collecting every violation.

use super::{Path, Violations, kind, rules};
use serde_json::Value;
use std::collections::BTreeSet;

/// A count limit the docs state (hard, always enforced) or only advise (soft: enforced unless
/// the caller relaxes soft limits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    /// Stated by the docs.
    Hard(usize),
    /// Advised by the docs (or an unconfirmed server cap).
    Soft(usize),
}

/// How a field's value is checked.
#[derive(Debug)]
pub enum Rule {
    /// A UserID: a string of 1..=32 bytes; the charset per [`Options::user_id_charset`].
    UserId,
    /// A string of `min..=max` UTF-8 bytes.
    Bytes { min: usize, max: usize },
    /// `prefix` followed by 1..=`max` ASCII letters (`AddSource_Type_Web`, `Tag_SNS_Custom_Team`).
    Keyword { prefix: &'static str, max: usize },
    /// An integer in `min..=max`.
    UInt { min: u64, max: u64 },
    /// Exactly one of these strings.
    Enum(&'static [&'static str]),
    /// Exactly one of these integers.
    IntEnum(&'static [u64]),
    /// An array of `min..` items, at most `max`, each checked by `item`; `unique` forbids
    /// duplicates (a soft rule).
    List { item: &'static Rule, min: usize, max: Option<Cap>, unique: bool },
    /// An object with these fields.
    Object(&'static [Field]),
    /// Any JSON value (a field whose shape the docs leave open).
    Any,
    /// A rule that needs code (e.g. a Tag/Value item whose value depends on its tag).
    Custom(fn(&Value, &Path, &Options, &mut Violations)),
}

/// One field of an object.
#[derive(Debug)]
pub struct Field {
    /// The wire name, exactly as Tencent spells it.
    pub name: &'static str,
    /// Whether the field must be present (and not null).
    pub required: bool,
    /// How its value is checked.
    pub rule: Rule,
}

impl Field {
    /// A required field.
    pub const fn req(name: &'static str, rule: Rule) -> Self {
        Self { name, required: true, rule }
    }
    /// An optional field.
    pub const fn opt(name: &'static str, rule: Rule) -> Self {
        Self { name, required: false, rule }
    }
}

/// Which characters a UserID may contain (at most 32 bytes in any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserIdCharset {
    /// `[A-Za-z0-9_-]`, what the official UserSig libraries recommend.
    Strict,
    /// Printable ASCII 0x20..=0x7E, what the client SDKs accept (default).
    #[default]
    Printable,
    /// Any characters; only the 32-byte length applies.
    Any,
}

/// Validation options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Enforce soft caps and recommendations (default true).
    pub soft_limits: bool,
    /// UserID charset rule (default printable ASCII).
    pub user_id_charset: UserIdCharset,
    /// Reject fields the schema does not know (default true for requests, false for responses).
    pub reject_unknown_fields: bool,
}

impl Options {
    /// Defaults for a request: every rule on, unknown fields rejected.
    pub const REQUEST: Self = Self { soft_limits: true, user_id_charset: UserIdCharset::Printable, reject_unknown_fields: true };
    /// Defaults for a response: tolerant of new fields and of anything only advised.
    pub const RESPONSE: Self = Self { soft_limits: false, user_id_charset: UserIdCharset::Any, reject_unknown_fields: false };
}

impl Default for Options {
    fn default() -> Self {
        Self::REQUEST
    }
}

/// Largest UserID in UTF-8 bytes.
pub const USER_ID_MAX_BYTES: usize = 32;

/// Checks `value` against `rule`, recording every violation under `path`.
pub fn check(value: &Value, rule: &Rule, path: &Path, opts: &Options, out: &mut Violations) {
    match rule {
        Rule::UserId | Rule::Bytes { .. } | Rule::Keyword { .. } | Rule::Enum(_) => {
            if let Some(s) = rules::string(value, path, out) {
                check_str(s, rule, path, opts, out);
            }
        }
        Rule::UInt { min, max } => {
            rules::uint(value, *min, *max, path, out);
        }
        Rule::IntEnum(allowed) => {
            if let Some(n) = rules::uint(value, 0, u64::MAX, path, out) {
                if !allowed.contains(&n) {
                    let list: Vec<String> = allowed.iter().map(u64::to_string).collect();
                    out.push(path, "enum", format!("{path} must be one of {}, got {n}", list.join(", ")));
                }
            }
        }
        Rule::List { item, min, max, unique } => list(value, item, *min, *max, *unique, path, opts, out),
        Rule::Object(fields) => object(value, fields, path, opts, out),
        Rule::Any => {}
        Rule::Custom(f) => f(value, path, opts, out),
    }
}

/// True for the rules whose value is a string, checked by [`check_str`].
pub fn is_text(rule: &Rule) -> bool {
    matches!(rule, Rule::UserId | Rule::Bytes { .. } | Rule::Keyword { .. } | Rule::Enum(_))
}

/// Checks a string against a text rule ([`is_text`]); other rules record nothing. Both the
/// tree walk and the streaming check ([`super::stream`]) call it, so the rules live once.
pub fn check_str(s: &str, rule: &Rule, path: &Path, opts: &Options, out: &mut Violations) {
    match rule {
        Rule::UserId => user_id(s, path, opts, out),
        Rule::Bytes { min, max } => bytes(s, *min, *max, path, out),
        Rule::Keyword { prefix, max } => {
            keyword(s, prefix, *max, path, out);
        }
        Rule::Enum(allowed) if !allowed.contains(&s) => {
            out.push(path, "enum", format!("{path} must be one of {}", allowed.join(", ")));
        }
        _ => {}
    }
}

/// Checks an object against a field table.
pub fn object(value: &Value, fields: &[Field], path: &Path, opts: &Options, out: &mut Violations) {
    let Some(map) = rules::object(value, path, out) else { return };
    // Only collect the names (for the hint) when some key is actually unknown.
    if opts.reject_unknown_fields && map.keys().any(|k| !fields.iter().any(|f| f.name == k)) {
        let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
        rules::no_unknown_fields(map, &names, path, out);
    }
    for field in fields {
        let at = path.key(field.name);
        match rules::optional(map, field.name) {
            Some(v) => check(v, &field.rule, &at, opts, out),
            None if field.required => out.push(&at, "required", format!("{at} is required")),
            None => {}
        }
    }
}

/// Gives every list field the table names an empty array where the body leaves it out (or
/// sends `null`), in objects at any depth: a reply handed to users always carries its arrays,
/// so code reads `reply.ResultItem` without `?? []`. Call it on a body that passed [`object`].
pub fn fill_lists(value: &mut Value, fields: &[Field]) {
    let Value::Object(map) = value else { return };
    for field in fields {
        match (&field.rule, map.get_mut(field.name)) {
            (Rule::List { .. }, None | Some(Value::Null)) => {
                map.insert(field.name.to_owned(), Value::Array(Vec::new()));
            }
            (rule, Some(v)) => fill_within(v, rule),
            (_, None) => {}
        }
    }
}

fn fill_within(value: &mut Value, rule: &Rule) {
    match (rule, value) {
        (Rule::Object(fields), v) => fill_lists(v, fields),
        (Rule::List { item, .. }, Value::Array(items)) => items.iter_mut().for_each(|v| fill_within(v, item)),
        _ => {}
    }
}

fn user_id(s: &str, path: &Path, opts: &Options, out: &mut Violations) {
    if !rules::str_bytes(s, USER_ID_MAX_BYTES, path, out) {
        return;
    }
    // Both charsets are ASCII, so bytes are tested (a non-ASCII character fails on its first
    // byte). One loop per charset: a function pointer would be an indirect call per byte.
    let bytes = s.as_bytes();
    let (ok, allowed) = match opts.user_id_charset {
        UserIdCharset::Strict => (bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-'), "letters, digits, _ and -"),
        UserIdCharset::Printable => (bytes.iter().all(|b| (b' '..=b'~').contains(b)), "printable ASCII"),
        UserIdCharset::Any => return,
    };
    if !ok {
        out.push(path, "user-id-charset", format!("{path} may contain only {allowed}"));
    }
}

fn bytes(s: &str, min: usize, max: usize, path: &Path, out: &mut Violations) {
    if s.len() < min {
        let rule = if min == 1 { "non-empty" } else { "min-bytes" };
        out.push(path, rule, format!("{path} must be at least {min} UTF-8 byte(s), got {}", s.len()));
    } else if s.len() > max {
        out.push(path, "max-bytes", format!("{path} must be at most {max} UTF-8 bytes, got {}", s.len()));
    }
}

/// `prefix` + 1..=`max` ASCII letters.
pub fn keyword(s: &str, prefix: &str, max: usize, path: &Path, out: &mut Violations) -> bool {
    let (b, p) = (s.as_bytes(), prefix.as_bytes());
    let ok = b.len() > p.len() && b.len() - p.len() <= max && same_bytes(&b[..p.len()], p) && b[p.len()..].iter().all(u8::is_ascii_alphabetic);
    if !ok {
        out.push(path, "pattern", format!("{path} must be {prefix} followed by 1 to {max} ASCII letters"));
    }
    ok
}

/// `a == b`, eight bytes at a time: field names and keyword prefixes are short, and the call
/// to `memcmp` (a byte loop in wasm) cost more than the compare itself.
#[inline(always)]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let word = |s: &[u8], i: usize| u64::from_le_bytes(s[i..i + 8].try_into().unwrap_or_default());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let mut i = 0;
    while i + 8 <= n {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    // The last eight bytes, overlapping what was compared.
    i == n || word(a, n - 8) == word(b, n - 8)
}

/// Checks the item count of a list (shared by the tree walk and the streaming check).
pub fn list_count(len: usize, min: usize, max: Option<Cap>, path: &Path, opts: &Options, out: &mut Violations) {
    if len < min {
        let rule = if min == 1 { "non-empty" } else { "min-items" };
        out.push(path, rule, format!("{path} must have at least {min} item(s), got {len}"));
    }
    match max {
        Some(Cap::Hard(n)) if len > n => out.push(path, "max-items", format!("{path} must have at most {n} items, got {len}")),
        Some(Cap::Soft(n)) if opts.soft_limits && len > n => out.push(
            path,
            "max-items-soft",
            format!("{path} should have at most {n} items, got {len} (a recommended cap; relax soft limits to send more)"),
        ),
        _ => {}
    }
}

#[allow(clippy::too_many_arguments)]
fn list(
    value: &Value,
    item: &Rule,
    min: usize,
    max: Option<Cap>,
    unique: bool,
    path: &Path,
    opts: &Options,
    out: &mut Violations,
) {
    let Value::Array(items) = value else {
        out.push(path, "type", format!("{path} must be an array, got {}", kind(value)));
        return;
    };
    list_count(items.len(), min, max, path, opts, out);
    let check_dups = unique && opts.soft_limits;
    // Short lists (the usual case) compare pairwise; long ones use a set.
    let mut seen = BTreeSet::new();
    for (i, v) in items.iter().enumerate() {
        let at = path.index(i);
        check(v, item, &at, opts, out);
        let Some(s) = v.as_str().filter(|_| check_dups) else { continue };
        let repeated = if items.len() <= 16 {
            items[..i].iter().any(|earlier| earlier.as_str() == Some(s))
        } else {
            !seen.insert(s)
        };
        if repeated {
            out.push(&at, "duplicate", format!("{at} repeats an earlier item (relax soft limits to allow)"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn same_bytes_finds_a_difference_at_every_position_of_every_length() {
        for n in 0..40usize {
            let a: Vec<u8> = (0..n as u8).map(|i| b'a' + i % 26).collect();
            assert!(same_bytes(&a, &a.clone()), "{n}");
            for at in 0..n {
                let mut b = a.clone();
                b[at] ^= 0x20;
                assert!(!same_bytes(&a, &b), "length {n}, byte {at}");
            }
            assert!(!same_bytes(&a, &a[..n.saturating_sub(1)]) || n == 0, "{n}");
        }
    }

    #[test]
    fn keywords_take_one_to_max_letters_after_the_prefix() {
        let ok = |s: &str| keyword(s, "Tag_SNS_Custom_", 8, &Path::root(), &mut Violations::new());
        assert!(ok("Tag_SNS_Custom_A") && ok("Tag_SNS_Custom_ABCDEFGH"));
        for bad in ["Tag_SNS_Custom_", "Tag_SNS_Custom_ABCDEFGHI", "Tag_SNS_Custom_A1", "Tag_SNS_Custom", "tag_SNS_Custom_A", "Tag_SNS_Custom_é", ""] {
            assert!(!ok(bad), "{bad}");
        }
    }

    static ITEM: [Field; 3] = [
        Field::req("To_Account", Rule::UserId),
        Field::req("AddSource", Rule::Keyword { prefix: "AddSource_Type_", max: 8 }),
        Field::opt("Remark", Rule::Bytes { min: 0, max: 96 }),
    ];
    static BODY: [Field; 3] = [
        Field::req("From_Account", Rule::UserId),
        Field::req("AddFriendItem", Rule::List { item: &Rule::Object(&ITEM), min: 1, max: Some(Cap::Soft(2)), unique: false }),
        Field::opt("ForceAddFlags", Rule::IntEnum(&[0, 1])),
    ];

    fn violations(v: serde_json::Value, opts: &Options) -> Vec<String> {
        let mut out = Violations::new();
        object(&v, &BODY, &Path::root(), opts, &mut out);
        out.into_vec().into_iter().map(|v| format!("{}|{}", v.path, v.rule)).collect()
    }

    #[test]
    fn reports_every_violation_with_its_path() {
        let v = json!({
            "From_account": "alice",
            "AddFriendItem": [
                { "To_Account": "bob", "AddSource": "AddSource_Type_Web" },
                { "To_Account": "", "AddSource": "AddSource_Type_123", "Remark": "x".repeat(97) },
                { "AddSource": "AddSource_Type_TooLongXY" }
            ],
            "ForceAddFlags": 2
        });
        assert_eq!(
            violations(v, &Options::REQUEST),
            [
                "From_account|unknown-field",
                "From_Account|required",
                "AddFriendItem|max-items-soft",
                "AddFriendItem[1].To_Account|non-empty",
                "AddFriendItem[1].AddSource|pattern",
                "AddFriendItem[1].Remark|max-bytes",
                "AddFriendItem[2].To_Account|required",
                "AddFriendItem[2].AddSource|pattern",
                "ForceAddFlags|enum",
            ]
        );
    }

    #[test]
    fn boundaries_pass_on_the_allowed_side() {
        // Exactly at the limits: a 32-byte UserID, a 96-byte remark of 32 three-byte CJK
        // characters, an 8-letter AddSource keyword. One byte or letter more fails.
        let v = json!({
            "From_Account": "a".repeat(32),
            "AddFriendItem": [{ "To_Account": "b", "AddSource": "AddSource_Type_abcdefgh", "Remark": "好".repeat(32) }],
        });
        assert_eq!(violations(v, &Options::REQUEST), Vec::<String>::new());
        let v = json!({
            "From_Account": "a".repeat(33),
            "AddFriendItem": [{ "To_Account": "b", "AddSource": "AddSource_Type_abcdefghi", "Remark": format!("{}a", "好".repeat(32)) }],
        });
        assert_eq!(
            violations(v, &Options::REQUEST),
            ["From_Account|max-bytes", "AddFriendItem[0].AddSource|pattern", "AddFriendItem[0].Remark|max-bytes"]
        );
    }

    #[test]
    fn soft_caps_and_charsets_follow_the_options() {
        let v = json!({
            "From_Account": "al ice",
            "AddFriendItem": [
                { "To_Account": "b", "AddSource": "AddSource_Type_Web" },
                { "To_Account": "c", "AddSource": "AddSource_Type_Web" },
                { "To_Account": "d\u{7f}", "AddSource": "AddSource_Type_Web" }
            ]
        });
        let relaxed = Options { soft_limits: false, user_id_charset: UserIdCharset::Any, ..Options::REQUEST };
        assert_eq!(violations(v.clone(), &relaxed), Vec::<String>::new());
        assert_eq!(
            violations(v.clone(), &Options::REQUEST),
            ["AddFriendItem|max-items-soft", "AddFriendItem[2].To_Account|user-id-charset"]
        );
        let strict = Options { user_id_charset: UserIdCharset::Strict, ..Options::REQUEST };
        assert_eq!(
            violations(v, &strict),
            ["From_Account|user-id-charset", "AddFriendItem|max-items-soft", "AddFriendItem[2].To_Account|user-id-charset"]
        );
    }

    #[test]
    fn responses_tolerate_unknown_fields() {
        let v = json!({ "From_Account": "a", "AddFriendItem": [{ "To_Account": "b", "AddSource": "AddSource_Type_X", "New": 1 }], "Extra": true });
        assert_eq!(violations(v, &Options::RESPONSE), Vec::<String>::new());
    }
}
