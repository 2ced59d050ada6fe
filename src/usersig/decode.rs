//! Reading a UserSig back (undo the `* - _` substitution, base64, inflate, JSON). Lenient
//! where the official libraries differ: any JSON layout and key order, any zlib level, padding
//! optional, numbers as JSON numbers or numeric strings (unconfirmed whether the server accepts
//! the latter), `TLS.expire` absent means 0.

use super::alphabet;
use miniz_oxide::inflate::TINFLStatus;
use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;

/// Largest integer a JS number holds exactly; larger values cannot reach JS callers faithfully.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Inflated documents are tiny (about 200 bytes); cap inflation so a crafted sig cannot eat memory.
const MAX_INFLATED: usize = 64 * 1024;

/// The content of a UserSig.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedSig {
    /// `TLS.ver`, `"2.0"` for every v2 library (empty when absent).
    pub version: String,
    /// `TLS.identifier`.
    pub identifier: String,
    /// `TLS.sdkappid`.
    pub sdk_app_id: u64,
    /// `TLS.time`, the issue time in Unix seconds.
    pub time: u64,
    /// `TLS.expire`, validity in seconds (0 when absent).
    pub expire: u64,
    /// `TLS.userbuf` exactly as stored (standard base64), when present.
    pub userbuf: Option<String>,
    /// The HMAC carried in `TLS.sig`, base64-decoded.
    pub(crate) hmac: Vec<u8>,
}

impl DecodedSig {
    /// Last second at which the sig is still valid: `time + expire`.
    pub fn expires_at(&self) -> u64 {
        self.time.saturating_add(self.expire)
    }
}

/// Why a string is not a UserSig. The text never repeats the sig (a credential).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub String);

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "usersig is malformed: {}", self.0)
    }
}

impl std::error::Error for Malformed {}

fn malformed<T>(why: impl Into<String>) -> Result<T, Malformed> {
    Err(Malformed(why.into()))
}

/// Decodes a UserSig without checking its signature.
pub fn decode(usersig: &str) -> Result<DecodedSig, Malformed> {
    if usersig.trim().is_empty() {
        return malformed("it is empty");
    }
    let Some(compressed) = alphabet::decode(usersig) else {
        return malformed("not in the UserSig base64 alphabet (A-Z a-z 0-9 * - _)");
    };
    let Some(json) = inflate(&compressed) else {
        return malformed("its bytes are not zlib-compressed data");
    };
    // Read as text: the one JSON reader (over `&str`) that the rest of the crate uses, not a
    // second copy of it for byte slices in the .wasm.
    let Ok(doc @ Doc { object: true, .. }) = std::str::from_utf8(&json).map_err(|_| ()).and_then(|t| serde_json::from_str::<Doc>(t).map_err(|_| ())) else {
        return malformed("the inflated content is not a JSON object");
    };
    let Some(sig_b64) = doc.sig.as_ref().and_then(Value::as_str) else {
        return malformed("TLS.sig is missing or not a string");
    };
    let Some(hmac) = alphabet::b64_std_decode(sig_b64) else {
        return malformed("TLS.sig is not base64");
    };
    let Some(identifier) = doc.identifier.as_ref().and_then(Value::as_str) else {
        return malformed("TLS.identifier is missing or not a string");
    };
    let userbuf = match &doc.userbuf {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return malformed("TLS.userbuf is not a string"),
    };
    let version = match &doc.ver {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return malformed("TLS.ver is not a string"),
    };
    Ok(DecodedSig {
        version,
        identifier: identifier.to_owned(),
        sdk_app_id: integer(doc.sdk_app_id.as_ref(), "TLS.sdkappid", None)?,
        time: integer(doc.time.as_ref(), "TLS.time", None)?,
        expire: integer(doc.expire.as_ref(), "TLS.expire", Some(0))?,
        userbuf,
        hmac,
    })
}

/// The members of a sig's JSON document that decoding reads, each as written (of a repeated
/// key the last, as a map keeps it). Read member by member rather than into a `Value` map: the
/// map's keys and nodes were a fifth of verifying a sig.
#[derive(Default)]
struct Doc {
    /// The document was an object (anything else is read, and refused by the caller).
    object: bool,
    ver: Option<Value>,
    identifier: Option<Value>,
    sdk_app_id: Option<Value>,
    time: Option<Value>,
    expire: Option<Value>,
    userbuf: Option<Value>,
    sig: Option<Value>,
}

