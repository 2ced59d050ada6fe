//! The UserSig functions as JS and TS callers see them: option objects checked field by field,
//! results as plain data. The wasm boundary only converts values; everything here is native.

use super::decode::{DecodedSig, MAX_SAFE_INTEGER, Malformed, decode};
use super::generate::{SigParams, generate};
use super::verify::{Expectation, Refusal, check};
use crate::validate::{self, Path, Violations};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tsify::Tsify;

/// Default validity of a generated sig: 180 days, as in the official libraries.
pub const DEFAULT_EXPIRE_SECONDS: u64 = 180 * 24 * 3600;

/// Longest validity the vendor documents: 50 years (one older page says 10).
pub const MAX_EXPIRE_SECONDS: u64 = 50 * 365 * 24 * 3600;

/// Latest issue time accepted, so that `time + expire` stays an exact JS number.
pub const MAX_TIME: u64 = MAX_SAFE_INTEGER - MAX_EXPIRE_SECONDS;

/// Longest UserID, in UTF-8 bytes.
pub const MAX_IDENTIFIER_BYTES: usize = 32;

/// Options of `genUserSig`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct GenUserSigOptions {
    /// The application's SDKAppID: a positive integer such as `1400000000`.
    pub sdk_app_id: u64,
    /// The application's secret key from the console, used as the UTF-8 bytes of the string
    /// (not hex-decoded). Never logged or echoed.
    pub secret_key: String,
    /// The UserID the sig is for (for REST calls: the app admin). 1 to 32 UTF-8 bytes.
    pub identifier: String,
    /// Validity in seconds, from 1 up to 50 years (1576800000). Default 180 days (15552000).
    #[tsify(optional)]
    pub expire_seconds: Option<u64>,
    /// Issue time in Unix seconds. Default: now, from the JS clock.
    #[tsify(optional)]
    pub time: Option<u64>,
    /// Optional user buffer, signed as `TLS.userbuf` (TRTC only; IM does not use it).
    #[tsify(optional, type = "Uint8Array | number[]")]
    pub user_buf: Option<Vec<u8>>,
}

impl GenUserSigOptions {
    /// Checks loosely typed options and reports every problem at once.
    pub fn from_json(v: &Value) -> Result<Self, Violations> {
        let mut out = Violations::new();
        let root = Path::root();
        let Some(m) = validate::object(v, &root, &mut out) else { return Err(out) };
        validate::no_unknown_fields(
            m,
            &["sdkAppId", "secretKey", "identifier", "expireSeconds", "time", "userBuf"],
            &root,
            &mut out,
        );
        let sdk_app_id = sdk_app_id(m, &root, &mut out);
        let secret_key = secret_key(m, &root, &mut out);
        let identifier = validate::required(m, "identifier", &root, &mut out)
            .and_then(|v| validate::string_bytes(v, MAX_IDENTIFIER_BYTES, &root.key("identifier"), &mut out))
            .filter(|id| no_control_chars(id, &root.key("identifier"), &mut out));
        let expire_seconds = validate::optional(m, "expireSeconds")
            .and_then(|v| validate::uint(v, 1, MAX_EXPIRE_SECONDS, &root.key("expireSeconds"), &mut out));
        let time = validate::optional(m, "time")
            .and_then(|v| validate::uint(v, 0, MAX_TIME, &root.key("time"), &mut out));
        let user_buf = validate::optional(m, "userBuf").and_then(|v| validate::bytes(v, &root.key("userBuf"), &mut out));
        match (sdk_app_id, secret_key, identifier) {
            (Some(sdk_app_id), Some(secret_key), Some(identifier)) if out.is_empty() => Ok(Self {
                sdk_app_id,
                secret_key: secret_key.to_owned(),
                identifier: identifier.to_owned(),
                expire_seconds,
                time,
                user_buf,
            }),
            _ => Err(out),
        }
    }

    /// Mints the sig; `now` is used when no `time` was given.
    pub fn generate(&self, now: u64) -> String {
        let params = SigParams {
            sdk_app_id: self.sdk_app_id,
            identifier: &self.identifier,
            time: self.time.unwrap_or(now),
            expire: self.expire_seconds.unwrap_or(DEFAULT_EXPIRE_SECONDS),
            userbuf: self.user_buf.as_deref(),
        };
        generate(&self.secret_key, &params)
    }
}

/// Options of `verifyUserSig`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct VerifyUserSigOptions {
    /// The SDKAppID the sig must have been issued for.
    pub sdk_app_id: u64,
    /// The application's secret key. Never logged or echoed.
    pub secret_key: String,
    /// The UserID the sig must have been issued for; any when omitted.
    #[tsify(optional)]
    pub identifier: Option<String>,
    /// The time to check expiry against, in Unix seconds. Default: now, from the JS clock.
    #[tsify(optional)]
    pub now: Option<u64>,
}

impl VerifyUserSigOptions {
    /// Checks loosely typed options and reports every problem at once.
    pub fn from_json(v: &Value) -> Result<Self, Violations> {
        let mut out = Violations::new();
        let root = Path::root();
        let Some(m) = validate::object(v, &root, &mut out) else { return Err(out) };
        validate::no_unknown_fields(m, &["sdkAppId", "secretKey", "identifier", "now"], &root, &mut out);
        let sdk_app_id = sdk_app_id(m, &root, &mut out);
        let secret_key = secret_key(m, &root, &mut out);
        // Non-empty like genUserSig's: an empty identifier can never match, so it is a mistake.
        let identifier = validate::optional(m, "identifier")
            .and_then(|v| validate::string_bytes(v, usize::MAX, &root.key("identifier"), &mut out));
        let now = validate::optional(m, "now")
            .and_then(|v| validate::uint(v, 0, MAX_SAFE_INTEGER, &root.key("now"), &mut out));
        match (sdk_app_id, secret_key) {
            (Some(sdk_app_id), Some(secret_key)) if out.is_empty() => Ok(Self {
                sdk_app_id,
                secret_key: secret_key.to_owned(),
                identifier: identifier.map(str::to_owned),
                now,
            }),
            _ => Err(out),
        }
    }

