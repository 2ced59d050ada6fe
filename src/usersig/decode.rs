//! Reading a UserSig back (spec usersig.md §3 steps 1–3). Lenient where the official libraries
//! differ: any JSON layout and key order, any zlib level, padding optional, numbers as JSON
//! numbers or numeric strings (unconfirmed whether the server accepts the latter), `TLS.expire`
//! absent means 0.

use super::alphabet;
use miniz_oxide::inflate::TINFLStatus;
use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};
use serde_json::{Map, Value};

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
    let Ok(Value::Object(doc)) = std::str::from_utf8(&json).map_err(|_| ()).and_then(|t| serde_json::from_str::<Value>(t).map_err(|_| ())) else {
        return malformed("the inflated content is not a JSON object");
    };
    let Some(sig_b64) = doc.get("TLS.sig").and_then(Value::as_str) else {
        return malformed("TLS.sig is missing or not a string");
    };
    let Some(hmac) = alphabet::b64_std_decode(sig_b64) else {
        return malformed("TLS.sig is not base64");
    };
    let Some(identifier) = doc.get("TLS.identifier").and_then(Value::as_str) else {
        return malformed("TLS.identifier is missing or not a string");
    };
    let userbuf = match doc.get("TLS.userbuf") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return malformed("TLS.userbuf is not a string"),
    };
    let version = match doc.get("TLS.ver") {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return malformed("TLS.ver is not a string"),
    };
    Ok(DecodedSig {
        version,
        identifier: identifier.to_owned(),
        sdk_app_id: integer(&doc, "TLS.sdkappid", None)?,
        time: integer(&doc, "TLS.time", None)?,
        expire: integer(&doc, "TLS.expire", Some(0))?,
        userbuf,
        hmac,
    })
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
fn integer(doc: &Map<String, Value>, key: &str, default: Option<u64>) -> Result<u64, Malformed> {
    let parsed = match doc.get(key) {
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
