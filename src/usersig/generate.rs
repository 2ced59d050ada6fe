//! Minting a UserSig as the official `tls-sig-api-v2` libraries do.

use super::{alphabet, sign};
use serde::Serialize;

/// Everything that goes into one UserSig except the key. Times are Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigParams<'a> {
    /// The application's SDKAppID.
    pub sdk_app_id: u64,
    /// The UserID the sig is for (the app admin for REST calls).
    pub identifier: &'a str,
    /// Issue time.
    pub time: u64,
    /// Validity in seconds counted from `time`; the sig is valid while `now <= time + expire`.
    pub expire: u64,
    /// Optional user buffer (TRTC only; IM never sets it).
    pub userbuf: Option<&'a [u8]>,
}

/// The JSON document inside a sig, in the field order of the official Node library.
#[derive(Serialize)]
struct Document<'a> {
    #[serde(rename = "TLS.ver")]
    ver: &'static str,
    #[serde(rename = "TLS.identifier")]
    identifier: &'a str,
    #[serde(rename = "TLS.sdkappid")]
    sdk_app_id: u64,
    #[serde(rename = "TLS.time")]
    time: u64,
    #[serde(rename = "TLS.expire")]
    expire: u64,
    #[serde(rename = "TLS.userbuf", skip_serializing_if = "Option::is_none")]
    userbuf: Option<&'a str>,
    #[serde(rename = "TLS.sig")]
    sig: &'a str,
}

/// Mints a UserSig. Pure: the caller supplies the time. Inputs are assumed valid (see
/// [`super::GenUserSigOptions`] for the checked entry point).
pub fn generate(secret_key: &str, p: &SigParams<'_>) -> String {
    let userbuf = p.userbuf.map(alphabet::b64_std);
    let content = sign::content(p.identifier, p.sdk_app_id, p.time, p.expire, userbuf.as_deref());
    let sig = alphabet::b64_std(&sign::hmac(secret_key, &content));
    let doc = Document {
        ver: "2.0",
        identifier: p.identifier,
        sdk_app_id: p.sdk_app_id,
        time: p.time,
        expire: p.expire,
        userbuf: userbuf.as_deref(),
        sig: &sig,
    };
    // Serialising a struct of strings and integers cannot fail.
    let json = serde_json::to_vec(&doc).expect("plain struct serialises");
    alphabet::encode(&super::zlib_stored::wrap(&json))
}
