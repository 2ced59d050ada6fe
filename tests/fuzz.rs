//! A fuzz loop: random JSON and mutated doc samples through every validator and parser, and
//! random text through the reply parser and the UserSig decoder. Nothing may panic (a panic
//! would kill the wasm instance). Seeded; replay with TIM_SNS_SEED.

use serde_json::{Map, Value, json};
use std::path::Path;
use tim_sns::model::Command;
use tim_sns::validate::schema::{Options, UserIdCharset};

mod common;
use common::Rng;

const KEYS: &[&str] = &[
    "From_Account", "To_Account", "AddFriendItem", "AddSource", "Remark", "GroupName", "AddWording", "AddType",
    "ForceAddFlags", "UpdateItem", "SnsItem", "Tag", "Value", "CustomItem", "CheckType", "DeleteType", "StartIndex",
    "MaxLimited", "LastSequence", "TagList", "NeedFriend", "ResultItem", "ResultCode", "ErrorCode", "ActionStatus", "x",
];

fn string(rng: &mut Rng) -> String {
    let pieces = ["a", "é", "好", "😀", "AddSource_Type_", "Tag_SNS_Custom_", "\n", "\u{0}", " ", "_", "Add_Type_Both"];
    (0..rng.below(40)).map(|_| *rng.pick(&pieces)).collect()
}

fn random(rng: &mut Rng, depth: u32) -> Value {
    match rng.below(if depth > 4 { 5 } else { 8 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => json!(rng.next() >> rng.below(64)),
        3 => json!(-(rng.below(1000) as i64)),
        4 => Value::String(string(rng)),
        5 => json!((rng.next() as f64) / 7.0),
        6 => Value::Array((0..rng.below(6)).map(|_| random(rng, depth + 1)).collect()),
        _ => Value::Object((0..rng.below(6)).map(|_| (rng.pick(KEYS).to_string(), random(rng, depth + 1))).collect::<Map<_, _>>()),
    }
}

/// Replaces, removes or adds one member somewhere in `v`.
fn mutate(rng: &mut Rng, v: &mut Value) {
    match v {
        Value::Object(m) if !m.is_empty() && rng.below(3) > 0 => {
            let key = m.keys().nth(rng.below(m.len() as u64) as usize).unwrap().clone();
            match rng.below(3) {
                0 => {
                    m.remove(&key);
                }
                1 => mutate(rng, m.get_mut(&key).unwrap()),
                _ => {
                    m.insert(key, random(rng, 2));
                }
            }
        }
        Value::Array(items) if !items.is_empty() && rng.below(3) > 0 => {
            let i = rng.below(items.len() as u64) as usize;
            mutate(rng, &mut items[i]);
        }
        _ => *v = random(rng, 2),
    }
}

fn samples() -> Vec<(Command, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for cmd in Command::ALL {
        for entry in std::fs::read_dir(root.join(cmd.wire_name())).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            out.push((*cmd, serde_json::from_str(&text).unwrap()));
        }
    }
    out
}

const OPTIONS: [Options; 3] = [
    Options::REQUEST,
    Options::RESPONSE,
    Options { soft_limits: false, user_id_charset: UserIdCharset::Strict, reject_unknown_fields: false },
];

#[test]
fn validators_and_parsers_never_panic() {
    let seed = std::env::var("TIM_SNS_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed_1234_u64);
    println!("fuzz seed {seed} (replay with TIM_SNS_SEED={seed})");
    let mut rng = Rng(seed | 1);
    let base = samples();
    for round in 0..30_000 {
        let cmd = *rng.pick(Command::ALL);
        let mut body = if round % 3 == 0 { random(&mut rng, 0) } else { rng.pick(&base).1.clone() };
        for _ in 0..=rng.below(4) {
            mutate(&mut rng, &mut body);
        }
        for opts in &OPTIONS {
            let _ = cmd.validate_request(&body, opts);
            let _ = cmd.build(&body, opts);
        }
        let _ = cmd.check_response(&body);
        let _ = cmd.typed_request(&body);
        let _ = cmd.typed_response(&body);
        let text = body.to_string();
        let _ = cmd.parse(&text);
        // Truncated and garbled replies.
        let cut = rng.below(text.len() as u64 + 1) as usize;
        let _ = cmd.parse(text.get(..cut).unwrap_or(""));
        let _ = cmd.parse(&string(&mut rng));
        let _ = tim_sns::usersig::decode(&string(&mut rng));
        let _ = tim_sns::errors::explain(rng.next() as u32);
    }
}

#[test]
fn usersig_decoding_never_panics_on_mutated_sigs() {
    let mut rng = Rng(0x51_6e_ed);
    let sig = tim_sns::usersig::generate("k", &tim_sns::usersig::SigParams {
        sdk_app_id: 1400000000, identifier: "administrator", time: 1700000000, expire: 86400, userbuf: None,
    });
    let alphabet: Vec<char> = "ABCXYZabcxyz0189*-_+/= 好".chars().collect();
    for _ in 0..20_000 {
        let mut chars: Vec<char> = sig.chars().collect();
        for _ in 0..=rng.below(3) {
            if chars.is_empty() {
                break;
            }
            let i = rng.below(chars.len() as u64) as usize;
            match rng.below(3) {
                0 => chars[i] = *rng.pick(&alphabet),
                1 => {
                    chars.remove(i);
                }
                _ => chars.truncate(i),
            }
        }
        let s: String = chars.into_iter().collect();
        let expect = tim_sns::usersig::Expectation { sdk_app_id: 1400000000, secret_key: "k", identifier: None, now: 1700000000 };
        let _ = tim_sns::usersig::verify(&s, &expect);
    }
}
