//! Every sample request and response in tests/fixtures/ (Tencent's documented samples and the
//! project's own, extracted by scripts/extract-fixtures.py) passes the endpoint schemas.

use serde_json::Value;
use std::fs;
use std::path::Path;
use tim_sns::model::Command;
use tim_sns::validate::schema::{Options, fill_lists};

fn fixtures(dir: &str) -> Vec<(String, Value)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(dir);
    let mut out: Vec<(String, Value)> = fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .map(|entry| {
            let p = entry.unwrap().path();
            let text = fs::read_to_string(&p).unwrap();
            (p.file_name().unwrap().to_string_lossy().into_owned(), serde_json::from_str(&text).unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_endpoint_has_request_and_response_samples() {
    for cmd in Command::ALL {
        let files = fixtures(cmd.wire_name());
        assert!(files.iter().any(|(n, _)| n.ends_with("-request.json")), "{}: no request sample", cmd.wire_name());
        assert!(files.iter().any(|(n, _)| n.ends_with("-response.json")), "{}: no response sample", cmd.wire_name());
    }
    assert_eq!(Command::ALL.len(), 15);
}

#[test]
fn every_sample_request_validates() {
    let mut count = 0;
    for cmd in Command::ALL {
        for (name, body) in fixtures(cmd.wire_name()).into_iter().filter(|(n, _)| n.ends_with("-request.json")) {
            let v = cmd.validate_request(&body, &Options::REQUEST);
            assert!(v.is_empty(), "{}/{name}: {v}", cmd.wire_name());
            count += 1;
        }
    }
    assert!(count >= 35, "only {count} request samples");
}

#[test]
fn every_sample_response_decodes() {
    let mut count = 0;
    for cmd in Command::ALL {
        for (name, body) in fixtures(cmd.wire_name()).into_iter().filter(|(n, _)| n.ends_with("-response.json")) {
            let v = cmd.check_response(&body);
            assert!(v.is_empty(), "{}/{name}: {v}", cmd.wire_name());
            count += 1;
        }
    }
    for (name, body) in fixtures("envelope") {
        assert!(Command::FriendAdd.check_response(&body).is_empty(), "envelope/{name}");
    }
    assert!(count >= 35, "only {count} response samples");
}

#[test]
fn wire_names_round_trip() {
    for cmd in Command::ALL {
        assert_eq!(Command::from_wire(cmd.wire_name()), Some(*cmd));
        assert_eq!(cmd.path(), format!("v4/sns/{}", cmd.wire_name()));
    }
    assert_eq!(Command::from_wire("friend_get_all"), None, "the retired API is not a command");
}

#[test]
fn typed_structs_read_and_write_every_sample_unchanged() {
    for cmd in Command::ALL {
        for (name, body) in fixtures(cmd.wire_name()) {
            let back = if name.ends_with("-request.json") { cmd.typed_request(&body) } else { cmd.typed_response(&body) };
            let back = back.unwrap_or_else(|e| panic!("{}/{name}: {e}", cmd.wire_name()));
            let mut expected = body.clone();
            if !name.ends_with("-request.json") {
                fill_lists(&mut expected, cmd.response_fields());
            }
            assert_eq!(back, expected, "{}/{name} changed in a typed round trip", cmd.wire_name());
        }
    }
}

#[test]
fn typed_requests_reject_unknown_fields_like_the_schema() {
    let body = serde_json::json!({ "From_account": "a", "StartIndex": 0 });
    assert!(Command::FriendGet.typed_request(&body).is_err());
    assert!(!Command::FriendGet.validate_request(&body, &Options::REQUEST).is_empty());
}

/// Every array a reply's type declares is present after parsing, at any depth, even when the
/// service leaves it out: users read `reply.ResultItem` without `?? []`.
#[test]
fn parsed_replies_carry_every_array_of_their_type() {
    let bare = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;
    for cmd in Command::ALL {
        let reply = cmd.parse(bare).unwrap_or_else(|e| panic!("{}: {e:?}", cmd.wire_name()));
        cmd.typed_response(&reply).unwrap_or_else(|e| panic!("{}: the typed struct refuses a bare reply: {e}", cmd.wire_name()));
        for field in cmd.response_fields() {
            if matches!(field.rule, tim_sns::validate::schema::Rule::List { .. }) {
                assert_eq!(reply[field.name], serde_json::json!([]), "{}.{}", cmd.wire_name(), field.name);
            }
        }
    }
    // Nested: a friend_get page whose friends carry no ValueItem, a group_get list without members.
    let page = Command::FriendGet.parse(r#"{"ActionStatus":"OK","ErrorCode":0,"UserDataItem":[{"To_Account":"bob"}],"CompleteFlag":1}"#).unwrap();
    assert_eq!(page["UserDataItem"][0]["ValueItem"], serde_json::json!([]));
    let lists = Command::GroupGet.parse(r#"{"ActionStatus":"OK","ErrorCode":0,"ResultItem":[{"GroupName":"g","FriendNumber":0}]}"#).unwrap();
    assert_eq!(lists["ResultItem"][0]["To_Account"], serde_json::json!([]));
    // Sent arrays are kept as they are.
    let sent = Command::FriendDelete.parse(r#"{"ActionStatus":"OK","ErrorCode":0,"ResultItem":[{"To_Account":"b","ResultCode":0}],"Fail_Account":["x"]}"#).unwrap();
    assert_eq!(sent["Fail_Account"], serde_json::json!(["x"]));
    assert_eq!(sent["ResultItem"][0]["To_Account"], "b");
}