impl<'de> Deserialize<'de> for Doc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = Doc;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            // Any other JSON is taken and marked as not an object: serde's default refusals
            // format the value, and float formatting costs 12 KB gzipped of .wasm.
            fn visit_bool<E>(self, _: bool) -> Result<Doc, E> {
                Ok(Doc::default())
            }
            fn visit_i64<E>(self, _: i64) -> Result<Doc, E> {
                Ok(Doc::default())
            }
            fn visit_u64<E>(self, _: u64) -> Result<Doc, E> {
                Ok(Doc::default())
            }
            fn visit_f64<E>(self, _: f64) -> Result<Doc, E> {
                Ok(Doc::default())
            }
            fn visit_str<E>(self, _: &str) -> Result<Doc, E> {
                Ok(Doc::default())
            }
            fn visit_unit<E>(self) -> Result<Doc, E> {
                Ok(Doc::default())
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Doc, A::Error> {
                while seq.next_element::<Value>()?.is_some() {}
                Ok(Doc::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Doc, A::Error> {
                let mut doc = Doc { object: true, ..Doc::default() };
                while let Some(Key(key)) = map.next_key()? {
                    let slot = match &*key {
                        "TLS.ver" => &mut doc.ver,
                        "TLS.identifier" => &mut doc.identifier,
                        "TLS.sdkappid" => &mut doc.sdk_app_id,
                        "TLS.time" => &mut doc.time,
                        "TLS.expire" => &mut doc.expire,
                        "TLS.userbuf" => &mut doc.userbuf,
                        "TLS.sig" => &mut doc.sig,
                        _ => {
                            map.next_value::<Value>()?;
                            continue;
                        }
                    };
                    *slot = Some(map.next_value()?);
                }
                Ok(doc)
            }
        }
        d.deserialize_any(Members)
    }
}

/// A member name, borrowed from the text when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Name;
        impl<'de> Visitor<'de> for Name {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
        }
        d.deserialize_any(Name)
    }
}

thread_local! {
    /// One inflater, reset for each sig: a new one is an 11 KB table to allocate and clear,
    /// which cost more than inflating a sig.
    static INFLATER: std::cell::RefCell<Box<DecompressorOxide>> = std::cell::RefCell::new(Box::default());
}

/// The zlib stream `compressed` inflated, at most [`MAX_INFLATED`] bytes (adler32 checked).
fn inflate(compressed: &[u8]) -> Option<Vec<u8>> {
    let flags = inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER | inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    INFLATER.with(|inflater| {
        let mut inflater = inflater.borrow_mut();
        inflater.init();
        let mut out = vec![0; compressed.len().saturating_mul(2).min(MAX_INFLATED)];
        let (mut input, mut written) = (compressed, 0);
        loop {
            let (status, read, wrote) = decompress(&mut inflater, input, &mut out, written, flags);
            written += wrote;
            match status {
                TINFLStatus::Done => {
                    out.truncate(written);
                    return Some(out);
                }
                TINFLStatus::HasMoreOutput if out.len() < MAX_INFLATED => {
                    input = input.get(read..)?;
                    out.resize(out.len().saturating_mul(2).min(MAX_INFLATED), 0);
                }
                _ => return None,
            }
        }
    })
}

/// A non-negative safe integer stored as a JSON number or a numeric string.
fn integer(value: Option<&Value>, key: &str, default: Option<u64>) -> Result<u64, Malformed> {
    let parsed = match value {
        None => return default.ok_or_else(|| Malformed(format!("{key} is missing"))),
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        Some(_) => None,
    };
    match parsed {
        Some(v) if v <= MAX_SAFE_INTEGER => Ok(v),
        _ => malformed(format!("{key} is not a non-negative integer up to 2^53-1")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sig of any JSON text, as the official libraries would wrap it.
    fn sig_of(json: &str) -> String {
        alphabet::encode(&super::super::zlib_stored::wrap(json.as_bytes()))
    }

    const SIG: &str = "YWJj"; // base64 of "abc"

    #[test]
    fn members_are_read_wherever_they_are_and_a_repeated_key_keeps_the_last() {
        let doc = format!(r#"{{"extra":[1,{{"x":null}}],"TLS.sig":"{SIG}","TLS.identifier":"a","TLS.identifier":"b","TLS.time":"5","TLS.sdkappid":7,"TLS.ver":"2.0"}}"#);
        let d = decode(&sig_of(&doc)).unwrap();
        assert_eq!((d.identifier.as_str(), d.sdk_app_id, d.time, d.expire, d.version.as_str()), ("b", 7, 5, 0, "2.0"));
        assert_eq!(d.hmac, b"abc");
    }

    #[test]
    fn a_document_that_is_not_an_object_is_malformed() {
        for doc in ["[1,2]", "1.5", "\"x\"", "null", "true", "{", "{\"TLS.sig\":1e999}"] {
            let err = decode(&sig_of(doc)).unwrap_err();
            assert_eq!(err.0, "the inflated content is not a JSON object", "{doc}");
        }
    }
}
