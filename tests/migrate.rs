//! Migration between two in-process emulators, natively: a reproducible graph in app A →
//! export every user → restore into app B → exporting B gives the same records, the diff is
//! empty, and a second restore finds nothing to write. The JS layer only sends what this
//! core asks for, so this is the whole decision logic end to end.

use serde_json::{Value, json};
use tim_sns::emulator::Emulator;
use tim_sns::migrate::diff::diff_user;
use tim_sns::migrate::export::UserExport;
use tim_sns::migrate::format::{self, SnapshotHeader, UserRecord};
use tim_sns::migrate::restore::{self, UserWrites};
use tim_sns::model::Command;
use tim_sns::model::wire::{ParseError, parse_reply};
use tim_sns::usersig::{SigParams, generate};

const KEY: &str = "migrate-test-key";
const ADMIN: &str = "administrator";

mod common;
use common::Rng;

struct App {
    emu: Emulator,
    app: u64,
    sig: String,
    now_ms: u64,
    writes: usize,
}

impl App {
    fn new(app: u64, users: &[String]) -> Self {
        let mut emu = Emulator::new(app, KEY, ADMIN);
        emu.import(&users.iter().map(String::as_str).collect::<Vec<_>>());
        let now_ms = 1_800_000_000_000;
        let sig = generate(KEY, &SigParams { sdk_app_id: app, identifier: ADMIN, time: now_ms / 1000, expire: 86400, userbuf: None });
        Self { emu, app, sig, now_ms, writes: 0 }
    }

    fn call(&mut self, command: Command, body: &Value) -> Result<Value, u32> {
        self.now_ms += 10; // 100 calls a second: under the emulator's 200/s limit
        if !matches!(command, Command::FriendGet | Command::GroupGet | Command::BlackListGet) {
            self.writes += 1;
        }
        let q = format!("sdkappid={}&identifier={ADMIN}&usersig={}&random=7&contenttype=json", self.app, self.sig);
        let reply = self.emu.handle(&format!("/v4/sns/{}", command.wire_name()), &q, &body.to_string(), self.now_ms);
        match parse_reply(&reply.body, Some(command)) {
            Ok(v) => Ok(v),
            Err(ParseError::Api(f)) => Err(f.error_code),
            Err(e) => panic!("{command:?}: {e:?}"),
        }
    }

    fn ok_items(&mut self, command: Command, body: Value) {
        let r = self.call(command, &body).unwrap_or_else(|c| panic!("{command:?} failed with {c}: {body}"));
        for item in r.get("ResultItem").and_then(Value::as_array).into_iter().flatten() {
            assert_eq!(item["ResultCode"], json!(0), "{command:?}: {item}");
        }
    }

    fn export(&mut self, user: &str) -> UserRecord {
        self.run(UserExport::new(user, None))
    }

    /// The live record a restore reads for `snapshot` (only the reads its plan can need).
    fn live_for(&mut self, snapshot: &UserRecord) -> UserRecord {
        self.run(UserExport::only(&snapshot.from_account, None, &restore::reads_for(snapshot)))
    }

    fn run(&mut self, mut job: UserExport) -> UserRecord {
        while let Some((read, command, body)) = job.next() {
            match self.call(command, &body) {
                Ok(reply) => job.take(read, &reply),
                Err(code) => job.fail(code, "read failed"),
            }
        }
        job.finish()
    }

    /// Sends a user's writes in the documented order; items are at most 1000 (one call each).
    fn apply(&mut self, w: &UserWrites) {
        let from = &w.from_account;
        for body in &w.group_add {
            self.ok_items(Command::GroupAdd, body.clone());
        }
        if !w.block.is_empty() {
            self.ok_items(Command::BlackListAdd, json!({ "From_Account": from, "To_Account": w.block }));
        }
        for chunk in w.import.chunks(1000) {
            self.ok_items(Command::FriendImport, json!({ "From_Account": from, "AddFriendItem": chunk }));
        }
        for chunk in w.update.chunks(100) {
            self.ok_items(Command::FriendUpdate, json!({ "From_Account": from, "UpdateItem": chunk }));
        }
    }
}

fn users(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("u{i:03}")).collect()
}

const REMARKS: &[&str] = &["老王", "同事 小李", "Bob", "がんばって", "👋 friend", "阿姨"];
const SOURCES: &[&str] = &["AddSource_Type_Web", "AddSource_Type_Android", "AddSource_Type_iOS"];

