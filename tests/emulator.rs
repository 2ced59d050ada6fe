//! Scenarios against the in-process emulator: every reply must also parse with the client's
//! own response rules, so emulator and client agree on the wire.

use serde_json::{Value, json};
use tim_sns::emulator::Emulator;
use tim_sns::model::Command;
use tim_sns::model::wire::{ParseError, parse_reply};
use tim_sns::usersig::{SigParams, generate};

const APP: u64 = 1400000000;
const KEY: &str = "emulator-test-key";
const ADMIN: &str = "administrator";
const NOW_MS: u64 = 1_800_000_000_000;

struct Harness {
    emu: Emulator,
    sig: String,
    now_ms: u64,
}

impl Harness {
    fn new(users: &[&str]) -> Self {
        let mut emu = Emulator::new(APP, KEY, ADMIN);
        emu.import(users);
        let sig = generate(KEY, &SigParams { sdk_app_id: APP, identifier: ADMIN, time: NOW_MS / 1000, expire: 86400, userbuf: None });
        Self { emu, sig, now_ms: NOW_MS }
    }

    fn raw(&mut self, path: &str, query: &str, body: Value) -> Value {
        self.now_ms += 10; // calls spread out: the rate limit is tested on its own
        let reply = self.emu.handle(path, query, &body.to_string(), self.now_ms);
        assert_eq!(reply.status, 200);
        serde_json::from_str(&reply.body).unwrap()
    }

    fn query(&self) -> String {
        format!("sdkappid={APP}&identifier={ADMIN}&usersig={}&random=42&contenttype=json", self.sig)
    }

    /// A call whose reply must parse with the client's rules; returns it or its error code.
    fn call(&mut self, command: &str, body: Value) -> Result<Value, u32> {
        let q = self.query();
        let reply = self.raw(&format!("/v4/sns/{command}"), &q, body);
        match parse_reply(&reply.to_string(), Command::from_wire(command)) {
            Ok(v) => Ok(v),
            Err(ParseError::Api(f)) => Err(f.error_code),
            Err(e) => panic!("{command}: the emulator's reply breaks the documented shape: {e:?}"),
        }
    }

    fn codes(&mut self, command: &str, body: Value, key: &str) -> Vec<(String, u64)> {
        let r = self.call(command, body).unwrap();
        r[key].as_array().unwrap().iter().map(|i| (i["To_Account"].as_str().unwrap().to_owned(), i["ResultCode"].as_u64().unwrap())).collect()
    }

    fn allow(&mut self, user: &str, allow: &str) {
        let q = self.query();
        let r = self.raw("/v4/profile/portrait_set", &q, json!({ "From_Account": user, "ProfileItem": [{ "Tag": "Tag_Profile_IM_AllowType", "Value": allow }] }));
        assert_eq!(r["ErrorCode"], json!(0));
    }
}

fn add(from: &str, to: &[&str]) -> Value {
    json!({ "From_Account": from, "AddFriendItem": to.iter().map(|t| json!({ "To_Account": t, "AddSource": "AddSource_Type_Test" })).collect::<Vec<_>>() })
}

