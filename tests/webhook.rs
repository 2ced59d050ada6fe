//! Webhook verification, parsing, typed bodies and replies, natively.

use serde_json::{Value, json};
use tim_sns::webhook::callbacks::SnsCallback;
use tim_sns::webhook::intake::{Decision, HandlerConfig, finish, intake};
use tim_sns::webhook::outgoing::{Origin, callback_query};
use tim_sns::webhook::reply::{PrevVerdict, prev_reply, read_prev_reply};
use tim_sns::webhook::{Parsed, VerifyWebhookOptions, WebhookRefusal, parse_callback};

const APP: u64 = 1400000000;
const VECTOR_SIGN: &str = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061";
const VECTOR_TIME: u64 = 1669872112;

fn query(sign: &str, time: &str) -> String {
    format!("SdkAppid={APP}&CallbackCommand=Sns.CallbackFriendAdd&contenttype=json&ClientIP=1.2.3.4&OptPlatform=RESTAPI&Sign={sign}&RequestTime={time}")
}

fn verify(options: Value) -> tim_sns::webhook::WebhookVerification {
    VerifyWebhookOptions::from_json(&options).expect("valid options").verify(0)
}

fn reason(options: Value) -> Option<WebhookRefusal> {
    verify(options).reason
}

#[test]
fn the_spec_vector_verifies() {
    let v = verify(json!({ "query": query(VECTOR_SIGN, "1669872112"), "token": "xxxxyyyy", "sdkAppId": APP, "now": VECTOR_TIME }));
    assert!(v.valid, "{v:?}");
    assert_eq!((v.command.as_deref(), v.request_time, v.signature_checked), (Some("Sns.CallbackFriendAdd"), Some(VECTOR_TIME), true));
    // As a full URL, with the signature in upper case.
    let url = format!("https://app.example/im/callback?{}", query(&VECTOR_SIGN.to_uppercase(), "1669872112"));
    assert!(verify(json!({ "url": url, "token": "xxxxyyyy", "sdkAppId": APP, "now": VECTOR_TIME })).valid);
}

#[test]
fn tampered_sign_token_and_time_are_bad_signatures() {
    let base = |q: String, token: &str| json!({ "query": q, "token": token, "sdkAppId": APP, "now": VECTOR_TIME });
    let mut tampered = VECTOR_SIGN.to_owned();
    tampered.replace_range(0..1, "2");
    assert_eq!(reason(base(query(&tampered, "1669872112"), "xxxxyyyy")), Some(WebhookRefusal::BadSignature));
    assert_eq!(reason(base(query(&VECTOR_SIGN[..63], "1669872112"), "xxxxyyyy")), Some(WebhookRefusal::BadSignature));
    assert_eq!(reason(base(query(VECTOR_SIGN, "1669872112"), "xxxyyy")), Some(WebhookRefusal::BadSignature));
    // A different RequestTime than the one signed, within the window.
    assert_eq!(reason(base(query(VECTOR_SIGN, "1669872113"), "xxxxyyyy")), Some(WebhookRefusal::BadSignature));
}

#[test]
fn stale_both_ways_with_the_boundary_inside() {
    let at = |now: u64, skew: Option<u64>| {
        let mut o = json!({ "query": query(VECTOR_SIGN, "1669872112"), "token": "xxxxyyyy", "sdkAppId": APP, "now": now });
        if let Some(s) = skew {
            o["maxSkewSeconds"] = json!(s);
        }
        reason(o)
    };
    assert_eq!(at(VECTOR_TIME + 60, None), None);
    assert_eq!(at(VECTOR_TIME - 60, None), None);
    assert_eq!(at(VECTOR_TIME + 61, None), Some(WebhookRefusal::Stale));
    assert_eq!(at(VECTOR_TIME - 61, None), Some(WebhookRefusal::Stale));
    assert_eq!(at(VECTOR_TIME + 300, Some(300)), None);
    assert_eq!(at(VECTOR_TIME + 1, Some(0)), Some(WebhookRefusal::Stale));
    let v = verify(json!({ "query": query(VECTOR_SIGN, "1669872112"), "token": "xxxxyyyy", "sdkAppId": APP, "now": VECTOR_TIME + 61 }));
    assert!(v.message.unwrap().contains("61 s"));
}

