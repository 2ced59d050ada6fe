//! Checking a pasted usersig against the request that carried it: every problem the server
//! would find, each with the code it answers, in the order it checks (as `usersig::check` does). The
//! server stops at the first; listing them all lets the user fix them in one go.

use crate::usersig::{DecodedUserSig, Expectation, Refusal, check, decode};
use serde::Serialize;
use tsify::Tsify;

/// One problem of a usersig.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct SigProblem {
    /// `missing`, or a `verifyUserSig` reason: `malformed`, `sdkappid-mismatch`,
    /// `identifier-mismatch`, `expired`, `bad-signature`.
    pub reason: String,
    /// The error code the server answers for it (none for `missing`: the documents give none).
    #[tsify(optional)]
    pub error_code: Option<u32>,
    /// A sentence naming the problem; never the sig or the key.
    pub message: String,
}

/// What a usersig says and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct SigCheck {
    /// What the sig says, when it decodes.
    #[tsify(optional)]
    pub decoded: Option<DecodedUserSig>,
    /// Every problem found, in the server's order; empty when none.
    pub problems: Vec<SigProblem>,
    /// Whether the signature matches the key: absent when no key was given or the sig does not
    /// decode.
    #[tsify(optional)]
    pub verified: Option<bool>,
    /// The code the server answers: the first problem's.
    #[tsify(optional)]
    pub server_code: Option<u32>,
}

fn problem(r: &Refusal) -> SigProblem {
    SigProblem { reason: r.reason().to_owned(), error_code: Some(r.error_code()), message: r.to_string() }
}

/// Checks `usersig` (absent when the request carried none) against the request's SDKAppID and
/// identifier (each skipped when absent) at `now`, and its signature when `key` is given.
pub fn check_sig(usersig: Option<&str>, sdk_app_id: Option<u64>, identifier: Option<&str>, now: u64, key: Option<&str>) -> SigCheck {
    let mut out = SigCheck { decoded: None, problems: Vec::new(), verified: None, server_code: None };
    let Some(sig) = usersig else {
        out.problems.push(SigProblem { reason: "missing".into(), error_code: None, message: "the request carries no usersig query parameter".into() });
        return out;
    };
    let d = match decode(sig) {
        Ok(d) => d,
        Err(m) => {
            let p = problem(&Refusal::Malformed(m));
            out.server_code = p.error_code;
            out.problems.push(p);
            return out;
        }
    };
    // Each check on its own: an expectation equal to the sig's own values passes the others.
    let own = Expectation { sdk_app_id: d.sdk_app_id, secret_key: "", identifier: None, now: d.time.min(d.expires_at()) };
    let mut refusals = Vec::new();
    if sdk_app_id.is_some_and(|a| a != d.sdk_app_id) {
        refusals.push(Refusal::SdkAppIdMismatch { found: d.sdk_app_id });
    }
    if identifier.is_some_and(|id| id != d.identifier) {
        refusals.push(Refusal::IdentifierMismatch { found: d.identifier.clone() });
    }
    if now > d.expires_at() {
        refusals.push(Refusal::Expired { expired_at: d.expires_at() });
    }
    if let Some(key) = key {
        let signed = check(&d, &Expectation { secret_key: key, ..own });
        out.verified = Some(signed.is_ok());
        refusals.extend(signed.err());
    }
    out.problems = refusals.iter().map(problem).collect();
    out.server_code = out.problems.first().and_then(|p| p.error_code);
    out.decoded = Some(d.into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usersig::GenUserSigOptions;

    const KEY: &str = "paste-test-key";

    fn sig(identifier: &str, time: u64, expire: u64) -> String {
        GenUserSigOptions { sdk_app_id: 1400000000, secret_key: KEY.into(), identifier: identifier.into(), expire_seconds: Some(expire), time: Some(time), user_buf: None }.generate(0)
    }

    fn reasons(c: &SigCheck) -> Vec<(&str, Option<u32>)> {
        c.problems.iter().map(|p| (p.reason.as_str(), p.error_code)).collect()
    }

    #[test]
    fn a_good_sig_with_and_without_the_key() {
        let s = sig("admin", 1_700_000_000, 86400);
        let c = check_sig(Some(&s), Some(1400000000), Some("admin"), 1_700_000_100, None);
        assert_eq!((c.problems.len(), c.verified, c.server_code), (0, None, None));
        assert_eq!(c.decoded.as_ref().unwrap().identifier, "admin");
        let c = check_sig(Some(&s), Some(1400000000), Some("admin"), 1_700_000_100, Some(KEY));
        assert_eq!((c.problems.len(), c.verified), (0, Some(true)));
    }

    #[test]
    fn every_problem_in_the_servers_order_with_its_code() {
        let s = sig("admin", 1_700_000_000, 60);
        let c = check_sig(Some(&s), Some(1400000001), Some("root"), 1_700_000_061, Some("other key"));
        assert_eq!(reasons(&c), [("sdkappid-mismatch", Some(70014)), ("identifier-mismatch", Some(70013)), ("expired", Some(70001)), ("bad-signature", Some(70009))]);
        assert_eq!(c.server_code, Some(70014));
        assert_eq!(c.verified, Some(false));
        // Still valid at exactly time + expire, as the server has it.
        assert!(check_sig(Some(&s), None, None, 1_700_000_060, None).problems.is_empty());
        let expired = check_sig(Some(&s), Some(1400000000), Some("admin"), 1_700_000_061, Some(KEY));
        assert_eq!((reasons(&expired), expired.verified), (vec![("expired", Some(70001))], Some(true)));
    }

    #[test]
    fn malformed_and_missing() {
        let c = check_sig(Some("not a sig"), Some(1), None, 0, Some(KEY));
        assert_eq!((reasons(&c), c.decoded.is_none(), c.verified), (vec![("malformed", Some(70003))], true, None));
        let c = check_sig(None, Some(1), None, 0, None);
        assert_eq!((reasons(&c), c.server_code), (vec![("missing", None)], None));
    }

    #[test]
    fn no_message_holds_the_sig_or_the_key() {
        let s = sig("admin", 1, 1);
        let c = check_sig(Some(&s), Some(2), Some("x"), 10, Some(KEY));
        for p in &c.problems {
            assert!(!p.message.contains(&s) && !p.message.contains(KEY), "{}", p.message);
        }
    }
}
