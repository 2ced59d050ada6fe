//! The whole reading of a paste: the request, its usersig checked, its body validated.

use super::read::{PastedRequest, read_request};
use super::sig::{SigCheck, check_sig};
use crate::client::url::REDACTED;
use crate::model::Command;
use crate::validate::schema::Options;
use crate::validate::{Path, Violation, Violations};
use serde::Serialize;
use serde_json::Value;
use tsify::Tsify;

/// The query parameters every REST call carries (Tencent's "RESTful API Overview"; see `client::url`).
const QUERY: &[&str] = &["sdkappid", "identifier", "usersig", "random", "contenttype"];

/// What a pasted request says, with nothing of its usersig but the decoded fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    /// The path after `/v4/`, e.g. `sns/friend_add`.
    #[tsify(optional)]
    pub endpoint: Option<String>,
    /// The `v4/sns` wire command, when the endpoint is one of the 15.
    #[tsify(optional)]
    pub command: Option<String>,
    /// Where the request went: `scheme://host[:port]`.
    #[tsify(optional)]
    pub origin: Option<String>,
    /// The `sdkappid` parameter, as written.
    #[tsify(optional)]
    pub sdk_app_id: Option<String>,
    /// The `identifier` parameter.
    #[tsify(optional)]
    pub identifier: Option<String>,
    /// The `random` parameter.
    #[tsify(optional)]
    pub random: Option<String>,
    /// The `contenttype` parameter.
    #[tsify(optional)]
    pub content_type: Option<String>,
    /// The body's JSON text.
    #[tsify(optional)]
    pub body: Option<String>,
    /// The reply's JSON text, when one was pasted.
    #[tsify(optional)]
    pub reply: Option<String>,
    /// The usersig decoded and checked.
    pub sig: SigCheck,
    /// Every rule the body breaks (path `(body)` when it is not JSON), as `validate` reports.
    pub violations: Vec<Violation>,
    /// What the paste lacks or gets wrong outside the body and the usersig (`query.random`, …).
    pub problems: Vec<Violation>,
    /// The paste with the usersig replaced by `REDACTED`, to show in its place.
    pub redacted: String,
}

/// Reads `text`; checks the usersig at `now` (Unix seconds), and its signature when `key` is given.
pub fn inspect(text: &str, now: u64, key: Option<&str>) -> Inspection {
    let r = read_request(text);
    let mut problems = Violations::new();
    let query = Path::named("query");
    if r.endpoint.is_none() {
        problems.push(&Path::named("url"), "required", "no request URL found: paste a curl command, a URL with /v4/ followed by its JSON body, or a log line holding both");
    }
    let command = r.endpoint.as_deref().and_then(|e| e.strip_prefix("sns/")).and_then(Command::from_wire);
    if let (Some(e), None) = (&r.endpoint, command) {
        problems.push(&Path::named("url"), "endpoint", format!("v4/{e} is not one of the 15 v4/sns endpoints this tool checks"));
    }
    if r.endpoint.is_some() {
        for name in QUERY.iter().filter(|n| r.param(n).is_none()) {
            problems.push(&query.key(name), "required", format!("the URL has no {name} parameter; every REST call carries it"));
        }
    }
    let sdk_app_id = r.param("sdkappid").map(str::to_owned);
    let app = sdk_app_id.as_deref().and_then(|s| s.parse::<u64>().ok());
    if let (Some(s), None) = (&sdk_app_id, app) {
        problems.push(&query.key("sdkappid"), "type", format!("sdkappid must be a positive integer, got \"{s}\""));
    }
    if let Some(ct) = r.param("contenttype").filter(|c| *c != "json") {
        problems.push(&query.key("contenttype"), "enum", format!("contenttype must be json, got \"{ct}\""));
    }
    let sig = check_sig(r.param("usersig"), app, r.param("identifier"), now, key);
    let violations = match (command, &r.body) {
        (Some(cmd), Some(body)) => body_violations(cmd, body),
        (Some(_), None) => vec![Violation { path: "(body)".into(), rule: "required".into(), message: "no JSON body found in the paste".into() }],
        _ => Vec::new(),
    };
    Inspection {
        command: command.map(|c| c.wire_name().to_owned()),
        origin: r.origin.clone(),
        sdk_app_id,
        identifier: r.param("identifier").map(str::to_owned),
        random: r.param("random").map(str::to_owned),
        content_type: r.param("contenttype").map(str::to_owned),
        redacted: redact(text, &r),
        endpoint: r.endpoint,
        body: r.body,
        reply: r.reply,
        sig,
        violations,
        problems: problems.into_vec(),
    }
}

fn body_violations(cmd: Command, body: &str) -> Vec<Violation> {
    match serde_json::from_str::<Value>(body) {
        Ok(json) => cmd.validate_request(&json, &Options::REQUEST).into_vec(),
        Err(e) => vec![Violation { path: "(body)".into(), rule: "json".into(), message: format!("the body is not valid JSON: {e}") }],
    }
}