#[test]
fn sdkappid_mismatch_and_missing_parameters() {
    let with = |q: &str, token: Value| reason(json!({ "query": q, "token": token, "sdkAppId": APP, "now": VECTOR_TIME }));
    let ok = query(VECTOR_SIGN, "1669872112");
    assert_eq!(with(&ok.replace("SdkAppid=1400000000", "SdkAppid=1400000001"), json!("xxxxyyyy")), Some(WebhookRefusal::SdkappidMismatch));
    assert_eq!(with(&ok.replace("SdkAppid=1400000000", "SdkAppid=abc"), json!("xxxxyyyy")), Some(WebhookRefusal::SdkappidMismatch));
    assert_eq!(with(&ok.replace("SdkAppid=1400000000&", ""), json!("xxxxyyyy")), Some(WebhookRefusal::Malformed));
    assert_eq!(with(&ok.replace(&format!("&Sign={VECTOR_SIGN}"), ""), json!("xxxxyyyy")), Some(WebhookRefusal::MissingSignature));
    assert_eq!(with(&ok.replace("&RequestTime=1669872112", ""), json!("xxxxyyyy")), Some(WebhookRefusal::MissingSignature));
    assert_eq!(with(&ok.replace("RequestTime=1669872112", "RequestTime=16698x2112"), json!("xxxxyyyy")), Some(WebhookRefusal::Malformed));
    assert_eq!(with(&ok.replace("RequestTime=1669872112", "RequestTime=-1"), json!("xxxxyyyy")), Some(WebhookRefusal::Malformed));
    assert_eq!(with("", json!("xxxxyyyy")), Some(WebhookRefusal::Malformed));
}

#[test]
fn token_null_skips_only_the_signature() {
    let with = |q: &str, now: u64| verify(json!({ "query": q, "token": null, "sdkAppId": APP, "now": now }));
    let unsigned = format!("SdkAppid={APP}&CallbackCommand=Sns.CallbackFriendAdd");
    let v = with(&unsigned, 5);
    assert!(v.valid && !v.signature_checked);
    // A wrong signature is not looked at, but the app id and the time still are.
    assert!(with(&query("00", "1669872112"), VECTOR_TIME).valid);
    assert_eq!(with(&query("00", "1669872112"), VECTOR_TIME + 61).reason, Some(WebhookRefusal::Stale));
    assert_eq!(with(&unsigned.replace("1400000000", "1"), 5).reason, Some(WebhookRefusal::SdkappidMismatch));
}

#[test]
fn the_query_may_be_an_object() {
    let q = json!({ "SdkAppid": APP.to_string(), "CallbackCommand": "Sns.CallbackFriendAdd", "Sign": VECTOR_SIGN, "RequestTime": VECTOR_TIME });
    assert!(verify(json!({ "query": q, "token": "xxxxyyyy", "sdkAppId": APP, "now": VECTOR_TIME })).valid);
}

#[test]
fn bad_options_are_all_reported() {
    let err = VerifyWebhookOptions::from_json(&json!({ "sdkAppId": 0, "url": 3, "tokn": "x" })).unwrap_err();
    let paths: Vec<&str> = err.as_slice().iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["tokn", "url", "token", "sdkAppId"], "{err}");
    let long = "t".repeat(129);
    assert!(VerifyWebhookOptions::from_json(&json!({ "query": "", "token": long, "sdkAppId": 1 })).is_err());
    assert!(VerifyWebhookOptions::from_json(&json!({ "query": "", "token": "t".repeat(128), "sdkAppId": 1 })).is_ok());
    assert!(VerifyWebhookOptions::from_json(&json!({ "query": "", "token": "", "sdkAppId": 1 })).is_err());
    // Messages never echo the token.
    let err = VerifyWebhookOptions::from_json(&json!({ "query": "", "token": "secret-token".repeat(20), "sdkAppId": 1 })).unwrap_err();
    assert!(!err.to_string().contains("secret-token"));
}

fn fixtures() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/webhooks");
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn every_callback_sample_parses_into_its_type_and_round_trips() {
    let mut requests = 0;
    for (name, text) in fixtures().into_iter().filter(|(n, _)| n.ends_with("-request.json")) {
        let original: Value = serde_json::from_str(&text).unwrap();
        let Parsed::Known { command, body } = parse_callback("", &text).unwrap_or_else(|e| panic!("{name}: {e:?}")) else { panic!("{name}: unknown") };
        assert_eq!(body, original, "{name}: parsing changes nothing");
        assert_eq!(Some(command.as_str()), original["CallbackCommand"].as_str());
        let typed: SnsCallback = serde_json::from_value(body).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(serde_json::to_value(&typed).unwrap(), original, "{name}: round trip");
        requests += 1;
    }
    assert_eq!(requests, 3);
}

