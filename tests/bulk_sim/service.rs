//! The simulated service of `bulk_sim`: the pairs present, faults, a strict sliding-window
//! 60007 counted at arrival or at answering, and a clock of events in simulated time.

use super::{RATE, Rng};
use serde_json::{Value, json};
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};
use tim_sns::client::bulk::Answer;
use tim_sns::client::call::Reply;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Import,
    Delete,
    Block,
}

impl Kind {
    /// Whether the wanted end state is "the pair is present".
    pub fn wants_present(self) -> bool {
        self != Kind::Delete
    }
}

/// Fault rates of one seed.
#[derive(Clone, Copy, Debug)]
pub struct Faults {
    pub http502: f64,
    pub hang: f64,
    pub req30006: f64,
    pub req30008: f64,
    pub lost: f64,
    /// A 200 whose body is cut halfway (applied; the client cannot read it).
    pub cut: f64,
    pub item30008: f64,
    pub max_latency_ms: f64,
}

/// The simulated service: the set of (user, target) pairs present, and what it saw.
pub struct Service {
    pub kind: Kind,
    pub present: BTreeSet<(String, String)>,
    pub initial: BTreeSet<(String, String)>,
    /// Pairs this run changed.
    pub changed: BTreeSet<(String, String)>,
    /// Arrival times per command (the strict 60007 window).
    pub arrivals: HashMap<&'static str, Vec<f64>>,
    /// The "not a friend" code friend_delete answers on this seed.
    pub not_friend_code: u32,
    /// Pairs the service refuses with 30001 meaning "bad parameter" (an undeclared tag, say):
    /// the same code as "already done", which only a read tells apart.
    pub poisoned: BTreeSet<(String, String)>,
    pub rejected_60007: u64,
    /// The other counting model: the service counts a call when it answers, `proc_ms` after
    /// its arrival (a long round trip where nothing shows where the count fell).
    pub count_at_answer: bool,
    pub proc_ms: f64,
}

/// What comes back to the client, in a form both of its engines take: the bulk engine's
/// [`Answer`] and the single-call machine's [`Reply`].
pub enum Wire {
    /// A reply of 200 with this body.
    Json(Value),
    /// An envelope that failed with this code.
    Api(u32, &'static str),
    Http(u16),
    /// The connection dropped before the reply (the call may have been applied).
    Lost,
    /// The client's timeout.
    Timeout,
    /// A 200 whose body stops halfway.
    Cut(Value),
}

impl Wire {
    /// As the bulk engine's driver reports it.
    pub fn answer(&self) -> Answer {
        match self {
            Wire::Json(v) => Answer::reply(v),
            Wire::Api(code, info) => Answer::Api(*code, (*info).into()),
            Wire::Http(status) => Answer::Http(*status),
            Wire::Lost => Answer::Network("socket hang up".into()),
            Wire::Timeout => Answer::Timeout,
            Wire::Cut(_) => Answer::Decode("the reply stops halfway".into()),
        }
    }

    /// As a single call's executor reports it.
    pub fn reply(&self) -> Reply {
        match self {
            Wire::Json(v) => Reply::Text(200, v.to_string()),
            Wire::Api(code, info) => Reply::Text(200, json!({ "ActionStatus": "FAIL", "ErrorCode": code, "ErrorInfo": info }).to_string()),
            Wire::Http(status) => Reply::Text(*status, "bad gateway".into()),
            Wire::Lost => Reply::Network("socket hang up".into()),
            Wire::Timeout => Reply::Timeout,
            Wire::Cut(v) => {
                let text = v.to_string();
                Reply::Text(200, text[..text.len() / 2].to_owned())
            }
        }
    }
}

pub enum Outcome {
    /// The reply reaches the client at this time.
    Reply(f64, Wire),
    /// Nothing ever comes back.
    Hang,
}

impl Service {
    pub fn over_rate(&mut self, command: &'static str, at: f64) -> bool {
        let list = self.arrivals.entry(command).or_default();
        let recent = list.iter().rev().take_while(|&&t| t > at - 1000.0).count();
        if recent >= RATE as usize {
            return true;
        }
        list.push(at);
        false
    }

