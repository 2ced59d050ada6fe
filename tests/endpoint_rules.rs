//! Boundary tests of the documented request rules: the exact limit passes,
//! one past fails with the right path and rule.

use serde_json::{Value, json};
use tim_sns::model::Command::{self, *};
use tim_sns::validate::schema::Options;

fn violations(cmd: Command, body: Value) -> Vec<String> {
    cmd.validate_request(&body, &Options::REQUEST)
        .into_vec()
        .into_iter()
        .map(|v| format!("{}|{}", v.path, v.rule))
        .collect()
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("user{i}")).collect()
}

fn add(item: Value) -> Value {
    json!({ "From_Account": "alice", "AddFriendItem": [item] })
}

const NONE: [&str; 0] = [];

#[test]
fn user_ids_are_1_to_32_bytes() {
    assert_eq!(violations(FriendDeleteAll, json!({ "From_Account": "a".repeat(32) })), NONE);
    assert_eq!(violations(FriendDeleteAll, json!({ "From_Account": "a".repeat(33) })), ["From_Account|max-bytes"]);
    assert_eq!(violations(FriendDeleteAll, json!({ "From_Account": "" })), ["From_Account|non-empty"]);
    assert_eq!(violations(FriendDeleteAll, json!({ "From_Account": 42 })), ["From_Account|type"]);
}

#[test]
fn remark_is_at_most_96_bytes_counting_utf8() {
    let ok = "备".repeat(32); // 96 bytes
    let over = format!("{ok}a");
    let item = |r: &str| json!({ "To_Account": "bob", "AddSource": "AddSource_Type_Web", "Remark": r });
    assert_eq!(violations(FriendAdd, add(item(&ok))), NONE);
    assert_eq!(violations(FriendAdd, add(item(&over))), ["AddFriendItem[0].Remark|max-bytes"]);
}

#[test]
fn add_wording_is_at_most_256_bytes() {
    let item = |n: usize| json!({ "To_Account": "bob", "AddSource": "AddSource_Type_Web", "AddWording": "w".repeat(n) });
    assert_eq!(violations(FriendAdd, add(item(256))), NONE);
    assert_eq!(violations(FriendAdd, add(item(257))), ["AddFriendItem[0].AddWording|max-bytes"]);
}

#[test]
fn add_source_keyword_is_1_to_8_letters() {
    let item = |s: &str| json!({ "To_Account": "bob", "AddSource": s });
    for ok in ["AddSource_Type_a", "AddSource_Type_Abcdefgh"] {
        assert_eq!(violations(FriendImport, add(item(ok))), NONE, "{ok}");
    }
    for bad in ["AddSource_Type_", "AddSource_Type_Abcdefghi", "AddSource_Type_Web1", "AddSource_Type_Web_", "addsource_type_Web"] {
        assert_eq!(violations(FriendImport, add(item(bad))), ["AddFriendItem[0].AddSource|pattern"], "{bad}");
    }
}

#[test]
fn group_names_are_1_to_30_bytes_and_at_most_32() {
    let body = |names: Vec<String>| json!({ "From_Account": "alice", "GroupName": names });
    assert_eq!(violations(GroupAdd, body(vec!["g".repeat(30)])), NONE);
    assert_eq!(violations(GroupAdd, body(vec!["g".repeat(31)])), ["GroupName[0]|max-bytes"]);
    assert_eq!(violations(GroupAdd, body(vec![String::new()])), ["GroupName[0]|non-empty"]);
    let names = |n: usize| (0..n).map(|i| format!("list{i}")).collect::<Vec<_>>();
    assert_eq!(violations(GroupDelete, body(names(32))), NONE);
    assert_eq!(violations(GroupDelete, body(names(33))), ["GroupName|max-items"]);
    assert_eq!(violations(GroupDelete, body(vec![])), ["GroupName|non-empty"]);
}

#[test]
fn account_arrays_hold_1_to_1000() {
    for cmd in [FriendDelete, FriendCheck, BlackListAdd, BlackListDelete, BlackListCheck] {
        let body = |n: usize| {
            let mut b = json!({ "From_Account": "alice", "To_Account": ids(n) });
            if cmd == FriendCheck {
                b["CheckType"] = json!("CheckResult_Type_Both");
            }
            if cmd == BlackListCheck {
                b["CheckType"] = json!("BlackCheckResult_Type_Both");
            }
            b
        };
        assert_eq!(violations(cmd, body(1000)), NONE, "{cmd:?}");
        assert_eq!(violations(cmd, body(1001)), ["To_Account|max-items"], "{cmd:?}");
        assert_eq!(violations(cmd, body(0)), ["To_Account|non-empty"], "{cmd:?}");
    }
}