#[test]
fn the_refusal_sample_is_what_refuse_reply_builds() {
    let (_, request) = fixtures().into_iter().find(|(n, _)| n == "spec-webhooks-01-request.json").unwrap();
    let (_, reply) = fixtures().into_iter().find(|(n, _)| n == "spec-webhooks-02-response.json").unwrap();
    let callback: Value = serde_json::from_str(&request).unwrap();
    let built = prev_reply(&callback, &json!([{ "To_Account": "bob", "ResultCode": 38001, "ResultInfo": "blocked by app policy" }])).unwrap();
    assert_eq!(built, serde_json::from_str::<Value>(&reply).unwrap());
    let typed: tim_sns::webhook::reply::CallbackReply = serde_json::from_value(built.clone()).unwrap();
    assert_eq!(serde_json::to_value(typed).unwrap(), built);
}

#[test]
fn every_command_type_round_trips() {
    let samples = [
        json!({ "CallbackCommand": "Sns.CallbackPrevFriendResponse", "Requester_Account": "bob", "From_Account": "bob",
                "ResponseFriendItem": [{ "To_Account": "alice", "Remark": "Al", "TagName": "Climbing", "ResponseAction": "Response_Action_AgreeAndAdd" }],
                "EventTime": 1700000000123u64 }),
        json!({ "CallbackCommand": "Sns.CallbackFriendDelete", "PairList": [{ "From_Account": "a", "To_Account": "b" }], "EventTime": 1 }),
        json!({ "CallbackCommand": "Sns.CallbackBlackListDelete", "PairList": [] }),
    ];
    for s in samples {
        let Parsed::Known { body, .. } = parse_callback("", &s.to_string()).unwrap() else { panic!() };
        let typed: SnsCallback = serde_json::from_value(body).unwrap();
        assert_eq!(serde_json::to_value(typed).unwrap(), s);
    }
}

