//! What each fuzz target asserts. Every function takes the raw fuzz input and panics only when
//! the core breaks a promise: a panic inside the core (it would kill the wasm instance), or two
//! answers that must agree and do not.
//!
//! Input layout for `request` and `reply`: the first line names the command (`friend_add`);
//! an unknown name picks one by its length, so every input reaches some command (for `reply`,
//! `*` reads the envelope alone). The rest is the body text, as JS's `JSON.stringify` or the
//! service would send it.

use serde_json::Value;
use tim_sns::model::Command;
use tim_sns::client::bulk::answer::{reply_rows, rows};
use tim_sns::model::wire::{ParseError, parse_reply};
use tim_sns::usersig::{self, Expectation, SigParams};
use tim_sns::validate::schema::{Options, UserIdCharset};
use tim_sns::validate::stream::Verdict;

fn has_null(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(items) => items.iter().any(has_null),
        Value::Object(m) => m.values().any(has_null),
        _ => false,
    }
}

/// Splits `command\nbody` and picks the command.
fn command_and_body(data: &[u8]) -> (Command, &str) {
    let text = std::str::from_utf8(data).unwrap_or("");
    let (name, body) = text.split_once('\n').unwrap_or(("", text));
    let cmd = Command::from_wire(name.trim()).unwrap_or(Command::ALL[name.len() % Command::ALL.len()]);
    (cmd, body)
}

/// The option sets a caller can choose, picked by the body's length so the same body text
/// meets every set across the corpus.
fn options(body: &str) -> Options {
    const CHARSETS: [UserIdCharset; 3] = [UserIdCharset::Printable, UserIdCharset::Strict, UserIdCharset::Any];
    let n = body.len();
    Options { soft_limits: n % 2 == 0, user_id_charset: CHARSETS[(n / 2) % 3], reject_unknown_fields: (n / 6) % 2 == 0 }
}

/// Request validation and building, for any command picked by the input.
///
/// - validating and building never panic;
/// - `build` succeeds exactly when validation finds nothing, and reports the same violations;
/// - a built body is JSON that validates cleanly again and builds to the same text;
/// - the streaming fast path agrees with the tree walk: `Valid` only for a body the walk finds
///   clean and that has no nulls (so the text is the body as built), `Invalid` only for a body
///   the walk refuses;
/// - bulk input that the streaming reader splits into items is JSON whose entries are exactly
///   `From_Account` and `items`, and the spans are those items, for those users.
pub fn request(data: &[u8]) {
    let (cmd, text) = command_and_body(data);
    bulk_input(text);
    let opts = options(text);
    let fast = cmd.check_request_text(text, &opts);
    let Ok(body) = serde_json::from_str::<Value>(text) else {
        assert_eq!(fast, Verdict::Undecided, "{}: the fast path decided on text that is not JSON", cmd.wire_name());
        return;
    };
    let found = cmd.validate_request(&body, &opts);
    match fast {
        Verdict::Valid => assert!(found.is_empty() && !has_null(&body), "{}: fast path Valid, tree walk: {found}", cmd.wire_name()),
        Verdict::Invalid => assert!(!found.is_empty(), "{}: fast path Invalid, tree walk finds nothing", cmd.wire_name()),
        Verdict::Undecided => {}
    }
    match cmd.build(&body, &opts) {
        Ok(built) => {
            assert!(found.is_empty(), "{}: build accepted a body validation refuses: {found}", cmd.wire_name());
            let again: Value = serde_json::from_str(&built).expect("a built body is JSON");
            assert!(cmd.validate_request(&again, &opts).is_empty(), "{}: a built body no longer validates", cmd.wire_name());
            assert_eq!(cmd.build(&again, &opts).as_deref(), Ok(built.as_str()), "building is not idempotent");
        }
        Err(v) => assert_eq!(v, found, "{}: build and validate disagree", cmd.wire_name()),
    }
    // Reading the same text as a reply must not panic either (replies are loosely checked).
    let _ = cmd.parse(text);
}

fn bulk_input(text: &str) {
    let Some(items) = tim_sns::validate::stream::bulk_items(text) else { return };
    let tree: Value = serde_json::from_str(text).expect("accepted bulk input is JSON");
    let entries = match tree {
        Value::Array(list) => list,
        one => vec![one],
    };
    let mut expected = Vec::new();
    for entry in &entries {
        let entry = entry.as_object().expect("an entry is an object");
        assert_eq!(entry.len(), 2, "an entry has From_Account and items only");
        let from = entry["From_Account"].as_str().expect("From_Account is a string");
        for item in entry["items"].as_array().expect("items is a list") {
            assert!(!has_null(item), "an item with a null was split");
            expected.push((from.to_owned(), item.clone()));
        }
    }
    let got: Vec<(String, Value)> = items.iter().map(|s| (s.from.clone(), serde_json::from_str(&text[s.span.clone()]).expect("a span is JSON"))).collect();
    assert_eq!(got, expected, "the spans are not the items");
    for s in &items {
        assert_eq!(s.target, tim_sns::client::bulk::input::target(&text[s.span.clone()]), "the target read on the way is not the item's");
    }
}