#[test]
fn friend_import_takes_1000_items_and_friend_add_softly_100() {
    let items = |n: usize| (0..n).map(|i| json!({ "To_Account": format!("u{i}"), "AddSource": "AddSource_Type_Import" })).collect::<Vec<_>>();
    assert_eq!(violations(FriendImport, json!({ "From_Account": "a", "AddFriendItem": items(1000) })), NONE);
    assert_eq!(violations(FriendImport, json!({ "From_Account": "a", "AddFriendItem": items(1001) })), ["AddFriendItem|max-items"]);
    assert_eq!(violations(FriendAdd, json!({ "From_Account": "a", "AddFriendItem": items(100) })), NONE);
    assert_eq!(violations(FriendAdd, json!({ "From_Account": "a", "AddFriendItem": items(101) })), ["AddFriendItem|max-items-soft"]);
    let relaxed = Options { soft_limits: false, ..Options::REQUEST };
    assert!(FriendAdd.validate_request(&json!({ "From_Account": "a", "AddFriendItem": items(101) }), &relaxed).is_empty());
}

#[test]
fn friend_get_list_caps_to_account_softly_and_checks_tags() {
    let body = |n: usize, tags: Value| json!({ "From_Account": "a", "To_Account": ids(n), "TagList": tags });
    assert_eq!(violations(FriendGetList, body(100, json!(["Tag_Profile_IM_Nick", "Tag_SNS_Custom_Team", "Tag_Profile_Custom_Tier", "Tag_SNS_IM_Remark"]))), NONE);
    assert_eq!(violations(FriendGetList, body(101, json!(["Tag_SNS_IM_Remark"]))), ["To_Account|max-items-soft"]);
    assert_eq!(violations(FriendGetList, body(1, json!([]))), ["TagList|non-empty"]);
    assert_eq!(violations(FriendGetList, body(1, json!(["Nick"]))), ["TagList[0]|tag-pattern"]);
    assert_eq!(violations(FriendGetList, body(1, json!(["Tag_SNS_Custom_TooLongXY"]))), ["TagList[0]|tag-pattern"]);
}

#[test]
fn friend_update_checks_each_value_by_its_tag() {
    let body = |items: Value| json!({ "From_Account": "a", "UpdateItem": [{ "To_Account": "b", "SnsItem": items }] });
    let ok = json!([
        { "Tag": "Tag_SNS_IM_Remark", "Value": "r".repeat(96) },
        { "Tag": "Tag_SNS_IM_Group", "Value": ["Family"] },
        { "Tag": "Tag_SNS_Custom_Team", "Value": "x".repeat(500) },
        { "Tag": "Tag_SNS_Custom_Score", "Value": 7 }
    ]);
    assert_eq!(violations(FriendUpdate, body(ok)), NONE);
    let bad = json!([
        { "Tag": "Tag_SNS_IM_Remark", "Value": "r".repeat(97) },
        { "Tag": "Tag_SNS_IM_Group", "Value": "Family" },
        { "Tag": "Tag_SNS_Custom_Team", "Value": "x".repeat(501) },
        { "Tag": "Tag_SNS_IM_AddSource", "Value": "AddSource_Type_Web" },
        { "Tag": "Tag_SNS_Custom_Score", "Value": [1] }
    ]);
    assert_eq!(
        violations(FriendUpdate, body(bad)),
        [
            "UpdateItem[0].SnsItem[0].Value|max-bytes",
            "UpdateItem[0].SnsItem[1].Value|type",
            "UpdateItem[0].SnsItem[2].Value|max-bytes",
            "UpdateItem[0].SnsItem[3].Tag|updatable-tag",
            "UpdateItem[0].SnsItem[4].Value|type",
        ]
    );
    assert_eq!(violations(FriendUpdate, body(json!([]))), ["UpdateItem[0].SnsItem|non-empty"]);
}

#[test]
fn enums_and_ints_are_exact() {
    let del = |t: &str| json!({ "From_Account": "a", "To_Account": ["b"], "DeleteType": t });
    assert_eq!(violations(FriendDelete, del("Delete_Type_Both")), NONE);
    assert_eq!(violations(FriendDelete, del("Delete_Type_both")), ["DeleteType|enum"]);
    let force = |f: Value| json!({ "From_Account": "a", "AddFriendItem": [{ "To_Account": "b", "AddSource": "AddSource_Type_Web" }], "ForceAddFlags": f });
    assert_eq!(violations(FriendAdd, force(json!(1))), NONE);
    assert_eq!(violations(FriendAdd, force(json!(2))), ["ForceAddFlags|enum"]);
    assert_eq!(violations(FriendAdd, force(json!("1"))), ["ForceAddFlags|type"]);
    let page = |m: Value| json!({ "From_Account": "a", "StartIndex": 0, "MaxLimited": m, "LastSequence": 0 });
    assert_eq!(violations(BlackListGet, page(json!(1000))), NONE);
    assert_eq!(violations(BlackListGet, page(json!(1001))), ["MaxLimited|integer-range"]);
    assert_eq!(violations(BlackListGet, page(json!(0))), ["MaxLimited|integer-range"]);
    assert_eq!(violations(FriendGet, json!({ "From_Account": "a", "StartIndex": -1 })), ["StartIndex|integer-range"]);
}