#[test]
fn the_rate_warning_parses_with_the_vendor_sample_and_needs_service_and_command() {
    // The vendor's sample body (another service's command, 510 of 200 calls/s).
    let sample = json!({ "CallbackCommand": "Alert.RequestOverLimit", "ServiceName": "openim", "Command": "batchsendmsg", "Request": 510, "Limit": 200 });
    let Parsed::Known { command, body } = parse_callback("?SdkAppid=1&CallbackCommand=Alert.RequestOverLimit", &sample.to_string()).unwrap() else { panic!("unknown") };
    assert_eq!(command, "Alert.RequestOverLimit");
    let typed: SnsCallback = serde_json::from_value(body).unwrap();
    let SnsCallback::RequestOverLimit(ref alert) = typed else { panic!("{typed:?}") };
    assert_eq!((alert.service_name.as_str(), alert.command.as_str(), alert.request, alert.limit), ("openim", "batchsendmsg", Some(510), Some(200)));
    assert_eq!(serde_json::to_value(&typed).unwrap(), sample);
    // Request and Limit may be absent; the service and the command may not.
    assert!(parse_callback("", r#"{"CallbackCommand":"Alert.RequestOverLimit","ServiceName":"sns","Command":"friend_add"}"#).is_ok());
    let e = parse_callback("", r#"{"CallbackCommand":"Alert.RequestOverLimit","ServiceName":"sns","Request":"many"}"#).unwrap_err();
    let paths: Vec<String> = e.violations.as_slice().iter().map(|v| v.path.clone()).collect();
    assert_eq!(paths, ["Command", "Request"], "{e:?}");
}

#[test]
fn parsing_is_tolerant_and_says_what_is_wrong() {
    // Unknown fields are kept; the command may come from the query only.
    let text = r#"{"PairList":[{"From_Account":"a","To_Account":"b","Extra":1}],"NewField":true}"#;
    let Parsed::Known { command, body } = parse_callback("?SdkAppid=1&CallbackCommand=Sns.CallbackBlackListAdd", text).unwrap() else { panic!() };
    assert_eq!(command, "Sns.CallbackBlackListAdd");
    assert_eq!((body["NewField"].clone(), body["PairList"][0]["Extra"].clone()), (json!(true), json!(1)));
    // Another product's callback is not an error.
    let other = parse_callback("", r#"{"CallbackCommand":"C2C.CallbackAfterSendMsg","x":1}"#).unwrap();
    assert!(matches!(other, Parsed::Unknown { ref command, .. } if command == "C2C.CallbackAfterSendMsg"));
    // Clear errors otherwise, with paths.
    let e = parse_callback("", r#"{"CallbackCommand":"Sns.CallbackFriendAdd","PairList":[{"From_Account":1}]}"#).unwrap_err();
    let paths: Vec<&str> = e.violations.as_slice().iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["PairList[0].From_Account", "PairList[0].To_Account"], "{}", e.message);
    for bad in ["", "[1]", "<html>", r#"{"x":1}"#, r#"{"CallbackCommand":7}"#] {
        assert!(parse_callback("", bad).is_err(), "{bad}");
    }
    let e = parse_callback("CallbackCommand=Sns.CallbackFriendDelete", r#"{"CallbackCommand":"Sns.CallbackFriendAdd","PairList":[]}"#).unwrap_err();
    assert!(e.message.contains("differs"));
}

fn prev_add() -> Value {
    json!({ "CallbackCommand": "Sns.CallbackPrevFriendAdd", "From_Account": "alice",
            "FriendItem": [{ "To_Account": "bob" }, { "To_Account": "carol" }] })
}

#[test]
fn refusals_are_validated_with_both_sides_of_the_code_range() {
    let refuse = |r: Value| prev_reply(&prev_add(), &r);
    let allowed = refuse(Value::Null).unwrap();
    assert_eq!(allowed["ResultItem"], json!([{ "To_Account": "bob", "ResultCode": 0, "ResultInfo": "" }, { "To_Account": "carol", "ResultCode": 0, "ResultInfo": "" }]));
    for code in [38000, 39000] {
        let r = refuse(json!([{ "To_Account": "carol", "ResultCode": code }])).unwrap();
        assert_eq!(r["ResultItem"][1], json!({ "To_Account": "carol", "ResultCode": code, "ResultInfo": "refused by the app" }));
        assert_eq!(r["ResultItem"][0]["ResultCode"], json!(0));
    }
    let err = refuse(json!([{ "To_Account": "carol", "ResultCode": 37999 }, { "To_Account": "bob", "ResultCode": 39001 },
                            { "To_Account": "dave", "ResultCode": 38000 }, { "To_Account": "carol", "ResultCode": 38000 }, { "ResultCode": 38000 }]))
        .unwrap_err();
    let got: Vec<(&str, &str)> = err.as_slice().iter().map(|v| (v.path.as_str(), v.rule.as_str())).collect();
    assert_eq!(got[0].0, "refusals[0].ResultCode");
    assert_eq!(got[1].0, "refusals[1].ResultCode");
    assert_eq!(got[2], ("refusals[2].To_Account", "unknown-target"));
    assert_eq!(got[3], ("refusals[4].To_Account", "required"));
    assert_eq!(got.len(), 4, "{err}");
    let dup = refuse(json!([{ "To_Account": "carol", "ResultCode": 38000 }, { "To_Account": "carol", "ResultCode": 38001 }])).unwrap_err();
    assert_eq!(dup.as_slice()[0].rule, "duplicate");
    let after = json!({ "CallbackCommand": "Sns.CallbackFriendAdd", "PairList": [] });
    assert!(prev_reply(&after, &json!([])).is_err());
}

#[test]
fn the_service_side_reads_app_replies_with_the_failure_policy() {
    let targets = vec!["bob".to_owned(), "carol".to_owned()];
    let reply = prev_reply(&prev_add(), &json!([{ "To_Account": "carol", "ResultCode": 38005, "ResultInfo": "no" }])).unwrap().to_string();
    let v = read_prev_reply(200, &reply, &targets);
    assert_eq!((v.refusal("bob"), v.refusal("carol")), (None, Some((38005, "no".to_owned()))));
    for (status, text) in [(500, reply.as_str()), (200, "not json"), (200, r#"{"ActionStatus":"FAIL","ErrorCode":1,"ErrorInfo":""}"#)] {
        assert!(matches!(read_prev_reply(status, text, &targets), PrevVerdict::Failed(_)), "{status} {text}");
    }
    // A reply without ResultItem allows everything.
    assert_eq!(read_prev_reply(200, r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#, &targets).refusal("bob"), None);
}

#[test]
fn outgoing_queries_verify_with_the_receiver_checks() {
    let q = callback_query(APP, "Sns.CallbackFriendAdd", Origin { client_ip: "127.0.0.1", platform: "RESTAPI" }, Some("tok"), 1700000000);
    assert!(q.starts_with("SdkAppid=1400000000&CallbackCommand=Sns.CallbackFriendAdd&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign="));
    assert!(verify(json!({ "query": q, "token": "tok", "sdkAppId": APP, "now": 1700000000 })).valid);
    let unsigned = callback_query(APP, "Sns.CallbackFriendAdd", Origin { client_ip: "127.0.0.1", platform: "Web" }, None, 1);
    assert!(!unsigned.contains("Sign="));
}

fn config(token: Option<&str>) -> HandlerConfig {
    HandlerConfig::from_json(&json!({ "sdkAppId": APP, "token": token, "on": {}, "maxBodyBytes": 1000 })).unwrap()
}

#[test]
fn the_handler_decision_refuses_dispatches_and_passes_unknown_commands() {
    let now = 1700000000;
    let url = format!("/cb?{}", callback_query(APP, "Sns.CallbackBlackListAdd", Origin { client_ip: "1.1.1.1", platform: "RESTAPI" }, Some("tok"), now));
    let body = r#"{"CallbackCommand":"Sns.CallbackBlackListAdd","PairList":[{"From_Account":"a","To_Account":"b"}]}"#;
    let c = config(Some("tok"));
    assert!(matches!(intake(&c, "POST", &url, body, false, now), Decision::Dispatch { ref command, .. } if command == "Sns.CallbackBlackListAdd"));
    let status = |d: Decision| match d {
        Decision::Refuse { status, reason, .. } => (status, reason),
        other => panic!("{other:?}"),
    };
    assert_eq!(status(intake(&c, "GET", &url, body, false, now)), (405, "method-not-allowed".into()));
    assert_eq!(status(intake(&c, "POST", &url, body, true, now)), (413, "too-large".into()));
    assert_eq!(status(intake(&c, "POST", &url, &" ".repeat(1001), false, now)), (413, "too-large".into()));
    assert_eq!(status(intake(&c, "POST", &url, body, false, now + 61)), (401, "stale".into()));
    assert_eq!(status(intake(&config(Some("other")), "POST", &url, body, false, now)), (401, "bad-signature".into()));
    assert_eq!(status(intake(&c, "POST", &url, "{", false, now)), (400, "decode".into()));
    assert_eq!(status(intake(&c, "POST", "/cb", body, false, now)), (400, "malformed".into()));
    let unknown = r#"{"CallbackCommand":"Group.CallbackAfterNewMemberJoin"}"#;
    let url2 = url.replace("Sns.CallbackBlackListAdd", "Group.CallbackAfterNewMemberJoin");
    assert!(matches!(intake(&c, "POST", &url2, unknown, false, now), Decision::Unknown { .. }));
    let json = intake(&c, "POST", &url, body, false, now).to_json();
    assert_eq!((json["kind"].clone(), json["before"].clone(), json["reply"]["ErrorCode"].clone()), (json!("dispatch"), json!(false), json!(0)));
}

#[test]
fn hook_results_become_replies() {
    let cb = prev_add();
    assert_eq!(finish(&cb, &Value::Null).unwrap()["ResultItem"][1]["ResultCode"], json!(0));
    let refused = finish(&cb, &json!([{ "To_Account": "bob", "ResultCode": 38100 }])).unwrap();
    assert_eq!(refused["ResultItem"][0]["ResultCode"], json!(38100));
    // A built reply passes through the same checks.
    assert_eq!(finish(&cb, &refused).unwrap(), refused);
    let mut bad = refused.clone();
    bad["ResultItem"][0]["ResultCode"] = json!(5);
    assert!(finish(&cb, &bad).is_err());
    assert!(finish(&cb, &json!("yes")).is_err());
    let after = json!({ "CallbackCommand": "Sns.CallbackFriendAdd", "PairList": [] });
    assert_eq!(finish(&after, &json!("ignored")).unwrap(), json!({ "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "" }));
}

#[test]
fn handler_options_need_an_explicit_token() {
    let e = HandlerConfig::from_json(&json!({ "sdkAppId": APP })).unwrap_err();
    assert_eq!(e.as_slice()[0].path, "token");
    assert!(HandlerConfig::from_json(&json!({ "sdkAppId": APP, "token": null, "onUnknown": null })).is_ok());
    assert!(HandlerConfig::from_json(&json!({ "sdkAppId": APP, "token": null, "on": {}, "typo": 1 })).is_err());
}
