//! Native timing of the request check on the 100-item body of scripts/bench-build.mjs:
//! the streaming fast path against the tree walk. `cargo run --release --example codec_speed`
use std::time::Instant;
use tim_sns::model::Command;
use tim_sns::validate::schema::Options;

fn main() {
    let items: Vec<String> = (0..100).map(|i| format!(r#"{{"To_Account":"user_{i}","AddSource":"AddSource_Type_Import","Remark":"Friend number {i}","RemarkTime":{},"GroupName":["Colleagues","Climbing"],"AddWording":"migrated from v1","AddTime":{},"CustomItem":[{{"Tag":"Tag_SNS_Custom_Team","Value":"design"}},{{"Tag":"Tag_SNS_Custom_Score","Value":{i}}}]}}"#, 1700000000 + i, 1690000000 + i)).collect();
    let text = format!(r#"{{"From_Account":"alice","AddFriendItem":[{}]}}"#, items.join(","));
    let cmd = Command::FriendImport;
    let n = 2000;
    let time = |name: &str, f: &dyn Fn() -> bool| {
        assert!(f());
        let t = Instant::now();
        for _ in 0..n {
            assert!(f());
        }
        println!("{name:<32} {:>8.1} us", t.elapsed().as_secs_f64() * 1e6 / n as f64);
    };
    time("stream check", &|| cmd.check_request_text(&text, &Options::REQUEST) == tim_sns::validate::stream::Verdict::Valid);
    let page_items: Vec<String> = (0..100).map(|i| format!(r#"{{"To_Account":"user_{i}","ValueItem":[{{"Tag":"Tag_SNS_IM_AddSource","Value":"AddSource_Type_Web"}},{{"Tag":"Tag_SNS_IM_Remark","Value":"Friend number {i}"}},{{"Tag":"Tag_SNS_IM_Group","Value":["Colleagues","Climbing"]}},{{"Tag":"Tag_SNS_IM_AddTime","Value":{}}},{{"Tag":"Tag_SNS_IM_AddWording","Value":"Hi, it's alice"}},{{"Tag":"Tag_SNS_Custom_Score","Value":{i}}}]}}"#, 1690000000 + i)).collect();
    let page = format!(r#"{{"UserDataItem":[{}],"StandardSequence":105,"CustomSequence":3,"FriendNum":250,"CompleteFlag":0,"NextStartIndex":100,"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":""}}"#, page_items.join(","));
    let get = Command::FriendGet;
    time("reply: stream check", &|| {
        let (v, env) = get.check_reply_text(&page);
        v == tim_sns::validate::stream::Verdict::Valid && env.code_zero && env.status_ok && !env.annotated
    });
    time("reply: full parse", &|| get.parse(&page).is_ok());
    if std::env::var_os("ONLY_STREAM").is_some() {
        return;
    }
    time("parse to Value", &|| serde_json::from_str::<serde_json::Value>(&text).is_ok());
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    time("tree walk on a parsed Value", &|| cmd.validate_request(&v, &Options::REQUEST).is_empty());
    time("ignore (serde_json only)", &|| serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok());
}
