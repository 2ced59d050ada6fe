//! JS values into loosely typed JSON for the core's validators.
//!
//! `serde_wasm_bindgen` alone cannot build a [`serde_json::Value`] from every JS value: bytes,
//! `NaN`, functions and symbols have no JSON form, and a cyclic or very deep object would
//! recurse until the wasm stack overflows (which kills the instance). This visitor keeps track
//! of where it is, maps a `Uint8Array` to a number array, and turns everything without a JSON
//! form (and anything nested deeper than [`MAX_DEPTH`]) into a violation at its path, leaving
//! `null` in its place so the validators can go on reporting the rest.

use crate::validate::{Path, Violations};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::RefCell;
use std::fmt;
use wasm_bindgen::JsValue;

/// Deepest nesting accepted. Requests are at most four levels deep; 64 leaves room and stays
/// far below the wasm stack limit.
pub const MAX_DEPTH: usize = 64;

/// Where the visitor is (as text: this slow road may allocate), and what it found that has no
/// JSON form.
struct State {
    path: Vec<String>,
    problems: Violations,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State { path: Vec::new(), problems: Violations::new() });
}

fn current() -> String {
    STATE.with(|s| s.borrow().path.last().cloned().unwrap_or_default())
}

fn depth() -> usize {
    STATE.with(|s| s.borrow().path.len())
}

fn problem(rule: &str, what: &str) {
    let text = current();
    let at = Path::named(&text);
    STATE.with(|s| s.borrow_mut().problems.push(&at, rule, format!("{at} {what}")));
}

/// Deserialises the value at `child`, recording (instead of failing on) values with no JSON form.
fn nested<E>(child: String, read: impl FnOnce() -> Result<Loose, E>) -> Value {
    STATE.with(|s| s.borrow_mut().path.push(child));
    let value = match read() {
        Ok(Loose(v)) => v,
        Err(_) => {
            // The error text can echo the value (a Symbol's description): never show it.
            problem("type", "has no JSON form (a function, symbol or similar)");
            Value::Null
        }
    };
    STATE.with(|s| s.borrow_mut().path.pop());
    value
}

struct Loose(Value);

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor).map(Loose)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON-like value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Loose::deserialize(d).map(|l| l.0)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map(Value::Number).unwrap_or_else(|| {
            // Spelled by hand: f64 Display would pull float formatting tables into the .wasm.
            let name = if v.is_nan() { "NaN" } else if v > 0.0 { "Infinity" } else { "-Infinity" };
            problem("type", &format!("must be a finite number, got {name}"));
            Value::Null
        }))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Array(v.iter().map(|b| Value::Number((*b).into())).collect()))
    }
    fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Value, E> {
        Ok(Value::Array(v.into_iter().map(|b| Value::Number(b.into())).collect()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        if depth() >= MAX_DEPTH {
            problem("max-depth", &format!("is nested more than {MAX_DEPTH} levels deep (or refers to itself)"));
            return Ok(Value::Null);
        }
        let text = current();
        let at = Path::named(&text);
        let mut items = Vec::new();
        loop {
            let mut end = false;
            let v = nested(at.index(items.len()).to_string(), || match seq.next_element::<Loose>() {
                Ok(Some(l)) => Ok(l),
                Ok(None) => {
                    end = true;
                    Ok(Loose(Value::Null))
                }
                Err(e) => Err(e),
            });
            if end {
                break;
            }
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        if depth() >= MAX_DEPTH {
            problem("max-depth", &format!("is nested more than {MAX_DEPTH} levels deep (or refers to itself)"));
            return Ok(Value::Null);
        }
        let text = current();
        let at = Path::named(&text);
        let mut m = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let v = nested(at.key(&key).to_string(), || map.next_value::<Loose>());
            m.insert(key, v);
        }
        Ok(Value::Object(m))
    }
}

/// Reads any JS value as JSON. Values with no JSON form become violations at their paths (and
/// `null` in the result); the result is returned together with them.
pub fn to_json_lossy(value: JsValue, path: &Path) -> (Value, Violations) {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.path = vec![if path.is_root() { String::new() } else { path.to_string() }];
        s.problems = Violations::new();
    });
    let result = serde_wasm_bindgen::from_value::<Loose>(value);
    let problems = STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.path.clear();
        std::mem::take(&mut s.problems)
    });
    match result {
        Ok(Loose(v)) => (v, problems),
        Err(_) => {
            let mut out = problems;
            out.push(path, "type", format!("{path} has no JSON form (a function, symbol or similar)"));
            (Value::Null, out)
        }
    }
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
    let text = js_sys::JSON::stringify(value).ok()?.as_string()?;
    let json: Value = serde_json::from_str(&text).ok()?;
    (!has_null(&json)).then_some((text, json))
}

fn has_null(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(items) => items.iter().any(has_null),
        Value::Object(m) => m.values().any(has_null),
        _ => false,
    }
}

/// Rust data to a plain JS value through JSON: one serializer (serde_json's, already needed)
/// serves every output type, which keeps the .wasm smaller than a serializer per type.
pub fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> JsValue {
    serde_json::to_string(value).ok().and_then(|text| js_sys::JSON::parse(&text).ok()).unwrap_or(JsValue::NULL)
}