/// Reply parsing, for any command or for the envelope alone.
///
/// - parsing never panics;
/// - an accepted reply is an object with `ErrorCode: 0`, an `ActionStatus` of `"OK"`, and an
///   `outcome` on every result item that has a `ResultCode`; parsing its own output again
///   gives the same value (the annotations are stable).
/// - when the fast path would hand the text to JS as it is (`Valid`, `ErrorCode` 0,
///   `ActionStatus` "OK", nothing to annotate), the full parse gives exactly that text's value;
///   when it says `Invalid`, the full parse refuses the reply;
/// - a bulk call's read of the reply (per-item rows, straight from the text when the streaming
///   check passes it) accepts what the full parse accepts and gives the rows of its result.
pub fn reply(data: &[u8]) {
    let (cmd, text) = command_and_body(data);
    let command = (!data.starts_with(b"*\n")).then_some(cmd);
    let (fast, env) = cmd.check_reply_text(text);
    let full = cmd.parse(text);
    if fast == Verdict::Valid && env.code_zero && env.status_ok && !env.annotated {
        assert_eq!(full.as_ref().ok(), serde_json::from_str::<Value>(text).ok().as_ref(), "{}: fast path and full parse disagree", cmd.wire_name());
    }
    if fast == Verdict::Invalid {
        assert!(full.is_err(), "{}: fast path Invalid, full parse accepts", cmd.wire_name());
    }
    match (reply_rows(text, Some(cmd)), &full) {
        (Ok(fast_rows), Ok(v)) => assert_eq!(fast_rows, rows(v), "{}: bulk rows differ from the full parse", cmd.wire_name()),
        (Err(a), Err(b)) => assert_eq!(&a, b, "{}: bulk read and full parse refuse differently", cmd.wire_name()),
        (a, b) => panic!("{}: bulk read {:?}, full parse {:?}", cmd.wire_name(), a.is_ok(), b.is_ok()),
    }
    match parse_reply(text, command) {
        Ok(v) => {
            assert_eq!(v.get("ActionStatus").and_then(Value::as_str), Some("OK"), "an accepted reply is OK");
            for key in ["ResultItem", "InfoItem", "BlackListCheckItem"] {
                for item in v.get(key).and_then(Value::as_array).into_iter().flatten() {
                    if item.get("ResultCode").is_some_and(Value::is_u64) {
                        assert!(item.get("outcome").is_some_and(Value::is_string), "{key} item without its outcome");
                    }
                }
            }
            let again = parse_reply(&v.to_string(), command).expect("a parsed reply parses again");
            assert_eq!(again, v, "parsing a parsed reply changed it");
        }
        Err(ParseError::Api(f)) => assert!(f.error_code != 0 || f.action_status == "FAIL", "a failure with code 0 and status OK"),
        Err(ParseError::Decode { snippet, .. }) => assert!(snippet.chars().count() <= tim_sns::model::wire::SNIPPET_CHARS),
    }
}

const KEY: &str = "fuzz-secret-key";
const APP: u64 = 1400000000;