    pub fn handle(&mut self, command: &'static str, body: &Value, arrive: f64, down: f64, f: &Faults, rng: &mut Rng) -> Outcome {
        let back = arrive + self.proc_ms + down;
        let counted = if self.count_at_answer { arrive + self.proc_ms } else { arrive };
        if rng.chance(f.hang) {
            return Outcome::Hang;
        }
        if rng.chance(f.http502) {
            return Outcome::Reply(back, Wire::Http(502));
        }
        if self.over_rate(command, counted) {
            self.rejected_60007 += 1;
            return Outcome::Reply(back, Wire::Api(60007, "over the rate"));
        }
        if rng.chance(f.req30006) {
            return Outcome::Reply(back, Wire::Api(30006, "internal error"));
        }
        if rng.chance(f.req30008) {
            return Outcome::Reply(back, Wire::Api(30008, "write conflict"));
        }
        let from = body["From_Account"].as_str().unwrap().to_owned();
        if command == "friend_get" {
            return Outcome::Reply(back, self.friend_page(&from, body["StartIndex"].as_u64().unwrap_or(0) as usize, f, rng));
        }
        let targets: Vec<String> = match body.get("AddFriendItem") {
            Some(items) => items.as_array().unwrap().iter().map(|i| i["To_Account"].as_str().unwrap().to_owned()).collect(),
            None => body["To_Account"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_owned()).collect(),
        };
        let reply = match command {
            "friend_check" | "black_list_check" => {
                let (field, yes, no) = if command == "friend_check" {
                    ("InfoItem", "CheckResult_Type_AWithB", "CheckResult_Type_NoRelation")
                } else {
                    ("BlackListCheckItem", "BlackCheckResult_Type_AWithB", "BlackCheckResult_Type_NO")
                };
                let list: Vec<Value> = targets
                    .iter()
                    .map(|t| json!({ "To_Account": t, "Relation": if self.present.contains(&(from.clone(), t.clone())) { yes } else { no }, "ResultCode": 0 }))
                    .collect();
                json!({ field: list, "ActionStatus": "OK", "ErrorCode": 0 })
            }
            _ => {
                let mut list = Vec::new();
                for t in targets {
                    let key = (from.clone(), t.clone());
                    let code = if rng.chance(f.item30008) {
                        30008
                    } else if self.poisoned.contains(&key) {
                        30001
                    } else if self.kind.wants_present() {
                        if self.present.insert(key.clone()) {
                            self.changed.insert(key);
                            0
                        } else {
                            30001
                        }
                    } else if self.present.remove(&key) {
                        self.changed.insert(key);
                        0
                    } else {
                        self.not_friend_code
                    };
                    list.push(json!({ "To_Account": t, "ResultCode": code, "ResultInfo": "" }));
                }
                json!({ "ResultItem": list, "ActionStatus": "OK", "ErrorCode": 0 })
            }
        };
        if rng.chance(f.cut) {
            return Outcome::Reply(back, Wire::Cut(reply));
        }
        if rng.chance(f.lost) {
            // Applied; the connection drops before the reply gets back.
            return Outcome::Reply(back, Wire::Lost);
        }
        Outcome::Reply(back, Wire::Json(reply))
    }
}

impl Service {
    /// One `friend_get` page of `from`'s pairs (three a page), subject to the lost and cut
    /// replies of `f` like any reply.
    fn friend_page(&self, from: &str, start: usize, f: &Faults, rng: &mut Rng) -> Wire {
        let mine: Vec<&String> = self.present.iter().filter(|(u, _)| u == from).map(|(_, t)| t).collect();
        let page: Vec<Value> = mine.iter().skip(start).take(PAGE).map(|t| json!({ "To_Account": t, "ValueItem": [] })).collect();
        let next = start + page.len();
        let complete = u64::from(next >= mine.len());
        let reply = json!({
            "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "UserDataItem": page, "CompleteFlag": complete,
            "NextStartIndex": if complete == 1 { 0 } else { next }, "FriendNum": mine.len(), "StandardSequence": 1, "CustomSequence": 1,
        });
        if rng.chance(f.cut) {
            Wire::Cut(reply)
        } else if rng.chance(f.lost) {
            Wire::Lost
        } else {
            Wire::Json(reply)
        }
    }
}

/// Friends per `friend_get` page of the simulated service.
const PAGE: usize = 3;

/// Events in simulated time (microseconds, then sequence for a stable order).
#[derive(Default)]
pub struct Clock {
    heap: BinaryHeap<Reverse<(u64, u64)>>,
    events: HashMap<u64, Event>,
    seq: u64,
}

pub enum Event {
    /// A request reaches the service.
    Arrive { run: u32, id: u64, command: &'static str, body: Value, down: f64 },
    /// A reply (or the client's timeout) reaches the client.
    Deliver { run: u32, id: u64, answer: Wire },
    /// A timer the driver set.
    Wake,
}

impl Clock {
    pub fn at(&mut self, t_ms: f64, e: Event) {
        self.seq += 1;
        // Rounded up: a wake-up never comes before the time asked for.
        self.heap.push(Reverse(((t_ms * 1000.0).ceil() as u64, self.seq)));
        self.events.insert(self.seq, e);
    }
    pub fn pop(&mut self) -> Option<(f64, Event)> {
        let Reverse((t, s)) = self.heap.pop()?;
        Some((t as f64 / 1000.0, self.events.remove(&s).unwrap()))
    }
}