/// The paste with every occurrence of the usersig (as written, and decoded) replaced.
fn redact(text: &str, r: &PastedRequest) -> String {
    let mut out = text.to_owned();
    for sig in [r.usersig_as_written.as_deref(), r.param("usersig")].into_iter().flatten().filter(|s| !s.is_empty()) {
        out = out.replace(sig, REDACTED);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::usersig::GenUserSigOptions;

    const KEY: &str = "inspect-test-key";

    fn sig(time: u64, expire: u64) -> String {
        GenUserSigOptions { sdk_app_id: 1400000000, secret_key: KEY.into(), identifier: "administrator".into(), expire_seconds: Some(expire), time: Some(time), user_buf: None }.generate(0)
    }

    #[test]
    fn an_expired_curl_with_two_body_violations_and_a_reply() {
        let s = sig(1_700_000_000, 3600);
        let text = format!(
            "curl -X POST 'https://adminapisgp.im.qcloud.com/v4/sns/friend_add?sdkappid=1400000000&identifier=administrator&usersig={s}&random=7&contenttype=json' -H 'Content-Type: application/json' --data-raw '{{\"From_Account\":\"alice\",\"AddType\":\"Both\",\"AddFriendItem\":[{{\"To_Account\":\"bob\",\"AddSource\":\"AddSource_Type_Web\"}},{{\"To_Account\":\"carol\",\"AddSource\":\"web!\"}}]}}'\n{{\"ActionStatus\":\"FAIL\",\"ErrorCode\":70001,\"ErrorInfo\":\"usersig expired\"}}"
        );
        let i = inspect(&text, 1_800_000_000, None);
        assert_eq!(i.command.as_deref(), Some("friend_add"));
        assert_eq!(i.origin.as_deref(), Some("https://adminapisgp.im.qcloud.com"));
        assert_eq!((i.sdk_app_id.as_deref(), i.identifier.as_deref(), i.random.as_deref()), (Some("1400000000"), Some("administrator"), Some("7")));
        assert_eq!(i.sig.server_code, Some(70001));
        assert_eq!(i.sig.decoded.as_ref().unwrap().expires_at, 1_700_003_600);
        let paths: Vec<_> = i.violations.iter().map(|v| (v.path.as_str(), v.rule.as_str())).collect();
        assert_eq!(paths, [("AddFriendItem[1].AddSource", "pattern"), ("AddType", "enum")]);
        assert!(i.problems.is_empty(), "{:?}", i.problems);
        assert_eq!(i.reply.as_deref(), Some("{\"ActionStatus\":\"FAIL\",\"ErrorCode\":70001,\"ErrorInfo\":\"usersig expired\"}"));
        assert!(!i.redacted.contains(&s) && i.redacted.contains("usersig=REDACTED"));
        // Nothing of the sig in the whole result.
        assert!(!format!("{i:?}").contains(&s));
    }

    #[test]
    fn the_key_adds_the_signature_check() {
        let s = sig(1_700_000_000, 3600);
        let text = format!("https://h/v4/sns/friend_get?sdkappid=1400000000&identifier=administrator&usersig={s}&random=1&contenttype=json {{\"From_Account\":\"a\",\"StartIndex\":0}}");
        let ok = inspect(&text, 1_700_000_001, Some(KEY));
        assert_eq!((ok.sig.verified, ok.sig.problems.len(), ok.violations.len()), (Some(true), 0, 0));
        let bad = inspect(&text, 1_700_000_001, Some("another key"));
        assert_eq!((bad.sig.verified, bad.sig.server_code), (Some(false), Some(70009)));
    }

    #[test]
    fn every_prefix_of_a_paste_reads_without_a_panic() {
        let s = sig(1_700_000_000, 3600);
        let text = format!("$ curl -X POST $'https://h/v4/sns/friend_add?sdkappid=1400000000&identifier=admin%C3%A9&usersig={s}&random=7' \\\n -d \"{{\\\"From_Account\\\":\\\"é\\\"}}\"\n{{\"ErrorCode\":70001}}");
        for end in (0..=text.len()).filter(|&e| text.is_char_boundary(e)) {
            let i = inspect(&text[..end], 1_800_000_000, Some(KEY));
            // The redacted paste never holds the whole sig.
            assert!(!i.redacted.contains(&s));
        }
        // The whole paste: $'…' quoting, a continued line, an escaped body, the reply below.
        let whole = inspect(&text, 1_800_000_000, Some(KEY));
        assert_eq!((whole.command.as_deref(), whole.identifier.as_deref()), (Some("friend_add"), Some("adminé")));
        assert_eq!(whole.body.as_deref(), Some("{\"From_Account\":\"é\"}"));
        assert_eq!(whole.reply.as_deref(), Some("{\"ErrorCode\":70001}"));
    }

    #[test]
    fn what_the_paste_lacks_is_listed() {
        let i = inspect("POST https://h/v4/sns/friend_get?sdkappid=abc&contenttype=xml {not json", 0, None);
        let paths: Vec<_> = i.problems.iter().map(|v| (v.path.as_str(), v.rule.as_str())).collect();
        assert_eq!(paths, [("query.identifier", "required"), ("query.usersig", "required"), ("query.random", "required"), ("query.sdkappid", "type"), ("query.contenttype", "enum")]);
        assert_eq!(i.sig.problems[0].reason, "missing");
        assert_eq!(i.violations[0].path, "(body)");
        let none = inspect("just words", 0, None);
        assert_eq!(none.problems[0].path, "url");
        let other = inspect("https://h/v4/profile/portrait_get?x=1 {}", 0, None);
        assert_eq!(other.problems[0].rule, "endpoint");
        assert_eq!(other.command, None);
    }
}
