//! JS values into loosely typed JSON for the core's validators.
//!
//! `serde_wasm_bindgen` alone cannot build a [`serde_json::Value`] from a `Uint8Array`, and
//! `NaN` has no JSON form; this visitor maps bytes to a number array and non-finite numbers to
//! their JS spelling as a string, so the validators see (and report) them instead of failing.

use crate::validate::{Path, Violations};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;
use wasm_bindgen::JsValue;

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
        // Spelled by hand: f64 Display would pull float formatting tables into the .wasm.
        let non_finite = || match v {
            v if v.is_nan() => "NaN",
            v if v > 0.0 => "Infinity",
            _ => "-Infinity",
        };
        Ok(Number::from_f64(v).map_or_else(|| Value::String(non_finite().to_owned()), Value::Number))
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
        let mut items = Vec::new();
        while let Some(Loose(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut m = Map::new();
        while let Some((k, Loose(v))) = map.next_entry::<String, Loose>()? {
            m.insert(k, v);
        }
        Ok(Value::Object(m))
    }
}

/// Reads any JS value as JSON; values with no JSON form (functions, symbols) become one
/// violation at `path` rather than a thrown exception.
pub fn to_json(value: JsValue, path: &Path) -> Result<Value, Violations> {
    serde_wasm_bindgen::from_value::<Loose>(value).map(|l| l.0).map_err(|e| {
        let mut out = Violations::new();
        out.push(path, "type", format!("{path} could not be read as JSON data: {e}"));
        out
    })
}
