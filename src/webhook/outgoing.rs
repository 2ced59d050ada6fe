//! The request line the service sends, built for the emulator:
//! `?SdkAppid=…&CallbackCommand=…&contenttype=json&ClientIP=…&OptPlatform=…[&Sign=…&RequestTime=…]`.

use super::query::encode;
use super::sign::sign;

/// Where a callback's event came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin<'a> {
    /// `ClientIP`.
    pub client_ip: &'a str,
    /// `OptPlatform`: `RESTAPI` for REST calls, else the client's platform (`Web`, `iOS`, …).
    pub platform: &'a str,
}

/// The query string of a callback for `command`, signed with `token` at `now` (Unix seconds)
/// when a token is set.
pub fn callback_query(sdk_app_id: u64, command: &str, origin: Origin<'_>, token: Option<&str>, now: u64) -> String {
    let mut q = format!(
        "SdkAppid={sdk_app_id}&CallbackCommand={}&contenttype=json&ClientIP={}&OptPlatform={}",
        encode(command),
        encode(origin.client_ip),
        encode(origin.platform)
    );
    if let Some(token) = token {
        let time = now.to_string();
        q.push_str(&format!("&Sign={}&RequestTime={time}", sign(token, &time)));
    }
    q
}

/// How long the service waits for the app's reply: 2 s.
pub const TIMEOUT_MS: u64 = 2000;

/// The URL a callback goes to: `base` with the callback query appended (after `&` when `base`
/// already has a query).
pub fn callback_url(base: &str, query: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}{query}")
}
