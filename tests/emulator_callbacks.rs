//! The callbacks the emulator queues: which REST calls send which
//! "after" callback with which pairs, none for friend_import, and the simulated client
//! requests with the app's verdict on their "before" callback. Every body must parse with the
//! receiver's own rules.

use serde_json::{Value, json};
use tim_sns::emulator::Emulator;
use tim_sns::usersig::{SigParams, generate};
use tim_sns::webhook::callbacks::SnsCallback;
use tim_sns::webhook::reply::{PrevVerdict, prev_reply, read_prev_reply, targets};
use tim_sns::webhook::{Parsed, parse_callback};

const APP: u64 = 1400000000;
const KEY: &str = "emulator-test-key";
const NOW_MS: u64 = 1_800_000_000_000;

fn emulator(users: &[&str]) -> Emulator {
    let mut emu = Emulator::new(APP, KEY, "administrator");
    emu.import(users);
    for u in users {
        emu.accounts.get_mut(*u).unwrap().allow_type = tim_sns::emulator::state::AllowType::AllowAny;
    }
    emu
}

fn call(emu: &mut Emulator, command: &str, body: Value) -> Value {
    let sig = generate(KEY, &SigParams { sdk_app_id: APP, identifier: "administrator", time: NOW_MS / 1000, expire: 86400, userbuf: None });
    let q = format!("sdkappid={APP}&identifier=administrator&usersig={sig}&random=7&contenttype=json");
    let reply = emu.handle(&format!("/v4/sns/{command}"), &q, &body.to_string(), NOW_MS);
    serde_json::from_str(&reply.body).unwrap()
}

/// The queued callbacks as (command, pairs "a>b", platform), each checked by parseCallback.
fn sent(emu: &mut Emulator) -> Vec<(String, Vec<String>, &'static str)> {
    emu.take_callbacks()
        .into_iter()
        .map(|e| {
            let Parsed::Known { command, body } = parse_callback("", &e.body.to_string()).expect("parses") else { panic!("unknown") };
            let _typed: SnsCallback = serde_json::from_value(body.clone()).expect("typed");
            assert_eq!(body["EventTime"], json!(NOW_MS));
            let pairs = body["PairList"].as_array().unwrap().iter().map(|p| format!("{}>{}", p["From_Account"].as_str().unwrap(), p["To_Account"].as_str().unwrap())).collect();
            (command, pairs, e.platform)
        })
        .collect()
}