    /// Verifies `usersig`; `now` is used when no `now` option was given.
    pub fn verify(&self, usersig: &str, now: u64) -> VerifyUserSigResult {
        let expect = Expectation {
            sdk_app_id: self.sdk_app_id,
            secret_key: &self.secret_key,
            identifier: self.identifier.as_deref(),
            now: self.now.unwrap_or(now),
        };
        let refused = |refusal: Refusal, decoded: Option<DecodedSig>| VerifyUserSigResult {
            valid: false,
            reason: Some(UserSigRefusal::from(&refusal)),
            error_code: Some(refusal.error_code()),
            message: Some(refusal.to_string()),
            // Show what the sig says whenever it can be read: that is what explains a mismatch.
            decoded: decoded.map(Into::into),
        };
        match decode(usersig) {
            Err(m) => refused(Refusal::Malformed(m), None),
            Ok(d) => match check(&d, &expect) {
                Ok(()) => VerifyUserSigResult { valid: true, reason: None, error_code: None, message: None, decoded: Some(d.into()) },
                Err(refusal) => refused(refusal, Some(d)),
            },
        }
    }
}

/// Control characters (a newline, NUL) have no place in a UserID; the SDKs accept none.
fn no_control_chars(s: &str, at: &Path, out: &mut Violations) -> bool {
    let ok = !s.chars().any(char::is_control);
    if !ok {
        out.push(at, "control-char", format!("{at} must not contain control characters"));
    }
    ok
}

fn sdk_app_id(m: &serde_json::Map<String, Value>, root: &Path, out: &mut Violations) -> Option<u64> {
    validate::required(m, "sdkAppId", root, out)
        .and_then(|v| validate::uint(v, 1, MAX_SAFE_INTEGER, &root.key("sdkAppId"), out))
}

fn secret_key<'a>(m: &'a serde_json::Map<String, Value>, root: &Path, out: &mut Violations) -> Option<&'a str> {
    let at = root.key("secretKey");
    let key = validate::required(m, "secretKey", root, out).and_then(|v| validate::string(v, &at, out))?;
    if key.is_empty() {
        out.push(&at, "non-empty", format!("{at} must not be empty"));
        return None;
    }
    Some(key)
}

/// Why `verifyUserSig` refused a sig.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "kebab-case")]
pub enum UserSigRefusal {
    /// Not a decodable UserSig (server error 70003).
    Malformed,
    /// Issued for another SDKAppID (server error 70014).
    SdkappidMismatch,
    /// Issued for another UserID (server error 70013).
    IdentifierMismatch,
    /// The HMAC does not match: wrong secret key or tampered sig (server error 70009).
    BadSignature,
    /// Past `time + expire` (server error 70001).
    Expired,
}

impl From<&Refusal> for UserSigRefusal {
    fn from(r: &Refusal) -> Self {
        match r {
            Refusal::Malformed(_) => Self::Malformed,
            Refusal::SdkAppIdMismatch { .. } => Self::SdkappidMismatch,
            Refusal::IdentifierMismatch { .. } => Self::IdentifierMismatch,
            Refusal::Expired { .. } => Self::Expired,
            Refusal::BadSignature => Self::BadSignature,
        }
    }
}

/// The outcome of `verifyUserSig`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct VerifyUserSigResult {
    /// True when the sig would be accepted for these options at this time.
    pub valid: bool,
    /// Why it was refused (absent when valid).
    #[tsify(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<UserSigRefusal>,
    /// The REST error code the server answers for the same problem (absent when valid).
    #[tsify(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<u32>,
    /// A sentence explaining the refusal (absent when valid). Never contains the sig or key.
    #[tsify(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// What the sig says, whenever it could be decoded.
    #[tsify(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decoded: Option<DecodedUserSig>,
}

/// The readable content of a UserSig (`decodeUserSig`). It carries no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct DecodedUserSig {
    /// `TLS.ver`: `"2.0"` for HMAC-SHA256 sigs (empty when absent).
    pub version: String,
    /// The UserID the sig was issued for.
    pub identifier: String,
    /// The SDKAppID the sig was issued for.
    pub sdk_app_id: u64,
    /// Issue time, Unix seconds.
    pub time: u64,
    /// Validity in seconds.
    pub expire: u64,
    /// Last valid second, `time + expire` (Unix seconds).
    pub expires_at: u64,
    /// Whether the sig carries a `TLS.userbuf` (TRTC only).
    pub has_user_buf: bool,
}

impl From<DecodedSig> for DecodedUserSig {
    fn from(d: DecodedSig) -> Self {
        Self {
            expires_at: d.expires_at(),
            has_user_buf: d.userbuf.is_some(),
            version: d.version,
            identifier: d.identifier,
            sdk_app_id: d.sdk_app_id,
            time: d.time,
            expire: d.expire,
        }
    }
}

/// Decodes a sig for display, without checking its signature.
pub fn decode_user_sig(usersig: &str) -> Result<DecodedUserSig, Malformed> {
    decode(usersig).map(Into::into)
}