#[test]
fn request_checks_answer_like_the_service() {
    let mut h = Harness::new(&["alice"]);
    let body = json!({ "From_Account": "alice", "StartIndex": 0 });
    let cases = [
        (format!("identifier={ADMIN}&usersig={}&random=1&contenttype=json", h.sig), 60012),
        (format!("sdkappid=1&identifier={ADMIN}&usersig={}&random=1&contenttype=json", h.sig), 70020),
        (format!("sdkappid={APP}&identifier={ADMIN}&usersig=&random=1&contenttype=json"), 70002),
        (format!("sdkappid={APP}&identifier={ADMIN}&usersig=garbage&random=1&contenttype=json"), 70003),
        (format!("sdkappid={APP}&identifier=alice&usersig={}&random=1&contenttype=json", h.sig), 70013),
        (format!("sdkappid={APP}&identifier={ADMIN}&usersig={}&random=x&contenttype=json", h.sig), 60025),
        (format!("sdkappid={APP}&identifier={ADMIN}&usersig={}&random=1&contenttype=xml", h.sig), 60025),
    ];
    for (query, code) in cases {
        assert_eq!(h.raw("/v4/sns/friend_get", &query, body.clone())["ErrorCode"], json!(code), "{query}");
    }
    let forged = generate("wrong-key", &SigParams { sdk_app_id: APP, identifier: ADMIN, time: NOW_MS / 1000, expire: 86400, userbuf: None });
    let q = format!("sdkappid={APP}&identifier={ADMIN}&usersig={forged}&random=1&contenttype=json");
    assert_eq!(h.raw("/v4/sns/friend_get", &q, body.clone())["ErrorCode"], json!(70009));
    let old = generate(KEY, &SigParams { sdk_app_id: APP, identifier: ADMIN, time: 1_000_000, expire: 60, userbuf: None });
    let q = format!("sdkappid={APP}&identifier={ADMIN}&usersig={old}&random=1&contenttype=json");
    assert_eq!(h.raw("/v4/sns/friend_get", &q, body.clone())["ErrorCode"], json!(70001));
    assert_eq!(h.call("friend_get", json!({ "From_Account": "alice" })), Err(30001), "validation as 30001");
    assert_eq!(h.call("friend_get", json!({ "From_Account": "nobody", "StartIndex": 0 })), Err(30003));
    let q = h.query();
    assert_eq!(h.raw("/v4/sns/nothing", &q, body)["ErrorCode"], json!(60009));
}

#[test]
fn a_refused_body_names_every_violation_whichever_check_decides() {
    let mut h = Harness::new(&["alice", "bob", "carol"]);
    let q = h.query();
    // The streaming check refuses this one; the walk's report still names both items.
    let bad = json!({ "From_Account": "alice", "AddFriendItem": [{ "To_Account": "bob", "AddSource": "wrong" }, { "AddSource": "AddSource_Type_Test" }] });
    let r = h.raw("/v4/sns/friend_import", &q, bad);
    assert_eq!(r["ErrorCode"], json!(30001));
    let info = r["ErrorInfo"].as_str().unwrap();
    assert!(info.contains("AddFriendItem[0].AddSource") && info.contains("AddFriendItem[1].To_Account"), "{info}");
    // A null is left to the walk.
    let null = json!({ "From_Account": "alice", "AddFriendItem": [{ "To_Account": "bob", "AddSource": null }] });
    let r = h.raw("/v4/sns/friend_import", &q, null);
    assert_eq!(r["ErrorCode"], json!(30001));
    assert!(r["ErrorInfo"].as_str().unwrap().contains("AddFriendItem[0].AddSource"));
    // The service's own limits only: a repeated target (a soft limit of the client) passes.
    assert_eq!(h.codes("black_list_add", json!({ "From_Account": "alice", "To_Account": ["carol", "carol"] }), "ResultItem").len(), 2);
    // And a valid body is applied.
    assert_eq!(h.codes("friend_import", add("alice", &["bob"]), "ResultItem"), [("bob".to_owned(), 0)]);
}

#[test]
fn over_200_calls_a_second_per_endpoint_is_60007() {
    let mut h = Harness::new(&["alice"]);
    let q = h.query();
    let body = json!({ "From_Account": "alice", "StartIndex": 0 }).to_string();
    let codes: Vec<u64> = (0..201)
        .map(|i| serde_json::from_str::<Value>(&h.emu.handle("/v4/sns/friend_get", &q, &body, NOW_MS + i).body).unwrap()["ErrorCode"].as_u64().unwrap())
        .collect();
    assert!(codes[..200].iter().all(|&c| c == 0));
    assert_eq!(codes[200], 60007);
    let other = h.emu.handle("/v4/sns/group_get", &q, &json!({ "From_Account": "alice" }).to_string(), NOW_MS + 201);
    assert!(other.body.contains("\"ErrorCode\":0"), "the limit is per endpoint");
    let later = h.emu.handle("/v4/sns/friend_get", &q, &body, NOW_MS + 1001);
    assert!(later.body.contains("\"ErrorCode\":0"), "a second later it passes");
}

