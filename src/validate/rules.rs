//! Small rule functions. Each checks one thing, records a violation on failure and returns the
//! typed value when it can, so callers can go on checking the rest of the input.
//!
//! Messages describe values by kind, never echo a string value: a string may be a secret.

use super::{Path, Violations};
use serde_json::{Map, Value};

/// The kind of a JSON value, as a message fragment ("a string", "an array", ...).
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `v` must be a JSON object.
pub fn object<'a>(v: &'a Value, path: &Path, out: &mut Violations) -> Option<&'a Map<String, Value>> {
    match v {
        Value::Object(m) => Some(m),
        other => {
            out.push(path, "type", format!("{path} must be an object, got {}", kind(other)));
            None
        }
    }
}

/// Every key of `map` must be in `allowed` (catches typos such as `From_account`).
pub fn no_unknown_fields(map: &Map<String, Value>, allowed: &[&str], path: &Path, out: &mut Violations) {
    for key in map.keys() {
        if !allowed.contains(&key.as_str()) {
            let hint = allowed
                .iter()
                .find(|a| a.eq_ignore_ascii_case(key))
                .map(|a| format!(" (did you mean {a}?)"))
                .unwrap_or_default();
            let at = path.key(key);
            out.push(&at, "unknown-field", format!("{at} is not a known field{hint}"));
        }
    }
}

/// The value of an optional field; JSON `null` (JS `undefined`/`null`) counts as absent.
pub fn optional<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).filter(|v| !v.is_null())
}

/// The value of a required field; records `required` when absent or null.
pub fn required<'a>(map: &'a Map<String, Value>, key: &str, path: &Path, out: &mut Violations) -> Option<&'a Value> {
    let v = optional(map, key);
    if v.is_none() {
        let at = path.key(key);
        out.push(&at, "required", format!("{at} is required"));
    }
    v
}

/// `v` must be a string.
pub fn string<'a>(v: &'a Value, path: &Path, out: &mut Violations) -> Option<&'a str> {
    match v {
        Value::String(s) => Some(s),
        other => {
            out.push(path, "type", format!("{path} must be a string, got {}", kind(other)));
            None
        }
    }
}

/// `v` must be a string of 1 to `max` UTF-8 bytes.
pub fn string_bytes<'a>(v: &'a Value, max: usize, path: &Path, out: &mut Violations) -> Option<&'a str> {
    let s = string(v, path, out)?;
    str_bytes(s, max, path, out).then_some(s)
}

/// `s` must be 1 to `max` UTF-8 bytes; returns whether it is.
pub fn str_bytes(s: &str, max: usize, path: &Path, out: &mut Violations) -> bool {
    if s.is_empty() {
        out.push(path, "non-empty", format!("{path} must not be empty"));
        return false;
    }
    if s.len() > max {
        out.push(path, "max-bytes", format!("{path} must be at most {max} UTF-8 bytes, got {}", s.len()));
        return false;
    }
    true
}

/// `v` must be a whole number in `min..=max`. Accepts any JSON number with no fractional part.
pub fn uint(v: &Value, min: u64, max: u64, path: &Path, out: &mut Violations) -> Option<u64> {
    let bad = |out: &mut Violations, got: String| {
        out.push(
            path,
            "integer-range",
            format!("{path} must be an integer from {min} to {max}, got {got}"),
        );
    };
    let Value::Number(n) = v else {
        out.push(path, "type", format!("{path} must be an integer, got {}", kind(v)));
        return None;
    };
    let value = if let Some(u) = n.as_u64() {
        Some(u)
    } else if let Some(f) = n.as_f64() {
        // JS numbers such as 3.0 arrive as f64; accept them only when they are exact integers.
        (f.fract() == 0.0 && f >= 0.0 && f <= u64::MAX as f64).then_some(f as u64)
    } else {
        None
    };
    match value {
        Some(u) if (min..=max).contains(&u) => Some(u),
        _ => {
            // serde_json writes numbers with its own small formatter; Display would pull in
            // core's float formatting tables.
            bad(out, serde_json::to_string(n).unwrap_or_default());
            None
        }
    }
}

/// `v` must be an array of byte values (0..=255).
pub fn bytes(v: &Value, path: &Path, out: &mut Violations) -> Option<Vec<u8>> {
    let Value::Array(items) = v else {
        out.push(path, "type", format!("{path} must be bytes (Uint8Array or number[]), got {}", kind(v)));
        return None;
    };
    let mut bytes = Vec::with_capacity(items.len());
    let before = out.as_slice().len();
    for (i, item) in items.iter().enumerate() {
        if let Some(b) = uint(item, 0, 255, &path.index(i), out) {
            bytes.push(b as u8);
        }
    }
    (out.as_slice().len() == before).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run<T>(f: impl FnOnce(&mut Violations) -> T) -> (T, Vec<String>) {
        let mut out = Violations::new();
        let r = f(&mut out);
        (r, out.into_vec().into_iter().map(|v| format!("{}|{}", v.path, v.rule)).collect())
    }

    #[test]
    fn uint_accepts_integral_numbers_at_both_bounds() {
        let p = Path::named("n");
        assert_eq!(run(|o| uint(&json!(1), 1, 10, &p, o)).0, Some(1));
        assert_eq!(run(|o| uint(&json!(10), 1, 10, &p, o)).0, Some(10));
        assert_eq!(run(|o| uint(&json!(3.0), 1, 10, &p, o)).0, Some(3));
        assert_eq!(run(|o| uint(&json!(0), 1, 10, &p, o)).1, ["n|integer-range"]);
        assert_eq!(run(|o| uint(&json!(11), 1, 10, &p, o)).1, ["n|integer-range"]);
        assert_eq!(run(|o| uint(&json!(-1), 0, 10, &p, o)).1, ["n|integer-range"]);
        assert_eq!(run(|o| uint(&json!(1.5), 0, 10, &p, o)).1, ["n|integer-range"]);
        assert_eq!(run(|o| uint(&json!("1"), 0, 10, &p, o)).1, ["n|type"]);
    }

    #[test]
    fn string_bytes_counts_utf8_bytes() {
        let p = Path::named("s");
        // 16 two-byte characters: exactly 32 bytes but only 16 chars.
        let exact = "é".repeat(16);
        assert_eq!(exact.len(), 32);
        let (exact, over, empty) = (json!(exact), json!(format!("{exact}a")), json!(""));
        assert!(run(|o| string_bytes(&exact, 32, &p, o).is_some()).0);
        assert_eq!(run(|o| string_bytes(&over, 32, &p, o).is_some()).1, ["s|max-bytes"]);
        assert_eq!(run(|o| string_bytes(&empty, 32, &p, o).is_some()).1, ["s|non-empty"]);
    }

    #[test]
    fn unknown_fields_suggest_the_right_case() {
        let m = json!({"From_account": "a"});
        let (_, v) = run(|o| no_unknown_fields(m.as_object().unwrap(), &["From_Account"], &Path::root(), o));
        assert_eq!(v, ["From_account|unknown-field"]);
    }

    #[test]
    fn bytes_reports_each_bad_element() {
        let p = Path::named("b");
        assert_eq!(run(|o| bytes(&json!([0, 255]), &p, o)).0, Some(vec![0, 255]));
        assert_eq!(run(|o| bytes(&json!([0, 256, -1]), &p, o)).1, ["b[1]|integer-range", "b[2]|integer-range"]);
    }
}
