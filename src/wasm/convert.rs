//! JS values into loosely typed JSON for the core's validators.
//!
//! Bytes, `NaN`, functions and symbols have no JSON form, and a cyclic or very deep object
//! would recurse until the wasm stack overflows (which kills the instance). This walker keeps
//! track of where it is, maps a `Uint8Array` to a number array, reads a `Map` as an object, and
//! turns everything without a JSON form (and anything nested deeper than [`MAX_DEPTH`]) into a
//! violation at its path, leaving `null` in its place so the validators can go on reporting
//! the rest. It talks to JS through `js-sys` directly: smaller than a generic deserializer.

use crate::validate::{Path, Violations};
use js_sys::{Array, Object, Uint8Array};
use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

/// Deepest nesting accepted. Requests are at most four levels deep; 64 leaves room and stays
/// far below the wasm stack limit.
pub const MAX_DEPTH: usize = 64;

/// Largest integer a JS number holds exactly.
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

struct Walker {
    /// The current path as text (extended and truncated as the walk goes).
    path: String,
    problems: Violations,
}

impl Walker {
    fn problem(&mut self, rule: &str, what: &str) {
        let at = Path::named(&self.path);
        let message = format!("{at} {what}");
        self.problems.push(&at, rule, message);
    }

    fn child(&mut self, segment: std::fmt::Arguments<'_>, value: &JsValue, depth: usize) -> Value {
        let len = self.path.len();
        let _ = std::fmt::Write::write_fmt(&mut self.path, segment);
        let v = self.walk(value, depth);
        self.path.truncate(len);
        v
    }

    fn walk(&mut self, v: &JsValue, depth: usize) -> Value {
        if v.is_undefined() || v.is_null() {
            return Value::Null;
        }
        if let Some(b) = v.as_bool() {
            return Value::Bool(b);
        }
        if let Some(f) = v.as_f64() {
            if f.is_finite() && f.fract() == 0.0 && f.abs() <= MAX_SAFE {
                return Value::Number(if f < 0.0 { Number::from(f as i64) } else { Number::from(f as u64) });
            }
            return Number::from_f64(f).map(Value::Number).unwrap_or_else(|| {
                // Spelled by hand: f64 Display would pull float formatting tables into the .wasm.
                let name = if f.is_nan() { "NaN" } else if f > 0.0 { "Infinity" } else { "-Infinity" };
                self.problem("type", &format!("must be a finite number, got {name}"));
                Value::Null
            });
        }
        if let Some(s) = v.as_string() {
            return Value::String(s);
        }
        if v.is_bigint() {
            let text = js_sys::BigInt::unchecked_from_js_ref(v).to_string(10).ok().and_then(|s| s.as_string());
            if let Some(n) = text.and_then(|t| t.parse::<i64>().map(Number::from).ok().or_else(|| t.parse::<u64>().ok().map(Number::from))) {
                return Value::Number(n);
            }
            self.problem("type", "is a BigInt outside the 64-bit range");
            return Value::Null;
        }
        if v.is_function() || v.is_symbol() {
            self.problem("type", "has no JSON form (a function, symbol or similar)");
            return Value::Null;
        }
        if depth >= MAX_DEPTH {
            self.problem("max-depth", &format!("is nested more than {MAX_DEPTH} levels deep (or refers to itself)"));
            return Value::Null;
        }
        if let Some(bytes) = v.dyn_ref::<Uint8Array>() {
            return Value::Array(bytes.to_vec().into_iter().map(|b| Value::Number(b.into())).collect());
        }
        if Array::is_array(v) {
            let items = Array::unchecked_from_js_ref(v);
            return Value::Array((0..items.length()).map(|i| self.child(format_args!("[{i}]"), &items.get(i), depth + 1)).collect());
        }
        if !v.is_object() {
            self.problem("type", "has no JSON form (a function, symbol or similar)");
            return Value::Null;
        }
        let entries = match v.dyn_ref::<js_sys::Map>() {
            Some(map) => Array::from(&map.entries()),
            None => Object::entries(Object::unchecked_from_js_ref(v)),
        };
        let mut m = Map::new();
        for entry in entries.iter() {
            let pair: &Array = entry.unchecked_ref();
            let Some(key) = pair.get(0).as_string() else {
                self.problem("type", "has a key that is not a string");
                continue;
            };
            let sep = if self.path.is_empty() { "" } else { "." };
            let value = self.child(format_args!("{sep}{key}"), &pair.get(1), depth + 1);
            m.insert(key, value);
        }
        Value::Object(m)
    }
}

/// Reads any JS value as JSON. Values with no JSON form become violations at their paths (and
/// `null` in the result); the result is returned together with them.
pub fn to_json_lossy(value: JsValue, path: &Path) -> (Value, Violations) {
    let mut walker = Walker { path: if path.is_root() { String::new() } else { path.to_string() }, problems: Violations::new() };
    let json = walker.walk(&value, 0);
    (json, walker.problems)
}

/// Reads any JS value as JSON, failing with every violation when some part has no JSON form.
pub fn to_json(value: JsValue, path: &Path) -> Result<Value, Violations> {
    let (json, problems) = to_json_lossy(value, path);
    problems.into_result(json)
}

/// Runs `check` on the JSON form of `value` and reports conversion problems and check
/// violations together, dropping check violations at paths a conversion problem already names
/// (a NaN that became null should not also be reported as "required").
pub fn check_js<T>(
    value: JsValue,
    path: &Path,
    check: impl FnOnce(&Value) -> Result<T, Violations>,
) -> Result<T, Violations> {
    let (json, problems) = to_json_lossy(value, path);
    match (check(&json), problems.is_empty()) {
        (Ok(v), true) => Ok(v),
        (Ok(_), false) => Err(problems),
        (Err(found), _) => {
            let named: Vec<String> = problems.as_slice().iter().map(|p| p.path.clone()).collect();
            let mut all = problems.into_vec();
            all.extend(found.into_vec().into_iter().filter(|v| !named.contains(&v.path)));
            Err(Violations::from(all))
        }
    }
}

/// Like [`check_js`], but first tries the fast road for plain data: one `JSON.stringify` and
/// one parse instead of a boundary crossing per value (about 20 times faster on a 100-item
/// body). Whatever that road cannot read faithfully (cycles, BigInt, and anything that turns
/// into `null`: NaN, Infinity, functions in arrays) goes the careful road, which reports each
/// such value at its path. As with `JSON.stringify`, members whose value is `undefined`, a
/// function or a symbol are left out.
pub fn check_js_data<T>(
    value: JsValue,
    path: &Path,
    check: impl FnOnce(&Value) -> Result<T, Violations>,
) -> Result<T, Violations> {
    match plain_json(&value) {
        Some((_, json)) => check(&json),
        None => check_js(value, path, check),
    }
}

/// `JSON.stringify(value)` and its parse, when that carries the value faithfully (no cycles,
/// BigInt or values that turn into `null`).
pub fn plain_json(value: &JsValue) -> Option<(String, Value)> {
    let js_text = js_sys::JSON::stringify(value).ok()?;
    let text = super::text::read(&js_text)?;
    let json: Value = serde_json::from_str(&text).ok()?;
    (!crate::validate::stream::has_null(&json)).then_some((text, json))
}

/// Rust data to a plain JS value through JSON: one serializer (serde_json's, already needed)
/// serves every output type, which keeps the .wasm smaller than a serializer per type.
pub fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> JsValue {
    serde_json::to_string(value).map_or(JsValue::NULL, |text| super::text::parse_own_json(&text))
}