#[test]
fn adds_follow_allow_type_and_blocklists() {
    let mut h = Harness::new(&["alice", "bob", "carol", "dave", "erin", "mallory"]);
    h.allow("bob", "AllowType_Type_AllowAny");
    h.allow("dave", "AllowType_Type_DenyAny");
    h.allow("erin", "AllowType_Type_AllowAny");
    h.allow("mallory", "AllowType_Type_AllowAny");
    assert_eq!(h.codes("black_list_add", json!({ "From_Account": "mallory", "To_Account": ["alice"] }), "ResultItem"), [("alice".into(), 0)]);
    assert_eq!(h.codes("black_list_add", json!({ "From_Account": "alice", "To_Account": ["erin"] }), "ResultItem"), [("erin".into(), 0)]);
    let r = h.codes("friend_add", add("alice", &["bob", "carol", "dave", "erin", "mallory", "nobody"]), "ResultItem");
    assert_eq!(r.iter().map(|(_, c)| *c).collect::<Vec<_>>(), [0, 30539, 30516, 30515, 30525, 30003]);
    // Two-way by default: bob has alice too; carol has a pending request from alice.
    let both = h.call("friend_check", json!({ "From_Account": "alice", "To_Account": ["bob", "carol"], "CheckType": "CheckResult_Type_Both" })).unwrap();
    assert_eq!(both["InfoItem"][0]["Relation"], json!("CheckResult_Type_BothWay"));
    assert_eq!(both["InfoItem"][1]["Relation"], json!("CheckResult_Type_NoRelation"));
    assert_eq!(h.emu.snapshot()["carol"]["pendingFrom"], json!(["alice"]));
    // One-way and forced adds.
    let mut single = add("carol", &["alice"]);
    single["AddType"] = json!("Add_Type_Single");
    single["ForceAddFlags"] = json!(1);
    assert_eq!(h.codes("friend_add", single, "ResultItem")[0].1, 0);
    let check = h.call("friend_check", json!({ "From_Account": "alice", "To_Account": ["carol"], "CheckType": "CheckResult_Type_Both" })).unwrap();
    assert_eq!(check["InfoItem"][0]["Relation"], json!("CheckResult_Type_BWithA"));
    // Already a friend.
    assert_eq!(h.codes("friend_add", add("alice", &["bob"]), "ResultItem")[0].1, 30001);
}

#[test]
fn blocking_ends_friendships_and_checks_both_directions() {
    let mut h = Harness::new(&["alice", "bob", "carol"]);
    h.allow("bob", "AllowType_Type_AllowAny");
    h.codes("friend_add", add("alice", &["bob"]), "ResultItem");
    h.codes("black_list_add", json!({ "From_Account": "bob", "To_Account": ["alice"] }), "ResultItem");
    assert_eq!(h.emu.snapshot()["alice"]["friends"], json!({}), "the friendship is gone both ways");
    let r = h.call("black_list_check", json!({ "From_Account": "alice", "To_Account": ["bob", "carol"], "CheckType": "BlackCheckResult_Type_Both" })).unwrap();
    assert_eq!(r["BlackListCheckItem"][0]["Relation"], json!("BlackCheckResult_Type_BWithA"));
    assert_eq!(r["BlackListCheckItem"][1]["Relation"], json!("BlackCheckResult_Type_NO"));
    assert_eq!(h.codes("black_list_delete", json!({ "From_Account": "bob", "To_Account": ["alice", "carol"] }), "ResultItem"), [("alice".into(), 0), ("carol".into(), 30001)]);
}