fn cmds<'a>(list: &'a [(String, Vec<String>, &'static str)]) -> Vec<(&'a str, Vec<&'a str>)> {
    list.iter().map(|(c, p, _)| (c.as_str(), p.iter().map(String::as_str).collect())).collect()
}

#[test]
fn rest_calls_send_after_callbacks_with_their_pairs() {
    let mut emu = emulator(&["alice", "bob", "carol", "dave"]);
    call(&mut emu, "friend_add", json!({ "From_Account": "alice", "AddFriendItem": [{ "To_Account": "bob", "AddSource": "AddSource_Type_Web" }, { "To_Account": "nobody", "AddSource": "AddSource_Type_Web" }] }));
    let s = sent(&mut emu);
    assert_eq!(cmds(&s), [("Sns.CallbackFriendAdd", vec!["alice>bob", "bob>alice"])]);
    assert_eq!(s[0].2, "RESTAPI");
    call(&mut emu, "friend_add", json!({ "From_Account": "alice", "AddType": "Add_Type_Single", "ForceAddFlags": 1, "AddFriendItem": [{ "To_Account": "carol", "AddSource": "AddSource_Type_Web" }] }));
    let cb = emu.take_callbacks().remove(0).body;
    assert_eq!((cb["PairList"].as_array().unwrap().len(), cb["ForceFlag"].clone(), cb["Admin_Account"].clone(), cb["ClientCmd"].clone()), (1, json!(1), json!("administrator"), json!("friend_add")));
    assert_eq!(cb["PairList"][0]["Initiator_Account"], json!("alice"));

    call(&mut emu, "friend_import", json!({ "From_Account": "dave", "AddFriendItem": [{ "To_Account": "alice", "AddSource": "AddSource_Type_Import" }] }));
    assert!(sent(&mut emu).is_empty(), "friend_import sends nothing");

    call(&mut emu, "friend_delete", json!({ "From_Account": "alice", "To_Account": ["bob", "dave"], "DeleteType": "Delete_Type_Both" }));
    assert_eq!(cmds(&sent(&mut emu)), [("Sns.CallbackFriendDelete", vec!["alice>bob", "bob>alice"])]);

    // dave imported alice one-way; blocking dave ends that friendship too.
    call(&mut emu, "black_list_add", json!({ "From_Account": "alice", "To_Account": ["dave", "carol"] }));
    assert_eq!(cmds(&sent(&mut emu)), [("Sns.CallbackBlackListAdd", vec!["alice>dave", "alice>carol"]), ("Sns.CallbackFriendDelete", vec!["dave>alice", "alice>carol"])]);
    call(&mut emu, "black_list_delete", json!({ "From_Account": "alice", "To_Account": ["dave", "bob", "carol"] }));
    assert_eq!(cmds(&sent(&mut emu)), [("Sns.CallbackBlackListDelete", vec!["alice>dave", "alice>carol"])]);

    // A failed or pending add, and reads, send nothing.
    emu.accounts.get_mut("bob").unwrap().allow_type = tim_sns::emulator::state::AllowType::NeedConfirm;
    call(&mut emu, "friend_add", json!({ "From_Account": "carol", "AddFriendItem": [{ "To_Account": "bob", "AddSource": "AddSource_Type_Web" }] }));
    call(&mut emu, "friend_get", json!({ "From_Account": "alice" }));
    assert!(sent(&mut emu).is_empty());
    call(&mut emu, "friend_add", json!({ "From_Account": "alice", "AddFriendItem": [{ "To_Account": "carol", "AddSource": "AddSource_Type_Web" }] }));
    emu.take_callbacks();
    call(&mut emu, "friend_delete_all", json!({ "From_Account": "alice" }));
    assert_eq!(cmds(&sent(&mut emu)), [("Sns.CallbackFriendDelete", vec!["alice>carol"])]);
}

#[test]
fn a_client_friend_request_honours_the_apps_refusal() {
    let mut emu = emulator(&["alice", "bob", "carol"]);
    let req = json!({ "From_Account": "alice", "AddFriendItem": [{ "To_Account": "bob", "AddSource": "AddSource_Type_Android", "Remark": "B" }, { "To_Account": "carol", "AddSource": "AddSource_Type_Android" }] });
    let before = emu.prev_friend_add(&req, NOW_MS).unwrap();
    let Parsed::Known { command, body } = parse_callback("", &before.to_string()).unwrap() else { panic!() };
    assert_eq!(command, "Sns.CallbackPrevFriendAdd");
    assert_eq!(targets(&body), ["bob", "carol"]);
    assert_eq!(body["FriendItem"][0]["Remark"], json!("B"));
    // The app refuses carol with its own code.
    let answer = prev_reply(&body, &json!([{ "To_Account": "carol", "ResultCode": 38001, "ResultInfo": "policy" }])).unwrap();
    let verdict = read_prev_reply(200, &answer.to_string(), &targets(&body));
    let reply: Value = serde_json::from_str(&emu.client_friend_add(&req, &verdict, NOW_MS).body).unwrap();
    assert_eq!(reply["ResultItem"][1], json!({ "To_Account": "carol", "ResultCode": 38001, "ResultInfo": "policy" }));
    assert_eq!(reply["ResultItem"][0]["ResultCode"], json!(0));
    assert!(emu.accounts["alice"].friend("carol").is_none() && emu.accounts["carol"].friend("alice").is_none());
    let s = sent(&mut emu);
    assert_eq!(cmds(&s), [("Sns.CallbackFriendAdd", vec!["alice>bob", "bob>alice"])]);
    assert_eq!(s[0].2, "Web");
    // A failed callback proceeds as if allowed.
    let req2 = json!({ "From_Account": "carol", "AddFriendItem": [{ "To_Account": "bob", "AddSource": "AddSource_Type_Android" }] });
    emu.client_friend_add(&req2, &PrevVerdict::Failed("timeout".into()), NOW_MS);
    assert!(emu.accounts["carol"].friend("bob").is_some());
    // Invalid requests are refused before any callback.
    assert!(emu.prev_friend_add(&json!({ "From_Account": "alice", "AddFriendItem": [] }), NOW_MS).is_err());
    assert!(emu.prev_friend_add(&json!({ "From_Account": "zed", "AddFriendItem": [{ "To_Account": "bob", "AddSource": "AddSource_Type_A" }] }), NOW_MS).is_err());
}

#[test]
fn a_client_response_accepts_pending_requests() {
    let mut emu = emulator(&["alice", "bob", "carol"]);
    emu.accounts.get_mut("bob").unwrap().allow_type = tim_sns::emulator::state::AllowType::NeedConfirm;
    let req = json!({ "From_Account": "alice", "AddFriendItem": [{ "To_Account": "bob", "AddSource": "AddSource_Type_Web" }] });
    let r: Value = serde_json::from_str(&emu.client_friend_add(&req, &PrevVerdict::Answered(vec![]), NOW_MS).body).unwrap();
    assert_eq!(r["ResultItem"][0]["ResultCode"], json!(30539));
    assert!(sent(&mut emu).is_empty());
    let answer = json!({ "From_Account": "bob", "ResponseFriendItem": [{ "To_Account": "alice", "ResponseAction": "Response_Action_AgreeAndAdd", "TagName": "Climbing" }, { "To_Account": "carol", "ResponseAction": "Response_Action_Agree" }] });
    let before = emu.prev_friend_response(&answer, NOW_MS).unwrap();
    assert_eq!(targets(&before), ["alice", "carol"]);
    let r: Value = serde_json::from_str(&emu.client_friend_response(&answer, &PrevVerdict::Answered(vec![]), NOW_MS).body).unwrap();
    let codes: Vec<u64> = r["ResultItem"].as_array().unwrap().iter().map(|i| i["ResultCode"].as_u64().unwrap()).collect();
    assert_eq!(codes, [0, 30614]);
    let cb = emu.take_callbacks().remove(0).body;
    assert_eq!(cb["ClientCmd"], json!("friend_response"));
    assert_eq!(cb["PairList"], json!([{ "From_Account": "alice", "To_Account": "bob", "Initiator_Account": "alice" }, { "From_Account": "bob", "To_Account": "alice", "Initiator_Account": "alice" }]));
    assert_eq!(emu.accounts["bob"].friend("alice").unwrap().groups, ["Climbing"]);
    // A refused response leaves the request pending.
    emu.client_friend_add(&json!({ "From_Account": "carol", "AddFriendItem": [{ "To_Account": "bob", "AddSource": "AddSource_Type_Web" }] }), &PrevVerdict::Answered(vec![]), NOW_MS);
    let reject = json!({ "From_Account": "bob", "ResponseFriendItem": [{ "To_Account": "carol", "ResponseAction": "Response_Action_Agree" }] });
    let verdict = PrevVerdict::Answered(vec![("carol".into(), Some((38002, "no".into())))]);
    let r: Value = serde_json::from_str(&emu.client_friend_response(&reject, &verdict, NOW_MS).body).unwrap();
    assert_eq!(r["ResultItem"][0]["ResultCode"], json!(38002));
    assert!(emu.accounts["bob"].pending_from.contains("carol"));
    assert!(sent(&mut emu).is_empty());
}
