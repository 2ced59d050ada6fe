//! Checking a UserSig the way the server does (expiry, SDKAppID, identifier, HMAC), reporting
//! the reason and the error code the server would answer with.

use super::decode::{DecodedSig, Malformed, decode};
use super::sign;

/// What a sig is checked against. Times are Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation<'a> {
    /// The SDKAppID the sig must carry.
    pub sdk_app_id: u64,
    /// The app's secret key.
    pub secret_key: &'a str,
    /// The UserID the sig must carry; `None` accepts any.
    pub identifier: Option<&'a str>,
    /// The current time.
    pub now: u64,
}

/// Why a sig was refused, in the order the server checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a decodable UserSig (server 70003).
    Malformed(Malformed),
    /// `TLS.sdkappid` differs from the expected SDKAppID (server 70014).
    SdkAppIdMismatch { found: u64 },
    /// `TLS.identifier` differs from the expected UserID (server 70013).
    IdentifierMismatch { found: String },
    /// `now > time + expire` (server 70001).
    Expired { expired_at: u64 },
    /// The HMAC does not match: wrong key or tampered content (server 70009).
    BadSignature,
}

impl Refusal {
    /// Stable reason id: `malformed`, `sdkappid-mismatch`, `identifier-mismatch`, `expired`,
    /// `bad-signature`.
    pub fn reason(&self) -> &'static str {
        match self {
            Refusal::Malformed(_) => "malformed",
            Refusal::SdkAppIdMismatch { .. } => "sdkappid-mismatch",
            Refusal::IdentifierMismatch { .. } => "identifier-mismatch",
            Refusal::Expired { .. } => "expired",
            Refusal::BadSignature => "bad-signature",
        }
    }

    /// The REST error code the server answers for the same problem.
    pub fn error_code(&self) -> u32 {
        match self {
            Refusal::Malformed(_) => 70003,
            Refusal::SdkAppIdMismatch { .. } => 70014,
            Refusal::IdentifierMismatch { .. } => 70013,
            Refusal::Expired { .. } => 70001,
            Refusal::BadSignature => 70009,
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Malformed(m) => m.fmt(f),
            Refusal::SdkAppIdMismatch { found } => {
                write!(f, "usersig was issued for SDKAppID {found}, not the expected one")
            }
            Refusal::IdentifierMismatch { found } => {
                write!(f, "usersig was issued for identifier \"{found}\", not the expected one")
            }
            Refusal::Expired { expired_at } => write!(f, "usersig expired after Unix time {expired_at}"),
            Refusal::BadSignature => write!(f, "usersig signature does not match (wrong secret key or tampered sig)"),
        }
    }
}

impl std::error::Error for Refusal {}

/// Decodes and checks a sig. On success returns its content.
pub fn verify(usersig: &str, expect: &Expectation<'_>) -> Result<DecodedSig, Refusal> {
    let d = decode(usersig).map_err(Refusal::Malformed)?;
    check(&d, expect)?;
    Ok(d)
}

/// Checks an already decoded sig, in the server's order: SDKAppID, identifier, expiry, HMAC.
pub fn check(d: &DecodedSig, expect: &Expectation<'_>) -> Result<(), Refusal> {
    if d.sdk_app_id != expect.sdk_app_id {
        return Err(Refusal::SdkAppIdMismatch { found: d.sdk_app_id });
    }
    if expect.identifier.is_some_and(|id| id != d.identifier) {
        return Err(Refusal::IdentifierMismatch { found: d.identifier.clone() });
    }
    // Still valid at exactly time + expire; both official verifiers use a strict `>`.
    if expect.now > d.expires_at() {
        return Err(Refusal::Expired { expired_at: d.expires_at() });
    }
    let content = sign::content(&d.identifier, d.sdk_app_id, d.time, d.expire, d.userbuf.as_deref());
    if !sign::hmac_matches(expect.secret_key, &content, &d.hmac) {
        return Err(Refusal::BadSignature);
    }
    Ok(())
}