#[test]
fn capacity_limits() {
    let users: Vec<String> = (0..3002).map(|i| format!("u{i}")).collect();
    let refs: Vec<&str> = users.iter().map(String::as_str).collect();
    let mut h = Harness::new(&refs);
    for chunk in users[1..3001].chunks(1000) {
        let items: Vec<Value> = chunk.iter().map(|t| json!({ "To_Account": t, "AddSource": "AddSource_Type_Import" })).collect();
        let r = h.codes("friend_import", json!({ "From_Account": "u0", "AddFriendItem": items }), "ResultItem");
        assert!(r.iter().all(|(_, c)| *c == 0));
    }
    let one_more = h.codes("friend_import", json!({ "From_Account": "u0", "AddFriendItem": [{ "To_Account": "u3001", "AddSource": "AddSource_Type_Import" }] }), "ResultItem");
    assert_eq!(one_more[0].1, 30010, "3000 friends at most");
    h.allow("u0", "AllowType_Type_AllowAny");
    assert_eq!(h.codes("friend_add", add("u3001", &["u0"]), "ResultItem")[0].1, 30014, "the other side is full");
    for chunk in users[1..1001].chunks(1000) {
        h.codes("black_list_add", json!({ "From_Account": "u3001", "To_Account": chunk }), "ResultItem");
    }
    assert_eq!(h.codes("black_list_add", json!({ "From_Account": "u3001", "To_Account": ["u2000"] }), "ResultItem")[0].1, 30013);
    let lists: Vec<String> = (0..32).map(|i| format!("L{i}")).collect();
    assert!(h.call("group_add", json!({ "From_Account": "u1", "GroupName": lists })).is_ok());
    assert_eq!(h.call("group_add", json!({ "From_Account": "u1", "GroupName": ["one too many"] })), Err(30011));
}

#[test]
fn paging_lists_and_sequences() {
    let users: Vec<String> = (0..251).map(|i| format!("p{i}")).collect();
    let refs: Vec<&str> = users.iter().map(String::as_str).collect();
    let mut h = Harness::new(&refs);
    let items: Vec<Value> = users[1..].iter().map(|t| json!({ "To_Account": t, "AddSource": "AddSource_Type_Import" })).collect();
    h.codes("friend_import", json!({ "From_Account": "p0", "AddFriendItem": items }), "ResultItem");
    let (mut start, mut seen, mut pages) = (0, Vec::new(), 0);
    loop {
        let page = h.call("friend_get", json!({ "From_Account": "p0", "StartIndex": start })).unwrap();
        pages += 1;
        seen.extend(page["UserDataItem"].as_array().unwrap().iter().map(|u| u["To_Account"].as_str().unwrap().to_owned()));
        if page["CompleteFlag"] != json!(0) {
            assert_eq!(page["FriendNum"], json!(250));
            break;
        }
        start = page["NextStartIndex"].as_u64().unwrap();
    }
    assert_eq!((pages, seen.len()), (3, 250));
    let seq = |h: &mut Harness| h.call("group_get", json!({ "From_Account": "p0" })).unwrap()["CurrentSequence"].as_u64().unwrap();
    let before = seq(&mut h);
    let added = h.call("group_add", json!({ "From_Account": "p0", "GroupName": ["Climbing"], "To_Account": ["p1", "p2", "zed"] })).unwrap();
    assert_eq!(added["Fail_Account"], json!(["zed"]));
    assert_eq!(added["ResultItem"][2]["ResultCode"], json!(32216));
    assert!(seq(&mut h) > before, "list changes move the sequence");
    let lists = h.call("group_get", json!({ "From_Account": "p0", "NeedFriend": "Need_Friend_Type_Yes" })).unwrap();
    assert_eq!(lists["ResultItem"], json!([{ "GroupName": "Climbing", "FriendNumber": 2, "To_Account": ["p1", "p2"] }]));
    h.call("friend_update", json!({ "From_Account": "p0", "UpdateItem": [{ "To_Account": "p1", "SnsItem": [{ "Tag": "Tag_SNS_IM_Remark", "Value": "Pat" }, { "Tag": "Tag_SNS_IM_Group", "Value": [] }] }] })).unwrap();
    let got = h.call("friend_get_list", json!({ "From_Account": "p0", "To_Account": ["p1", "zed"], "TagList": ["Tag_SNS_IM_Remark"] })).unwrap();
    assert_eq!(got["InfoItem"][0]["SnsProfileItem"], json!([{ "Tag": "Tag_SNS_IM_Remark", "Value": "Pat" }]));
    assert_eq!(got["InfoItem"][1]["ResultCode"], json!(30001));
    h.call("group_delete", json!({ "From_Account": "p0", "GroupName": ["Climbing"] })).unwrap();
    assert_eq!(h.call("group_delete", json!({ "From_Account": "p0", "GroupName": ["Climbing"] })), Err(30001));
    let blocked = h.call("black_list_get", json!({ "From_Account": "p0", "StartIndex": 0, "MaxLimited": 10, "LastSequence": 0 })).unwrap();
    assert_eq!((blocked["StartIndex"].clone(), blocked["CurrentSequence"].clone()), (json!(0), json!(0)));
}