#[test]
fn typos_and_missing_fields_are_all_reported() {
    assert_eq!(
        violations(FriendCheck, json!({ "From_account": "a", "To_Account": ["b"], "Checktype": "CheckResult_Type_Both" })),
        ["Checktype|unknown-field", "From_account|unknown-field", "From_Account|required", "CheckType|required"]
    );
    assert_eq!(violations(GroupGet, json!([])), ["input|type"]);
}

#[test]
fn duplicate_targets_are_a_soft_rule_in_short_and_long_lists() {
    for n in [3, 40] {
        let mut accounts = ids(n);
        accounts[n - 1] = accounts[0].clone();
        let body = json!({ "From_Account": "a", "To_Account": accounts });
        let at = format!("To_Account[{}]|duplicate", n - 1);
        assert_eq!(violations(BlackListAdd, body.clone()), [at.as_str()], "{n} items");
        let relaxed = Options { soft_limits: false, ..Options::REQUEST };
        assert!(BlackListAdd.validate_request(&body, &relaxed).is_empty());
    }
}

#[test]
fn custom_tags_take_1_to_8_letters_and_import_lists_at_most_32() {
    let item = |tag: &str, groups: usize| {
        add(json!({ "To_Account": "b", "AddSource": "AddSource_Type_Import",
            "GroupName": (0..groups).map(|i| format!("g{i}")).collect::<Vec<_>>(),
            "CustomItem": [{ "Tag": tag, "Value": 1 }] }))
    };
    assert_eq!(violations(FriendImport, item("Tag_SNS_Custom_Abcdefgh", 32)), NONE);
    assert_eq!(
        violations(FriendImport, item("Tag_SNS_Custom_Abcdefghi", 33)),
        ["AddFriendItem[0].GroupName|max-items", "AddFriendItem[0].CustomItem[0].Tag|pattern"]
    );
    assert_eq!(violations(FriendImport, item("Tag_SNS_Custom_", 1)), ["AddFriendItem[0].CustomItem[0].Tag|pattern"]);
}

/// What widely used third-party clients send by default: every optional text of an add or
/// import item present but empty. Where the docs are silent this means "not set".
fn client_default_item(cmd: Command) -> Value {
    let mut item = json!({ "To_Account": "bob", "AddSource": "AddSource_Type_Web", "Remark": "", "AddWording": "" });
    if cmd == FriendAdd {
        item["GroupName"] = json!("");
    } else {
        item["GroupName"] = json!([]);
        item["RemarkTime"] = json!(0);
        item["AddTime"] = json!(0);
        item["CustomItem"] = json!([]);
    }
    add(item)
}

#[test]
fn empty_optional_texts_in_add_and_import_items_mean_not_set() {
    for cmd in [FriendAdd, FriendImport] {
        assert_eq!(violations(cmd, client_default_item(cmd)), NONE, "{cmd:?}");
    }
    // The other side of each boundary: one byte over the limit still fails.
    let over = json!({ "To_Account": "bob", "AddSource": "AddSource_Type_Web", "GroupName": "g".repeat(31) });
    assert_eq!(violations(FriendAdd, add(over)), ["AddFriendItem[0].GroupName|max-bytes"]);
    let thirty = json!({ "To_Account": "bob", "AddSource": "AddSource_Type_Web", "GroupName": "g".repeat(30) });
    assert_eq!(violations(FriendAdd, add(thirty)), NONE);
    // In an import array each name that is given must be a real name.
    let blank = json!({ "To_Account": "bob", "AddSource": "AddSource_Type_Web", "GroupName": [""] });
    assert_eq!(violations(FriendImport, add(blank)), ["AddFriendItem[0].GroupName[0]|non-empty"]);
    // An empty AddSource keyword is not an optional text: still refused.
    let source = json!({ "To_Account": "bob", "AddSource": "" });
    assert_eq!(violations(FriendAdd, add(source)), ["AddFriendItem[0].AddSource|pattern"]);
}

#[test]
fn group_add_still_refuses_empty_list_names_where_the_docs_speak() {
    let body = |names: Value| json!({ "From_Account": "alice", "GroupName": names });
    assert_eq!(violations(GroupAdd, body(json!([""]))), ["GroupName[0]|non-empty"]);
    assert_eq!(violations(GroupAdd, body(json!([]))), ["GroupName|non-empty"]);
    assert_eq!(violations(GroupAdd, body(json!(["a"]))), NONE);
}