/// App A: lists (some empty), one- and two-way friends with remarks (CJK), several lists per
/// friend, custom fields and times, blocks, and one user with 150 friends (paging).
fn seed(a: &mut App, ids: &[String], rng: &mut Rng) {
    for (i, user) in ids.iter().enumerate() {
        let lists: Vec<String> = (0..rng.below(5)).map(|k| format!("列表{k}")).collect();
        if !lists.is_empty() {
            a.ok_items(Command::GroupAdd, json!({ "From_Account": user, "GroupName": lists }));
        }
        let count = if i == 0 { 150 } else { rng.below(12) as usize };
        let mut items = Vec::new();
        let mut back = Vec::new();
        for _ in 0..count {
            let to = &ids[rng.below(ids.len() as u64) as usize];
            if to == user || items.iter().any(|it: &Value| it["To_Account"] == json!(to)) {
                continue;
            }
            let mut item = json!({ "To_Account": to, "AddSource": SOURCES[rng.below(3) as usize], "AddTime": 1_600_000_000 + rng.below(1_000_000) });
            if rng.below(2) == 0 {
                item["Remark"] = json!(REMARKS[rng.below(REMARKS.len() as u64) as usize]);
                item["RemarkTime"] = json!(1_650_000_000 + rng.below(1000));
            }
            let member: Vec<&String> = lists.iter().filter(|_| rng.below(2) == 0).collect();
            if !member.is_empty() {
                item["GroupName"] = json!(member);
            }
            if rng.below(3) == 0 {
                item["AddWording"] = json!("你好, let's connect");
            }
            if rng.below(3) == 0 {
                item["CustomItem"] = json!([{ "Tag": "Tag_SNS_Custom_Lvl", "Value": rng.below(100) }, { "Tag": "Tag_SNS_Custom_Nick", "Value": "n" }]);
            }
            if rng.below(3) == 0 {
                back.push(to.clone()); // made two-way below
            }
            items.push(item);
        }
        if !items.is_empty() {
            // A friend that an earlier user's two-way pair already gave this user answers 30001.
            let r = a.call(Command::FriendImport, &json!({ "From_Account": user, "AddFriendItem": items })).unwrap();
            assert!(r["ResultItem"].as_array().unwrap().iter().all(|i| [0, 30001].contains(&i["ResultCode"].as_u64().unwrap())));
        }
        for to in back {
            // The other side may already have this user: a 30001 there is fine.
            let _ = a.call(Command::FriendImport, &json!({ "From_Account": to, "AddFriendItem": [{ "To_Account": user, "AddSource": "AddSource_Type_Web" }] }));
        }
    }
    for user in ids.iter().step_by(7) {
        let to = &ids[rng.below(ids.len() as u64) as usize];
        if to != user {
            a.ok_items(Command::BlackListAdd, json!({ "From_Account": user, "To_Account": [to] }));
        }
    }
}

#[test]
fn export_restore_export_round_trips_300_users_and_a_second_restore_writes_nothing() {
    let ids = users(300);
    let mut a = App::new(1400000001, &ids);
    let mut b = App::new(1400000002, &ids);
    seed(&mut a, &ids, &mut Rng(0x5eed_1234));

    // Export A as a JSONL snapshot, one line a user.
    let mut lines = vec![format::to_line(&SnapshotHeader::new(a.app, 1_800_000_000))];
    lines.extend(ids.iter().map(|u| format::to_line(&a.export(u))));
    let header = format::parse_header(&lines[0]).unwrap();
    assert_eq!(header.sdk_app_id, 1400000001);
    let snapshot: Vec<UserRecord> = lines[1..].iter().enumerate().map(|(i, l)| format::parse_record(l, i + 2).unwrap()).collect();
    assert!(snapshot[0].friends.len() >= 100, "the first user's friends span pages");
    assert!(snapshot.iter().any(|r| r.lists.iter().any(|l| !r.friends.iter().any(|f| f.group_name.iter().flatten().any(|g| g == l)))), "an empty list is exported");
    assert!(snapshot.iter().any(|r| !r.blocklist.is_empty()));
    assert!(snapshot.iter().all(|r| r.error.is_none()));

    // Restore into B (reading only what each plan needs), then compare.
    for record in &snapshot {
        let live = b.live_for(record);
        if let Some(w) = restore::plan(record, &live).writes {
            b.apply(&w);
        }
    }
    for record in &snapshot {
        let live = b.export(&record.from_account);
        let d = diff_user(record, &live);
        assert!(d.is_empty(), "{}: {d:?}", record.from_account);
        let strip = |r: &UserRecord| {
            let mut r = r.clone();
            r.blocklist.iter_mut().for_each(|x| x.add_black_time_stamp = None); // set by the service
            r
        };
        assert_eq!(strip(&live), strip(record), "B's export equals A's");
    }

    // The ground truth: B's stored chains equal A's, field by field (friend order included),
    // but for what the service sets itself: sequences and block times. Lists are compared as sets.
    let mut stored = 0;
    for id in &ids {
        let (x, y) = (&a.emu.accounts[id], &b.emu.accounts[id]);
        assert_eq!(x.friends, y.friends, "{id}: friends");
        let set = |l: &Vec<String>| l.iter().cloned().collect::<std::collections::BTreeSet<_>>();
        assert_eq!(set(&x.lists), set(&y.lists), "{id}: lists");
        assert_eq!(x.blocked.iter().map(|b| &b.0).collect::<Vec<_>>(), y.blocked.iter().map(|b| &b.0).collect::<Vec<_>>(), "{id}: blocks");
        stored += x.friends.len();
    }
    let all: Vec<_> = a.emu.accounts.values().flat_map(|acc| acc.friends.iter().map(|(_, f)| f)).collect();
    assert!(stored > 1000, "{stored} relations");
    assert!(all.iter().any(|f| f.remark_time > 0) && all.iter().any(|f| !f.add_wording.is_empty()) && all.iter().any(|f| !f.custom.is_empty()) && all.iter().any(|f| f.groups.len() > 1));

    // A second restore finds nothing to write.
    let before = b.writes;
    for record in &snapshot {
        let live = b.export(&record.from_account);
        assert!(restore::writes(&diff_user(record, &live)).is_empty());
        assert_eq!(restore::plan(record, &b.live_for(record)).writes, None);
    }
    assert_eq!(b.writes, before);
}

#[test]
fn a_user_missing_on_the_source_is_a_record_with_its_error() {
    let mut a = App::new(1400000001, &users(1));
    let r = a.export("nobody");
    assert_eq!(r.error.unwrap().code, 30003);
    assert!(restore::accounts(&a.export("u000")).contains("u000"));
}