#[test]
fn deletes_single_and_both() {
    let mut h = Harness::new(&["a", "b", "c"]);
    h.allow("b", "AllowType_Type_AllowAny");
    h.allow("c", "AllowType_Type_AllowAny");
    h.codes("friend_add", add("a", &["b", "c"]), "ResultItem");
    assert_eq!(h.codes("friend_delete", json!({ "From_Account": "a", "To_Account": ["b", "zz"] }), "ResultItem"), [("b".into(), 0), ("zz".into(), 31704)]);
    assert_eq!(h.emu.snapshot()["b"]["friends"].as_object().unwrap().len(), 1, "single: b still has a");
    h.call("friend_delete", json!({ "From_Account": "a", "To_Account": ["c"], "DeleteType": "Delete_Type_Both" })).unwrap();
    assert!(h.emu.snapshot()["c"]["friends"].as_object().unwrap().is_empty());
    h.call("friend_delete_all", json!({ "From_Account": "b", "DeleteType": "Delete_Type_Both" })).unwrap();
    assert!(h.emu.snapshot()["b"]["friends"].as_object().unwrap().is_empty());
}

#[test]
fn setup_calls_import_check_and_delete_accounts() {
    let mut h = Harness::new(&[]);
    let q = h.query();
    assert_eq!(h.raw("/v4/im_open_login_svc/account_import", &q, json!({ "UserID": "zoe" }))["ErrorCode"], json!(0));
    assert_eq!(h.raw("/v4/im_open_login_svc/multiaccount_import", &q, json!({ "Accounts": ["x", "y"] }))["FailAccounts"], json!([]));
    // A malformed body is refused whole, as the service does; 100 accounts pass, 101 do not.
    let hundred: Vec<String> = (0..100).map(|i| format!("n{i}")).collect();
    assert_eq!(h.raw("/v4/im_open_login_svc/multiaccount_import", &q, json!({ "Accounts": hundred }))["FailAccounts"], json!([]));
    let many: Vec<String> = (0..101).map(|i| format!("m{i}")).collect();
    for bad in [json!({ "Accounts": many }), json!({ "Accounts": [] }), json!({ "Accounts": "x" }), json!({ "Accounts": [1] }), json!({})] {
        assert_eq!(h.raw("/v4/im_open_login_svc/multiaccount_import", &q, bad.clone())["ErrorCode"], json!(70402), "{bad}");
    }
    let check = h.raw("/v4/im_open_login_svc/account_check", &q, json!({ "CheckItem": [{ "UserID": "x" }, { "UserID": "nope" }] }));
    assert_eq!(check["ResultItem"][1]["AccountStatus"], json!("NotImported"));
    h.raw("/v4/im_open_login_svc/account_delete", &q, json!({ "DeleteItem": [{ "UserID": "x" }] }));
    assert!(h.emu.snapshot().get("x").is_none());
    let p = h.raw("/v4/profile/portrait_get", &q, json!({ "To_Account": ["zoe"], "TagList": ["Tag_Profile_IM_AllowType"] }));
    assert_eq!(p["UserProfileItem"][0]["ProfileItem"][0]["Value"], json!("AllowType_Type_NeedConfirm"));
}