/// UserSig decoding and verification of arbitrary text, and generation round trips of
/// parameters taken from the input.
///
/// - decoding and verifying never panic;
/// - verification accepts only what decodes, and reports the same decoded content;
/// - a sig generated from any identifier and times decodes to exactly those values and
///   verifies with its key, and fails with any other key.
pub fn usersig(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let decoded = usersig::decode(&text);
    let expect = Expectation { sdk_app_id: APP, secret_key: KEY, identifier: None, now: 1_700_000_000 };
    match usersig::verify(&text, &expect) {
        Ok(d) => assert_eq!(Ok(d), decoded, "verify and decode disagree on a valid sig"),
        Err(usersig::Refusal::Malformed(_)) => assert!(decoded.is_err(), "verify calls a decodable sig malformed"),
        Err(_) => assert!(decoded.is_ok(), "verify refused a sig for a reason other than form, yet it does not decode"),
    }

    // Round trip: identifier from the text, times from the first bytes.
    let num = |i: usize| data.get(i..i + 4).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64);
    let identifier: String = text.chars().take(32).collect();
    let (time, expire) = (num(0), num(4) % (50 * 365 * 86400) + 1);
    let userbuf = data.get(8..).filter(|_| data.len() % 3 == 0);
    let sig = usersig::generate(KEY, &SigParams { sdk_app_id: APP, identifier: &identifier, time, expire, userbuf });
    let d = usersig::decode(&sig).expect("a generated sig decodes");
    assert_eq!((d.identifier.as_str(), d.sdk_app_id, d.time, d.expire), (identifier.as_str(), APP, time, expire));
    let at = Expectation { sdk_app_id: APP, secret_key: KEY, identifier: Some(&identifier), now: time };
    assert!(usersig::verify(&sig, &at).is_ok(), "a generated sig does not verify");
    let wrong = Expectation { secret_key: "another-key", ..at };
    assert!(matches!(usersig::verify(&sig, &wrong), Err(usersig::Refusal::BadSignature)), "a sig verified with the wrong key");
}

const TOKEN: &str = "fuzz-webhook-token";
const NOW: u64 = 1_700_000_000;

/// Webhook verification, parsing and intake of an arbitrary request.
///
/// Input layout: the first line is the request URL's query (or a whole URL), the rest the body.
///
/// - verifying, parsing and deciding never panic;
/// - a request the verifier accepts carries our SDKAppID, a `RequestTime` within the allowed
///   skew, and the signature of that time under the token;
/// - the handler dispatches or passes on only what the verifier accepts and the parser reads,
///   with the parser's own command and body;
/// - a query we sign ourselves, for any command and time from the input, verifies.
pub fn webhook(data: &[u8]) {
    use tim_sns::webhook::intake::{Decision, HandlerConfig, intake};
    use tim_sns::webhook::outgoing::{Origin, callback_query};
    use tim_sns::webhook::query::{get, pairs, query_part};
    use tim_sns::webhook::verify::Check;
    use tim_sns::webhook::{Parsed, parse_callback, sign};

    let text = String::from_utf8_lossy(data);
    let (url, body) = text.split_once('\n').unwrap_or((&text, ""));
    let check = Check { sdk_app_id: APP, token: Some(TOKEN), max_skew: 60 };
    let verified = check.run(query_part(url), NOW);
    if verified.valid {
        let pairs = pairs(query_part(url));
        assert_eq!(get(&pairs, "SdkAppid").and_then(|a| a.parse::<u64>().ok()), Some(APP), "accepted another app's callback");
        let time = get(&pairs, "RequestTime").expect("accepted without RequestTime");
        let t: u64 = time.parse().expect("accepted a RequestTime that is not a number");
        assert!(t.abs_diff(NOW) <= 60, "accepted a stale RequestTime");
        let given = get(&pairs, "Sign").expect("accepted without Sign");
        assert!(sign::signature_matches(given, &sign::sign(TOKEN, time)), "accepted a wrong signature");
    }
    let parsed = parse_callback(url, body);
    let config = HandlerConfig { sdk_app_id: APP, token: Some(TOKEN.to_owned()), max_skew_seconds: 60, max_body_bytes: 1 << 20 };
    match intake(&config, "POST", url, body, false, NOW) {
        Decision::Dispatch { command, callback, verification } => {
            assert!(verification.valid, "dispatched an unverified callback");
            assert_eq!(parsed.ok(), Some(Parsed::Known { command, body: callback }), "dispatched something else than the parser read");
        }
        Decision::Unknown { command, body, verification } => {
            assert!(verification.valid, "passed on an unverified callback");
            assert_eq!(parsed.ok(), Some(Parsed::Unknown { command, body }), "passed on something else than the parser read");
        }
        Decision::Refuse { .. } => assert!(!verified.valid || parsed.is_err(), "refused a verified, readable callback"),
    }

    // Our own signed query verifies, whatever the command and time.
    let command: String = url.chars().take(40).collect();
    let time = data.iter().take(8).fold(0u64, |n, b| n.wrapping_mul(256).wrapping_add(u64::from(*b))) % 4_000_000_000;
    let origin = Origin { client_ip: "127.0.0.1", platform: "RESTAPI" };
    let own = callback_query(APP, &command, origin, Some(TOKEN), time);
    let result = Check { sdk_app_id: APP, token: Some(TOKEN), max_skew: 60 }.run(&own, time);
    assert!(result.valid, "our own signed query was refused: {:?}", result.message);
    assert_eq!(result.command.as_deref(), Some(command.as_str()), "the command did not survive the query");
}