#[test]
fn empty_optional_texts_from_third_party_clients_mean_not_set() {
    let mut h = Harness::new(&["alice", "bob", "carol"]);
    h.allow("bob", "AllowType_Type_AllowAny");
    // A widely used Python client's default friend_add item: every optional text present, empty.
    let item = json!({ "To_Account": "bob", "AddSource": "AddSource_Type_Web", "Remark": "", "GroupName": "", "AddWording": "" });
    let r = h.codes("friend_add", json!({ "From_Account": "alice", "AddFriendItem": [item] }), "ResultItem");
    assert_eq!(r, [("bob".into(), 0)]);
    let import = json!({ "To_Account": "carol", "AddSource": "AddSource_Type_Import", "Remark": "", "GroupName": [], "AddWording": "", "AddTime": 0, "RemarkTime": 0, "CustomItem": [] });
    assert_eq!(h.codes("friend_import", json!({ "From_Account": "alice", "AddFriendItem": [import] }), "ResultItem"), [("carol".into(), 0)]);
    let snap = h.emu.snapshot();
    assert_eq!(snap["alice"]["lists"], json!([]), "no list named \"\" was created");
    assert_eq!(snap["alice"]["friends"]["bob"]["groups"], json!([]));
    assert_eq!(snap["alice"]["friends"]["carol"]["addTime"], json!(h.now_ms / 1000), "AddTime 0 means now");
    // The other side: a named list is still made, and group_add still refuses an empty name.
    let named = json!({ "To_Account": "carol", "AddSource": "AddSource_Type_Web", "GroupName": "g".repeat(30) });
    h.allow("carol", "AllowType_Type_AllowAny");
    h.call("friend_delete", json!({ "From_Account": "alice", "To_Account": ["carol"] })).unwrap();
    assert_eq!(h.codes("friend_add", json!({ "From_Account": "alice", "AddFriendItem": [named] }), "ResultItem")[0].1, 0);
    assert_eq!(h.emu.snapshot()["alice"]["lists"], json!(["g".repeat(30)]));
    assert_eq!(h.call("group_add", json!({ "From_Account": "alice", "GroupName": [""] })), Err(30001));
}

#[test]
fn a_reply_with_error_code_but_no_action_status_is_read_by_the_code() {
    let ok = parse_reply(r#"{"ErrorCode":0,"ResultItem":[{"To_Account":"b","ResultCode":0}]}"#, Some(Command::FriendAdd)).unwrap();
    assert_eq!(ok["ActionStatus"], json!("OK"), "filled in so the typed envelope holds");
    assert_eq!(ok["ResultItem"][0]["outcome"], json!("ok"));
    match parse_reply(r#"{"ErrorCode":70001,"ErrorInfo":"expired"}"#, Some(Command::FriendGet)) {
        Err(ParseError::Api(f)) => assert_eq!(f.error_code, 70001),
        other => panic!("expected an API failure, got {other:?}"),
    }
    // Neither field: not a reply of this API.
    assert!(matches!(parse_reply(r#"{"ResultItem":[]}"#, Some(Command::FriendAdd)), Err(ParseError::Decode { .. })));
}
