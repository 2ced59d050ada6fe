//! One call of `SnsClient` (a typed method, `request`, a page of a walk, a migration read or
//! write): a state machine the executor in `src/wasm/` polls, as it polls the bulk engine. It
//! decides everything but the I/O: when the call may go (the client's shared rate budget,
//! which the bulk runs spend too), whether a failed attempt is tried again and after what
//! backoff (the error catalogue's retry class; an attempt answered "over the rate" penalizes
//! the budget and goes again as soon as the budget allows, with no backoff of its own), how the reply reads, and, for a write whose
//! earlier attempt had an unknown outcome, whether an "already done" answer means the earlier
//! attempt did it (the bulk engine's reconciliation table, and the same confirming reads).
//!
//! Every attempt of one call carries the same `random`: the retries are one request in the
//! service's logs (and should the service ever deduplicate on it, a retry stays harmless).
//! A confirming read is another request, with a `random` of its own.

use crate::client::budget::{Budgets, DEFAULT_MARGIN_MS, RATE_LIMITED_TRIES, SharedBudgets, Spent, rate_limited};
use crate::client::bulk::{answer::rows, item_retryable};
use crate::client::bulk::reconcile::{self, Rule, Verdict};
use crate::client::retry::{Failure, RetryPolicy};
use crate::model::Command;
use crate::model::types::ItemOutcome;
use crate::model::wire::{ApiFailure, ParseError, parse_reply};
use crate::validate::Violations;
use serde_json::Value;

/// How soon a call looks at a budget again that other calls in flight have spent, ms.
const RECHECK_MS: f64 = 5.0;

/// What the executor should do next.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Send this attempt now, then report how it ended with [`Call::answer`].
    Send(Attempt),
    /// Nothing to do before this time (ms).
    Wait(f64),
    /// The call is over: the parsed reply, or why it failed.
    Done(Result<Value, CallError>),
}

/// One attempt to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// Hand it back with `answer`.
    pub id: u64,
    /// The command's wire name (or the `service/command` of `request`), for hooks and errors.
    pub command: String,
    /// The URL path below the domain, e.g. `v4/sns/friend_add`.
    pub path: String,
    /// The body, as JSON text.
    pub body: String,
    /// The `random` of the URL.
    pub random: u32,
    /// The attempt's number in the call, from 1 (confirming reads included).
    pub number: u32,
}

/// How an attempt ended, as the executor saw it.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A reply with this HTTP status and body.
    Text(u16, String),
    /// No reply: the fetch failed (the message says why).
    Network(String),
    /// No reply within the timeout.
    Timeout,
    /// The caller's signal aborted it.
    Aborted,
}

/// Why a call (or one attempt of it) failed.
#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    /// A reply with an HTTP status other than 200, and its body.
    Http(u16, String),
    /// The envelope failed.
    Api(ApiFailure),
    /// A 200 reply that could not be read.
    Decode {
        /// What is wrong.
        message: String,
        /// The start of the body.
        snippet: String,
        /// Field-level problems, when the body was JSON.
        violations: Violations,
    },
    /// No reply (the fetch failed).
    Network(String),
    /// No reply within the timeout.
    Timeout,
    /// The caller's signal aborted the call.
    Aborted,
}

impl CallError {
    /// The failure, for the retry policy.
    fn failure(&self) -> Option<Failure> {
        Some(match self {
            CallError::Http(s, _) => Failure::Http(*s),
            CallError::Api(f) => Failure::Api(f.error_code),
            CallError::Decode { .. } => Failure::Decode,
            CallError::Network(_) => Failure::Network,
            CallError::Timeout => Failure::Timeout,
            CallError::Aborted => return None,
        })
    }

    /// Whether the service may have applied the attempt: no reply, or no usable one.
    fn unknown_outcome(&self) -> bool {
        matches!(self, CallError::Aborted) || self.failure().is_some_and(Failure::unknown_outcome)
    }
}

/// What [`Call::answer`] tells the executor of the attempt (for its hooks).
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    /// Why the attempt failed; `None` for a usable reply.
    pub error: Option<CallError>,
    /// Whether another attempt follows.
    pub will_retry: bool,
    /// The attempt was answered "over the rate": the budget was penalized (an external
    /// limiter should be told).
    pub rate_limited: bool,
}

/// Settings of a call.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Retries and backoff.
    pub retry: RetryPolicy,
    /// Calls per second and command.
    pub rate_per_second: u32,
    /// Widening of the budget's window, ms.
    pub margin_ms: f64,
    /// The client's budgets; `None`: the call's own (tests).
    pub budgets: Option<SharedBudgets>,
    /// The caller's own limiter paces the attempts instead of the built-in budget (the
    /// executor waits for it before each `Send`).
    pub external_limiter: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self { retry: RetryPolicy::default(), rate_per_second: 200, margin_ms: DEFAULT_MARGIN_MS, budgets: None, external_limiter: false }
    }
}

/// What the call is doing.
#[derive(Debug, Clone, PartialEq)]
enum State {
    /// The write (or the only request) is due at this time.
    Due(f64),
    /// The confirming read is due at this time.
    ReadDue(f64),
    /// An attempt is in flight.
    InFlight { id: u64, read: bool },
    /// Over.
    Done,
}

/// One call.
#[derive(Debug)]
pub struct Call {
    command: String,
    path: String,
    known: Option<Command>,
    body: String,
    random: Option<u32>,
    settings: Settings,
    budgets: SharedBudgets,
    next_id: u64,
    rule: Option<&'static Rule>,
    state: State,
    /// Attempts sent, reads included.
    attempts: u32,
    /// Failed attempts of the write so far (the backoff exponent).
    failures: u32,
    /// Failed reads so far.
    read_failures: u32,
    /// Answers "over the rate" so far.
    limited: u32,
    /// An attempt of the write had an unknown outcome.
    doubt: bool,
    /// The write's reply while its confirming read runs, and the positions of the result items
    /// the read is to confirm.
    held: Option<(Value, Vec<usize>)>,
    result: Option<Result<Value, CallError>>,
    /// The latest time seen, ms.
    now_ms: f64,
}

impl Call {
    /// A call of `command` (a wire name, or `service/command` outside the table) at `path`
    /// with this body. `known` is the command when it is one of the 15 (the reply is then
    /// checked against its documented shape).
    pub fn new(command: &str, path: &str, known: Option<Command>, body: String, settings: Settings) -> Self {
        let budgets = settings.budgets.clone().unwrap_or_else(Budgets::shared);
        let next_id = budgets.borrow_mut().new_run() + 1;
        Self {
            command: command.to_owned(),
            path: path.to_owned(),
            known,
            body,
            random: None,
            rule: known.and_then(|c| reconcile::rule(c.wire_name())),
            settings,
            budgets,
            next_id,
            state: State::Due(0.0),
            attempts: 0,
            failures: 0,
            read_failures: 0,
            limited: 0,
            doubt: false,
            held: None,
            result: None,
            now_ms: 0.0,
        }
    }

    /// Attempts sent so far, confirming reads included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The `random` of the call's write attempts (0 before the first).
    pub fn random(&self) -> u32 {
        self.random.unwrap_or(0)
    }

    /// What to do at `now_ms`; `random` is a fresh random number, used if an attempt goes out
    /// that needs one.
    pub fn poll(&mut self, now_ms: f64, random: u32) -> Step {
        self.now_ms = self.now_ms.max(now_ms);
        let (due, read) = match self.state {
            State::Done => return Step::Done(self.result.take().unwrap_or(Err(CallError::Aborted))),
            State::InFlight { .. } => return Step::Wait(f64::INFINITY),
            State::Due(at) => (at, false),
            State::ReadDue(at) => (at, true),
        };
        if due > now_ms + 0.001 {
            return Step::Wait(due);
        }
        let (command, path, body) = if read {
            let rule = self.rule.expect("reads are planned only with a rule");
            let read = rule.read_command();
            let Some((reply, positions)) = &self.held else { unreachable!("a read holds the write's reply") };
            let from: Value = serde_json::from_str(&self.body).unwrap_or(Value::Null);
            let from = from.get("From_Account").and_then(Value::as_str).unwrap_or_default().to_owned();
            let items = reply.get("ResultItem").and_then(Value::as_array);
            let targets: Vec<String> = positions.iter().filter_map(|&p| items?.get(p)?.get("To_Account")?.as_str().map(str::to_owned)).collect();
            (read.to_owned(), format!("v4/sns/{read}"), rule.read_body(&from, &targets))
        } else {
            (self.command.clone(), self.path.clone(), self.body.clone())
        };
        let id = self.next_id;
        let taken = if self.settings.external_limiter { Ok(()) } else { self.budgets.borrow_mut().take(&command, self.settings.rate_per_second, self.settings.margin_ms, id, now_ms) };
        match taken {
            Ok(()) => {}
            Err(Spent::Until(at)) => return Step::Wait(at),
            // Other calls in flight fill the budget; this call is told of none of their answers.
            Err(Spent::UntilAnswer) => return Step::Wait(now_ms + RECHECK_MS),
        }
        self.next_id += 1;
        self.attempts += 1;
        self.state = State::InFlight { id, read };
        let random = if read { random } else { *self.random.get_or_insert(random) };
        Step::Send(Attempt { id, command, path, body, random, number: self.attempts })
    }

    /// How attempt `id` ended at `now_ms`; `unit` is uniform in [0, 1) for the backoff jitter.
    pub fn answer(&mut self, id: u64, now_ms: f64, reply: Reply, unit: f64) -> Answered {
        self.now_ms = self.now_ms.max(now_ms);
        let State::InFlight { id: current, read } = self.state else { return Answered { error: None, will_retry: false, rate_limited: false } };
        if current != id {
            return Answered { error: None, will_retry: false, rate_limited: false };
        }
        let command = if read { self.rule.map_or(self.command.as_str(), |r| r.read_command()) } else { self.command.as_str() };
        // A single call has no least round trip to go by: it counts as handled when it ended,
        // the latest the service can have counted it.
        self.budgets.borrow_mut().answered(command, id, now_ms, None);
        let parsed = match reply {
            Reply::Text(200, text) => {
                let known = if read { self.rule.and_then(|r| Command::from_wire(r.read_command())) } else { self.known };
                parse_reply(&text, known).map_err(|e| match e {
                    ParseError::Api(f) => CallError::Api(f),
                    ParseError::Decode { message, snippet, violations } => CallError::Decode { message, snippet, violations },
                })
            }
            Reply::Text(status, text) => Err(CallError::Http(status, text)),
            Reply::Network(m) => Err(CallError::Network(m)),
            Reply::Timeout => Err(CallError::Timeout),
            Reply::Aborted => Err(CallError::Aborted),
        };
        match (read, parsed) {
            (false, Ok(value)) => {
                self.written(value, now_ms);
                Answered { error: None, will_retry: false, rate_limited: false }
            }
            (true, Ok(value)) => {
                self.confirmed(&value);
                Answered { error: None, will_retry: false, rate_limited: false }
            }
            (read, Err(error)) => {
                let limited = matches!(&error, CallError::Api(f) if rate_limited(f.error_code));
                if limited {
                    // Every user of the budget slows down, this call's retry included.
                    let s = &self.settings;
                    self.budgets.borrow_mut().penalize(command, s.rate_per_second, s.margin_ms, now_ms);
                }
                let will_retry = self.failed(read, &error, now_ms, unit);
                Answered { error: Some(error), will_retry, rate_limited: limited }
            }
        }
    }

    /// The write's reply: done, unless some of its items need a read to be reconciled.
    fn written(&mut self, mut value: Value, now_ms: f64) {
        let mut confirm = Vec::new();
        if let (true, Some(rule)) = (self.doubt, self.rule) {
            if let Some(Value::Array(items)) = value.get_mut("ResultItem") {
                for (pos, item) in items.iter_mut().enumerate() {
                    let code = item.get("ResultCode").and_then(Value::as_u64).unwrap_or(0);
                    match rule.verdict(code as u32) {
                        Verdict::Done => reconciled(item, ItemOutcome::Ok),
                        Verdict::Confirm => confirm.push(pos),
                        // A transient code says only that this attempt did nothing; the one
                        // whose outcome was unknown may have done it.
                        Verdict::No if item_retryable(code as u32) => confirm.push(pos),
                        Verdict::No => {}
                    }
                }
            }
        }
        if confirm.is_empty() {
            self.finish(Ok(value));
        } else {
            self.held = Some((value, confirm));
            self.state = State::ReadDue(now_ms);
        }
    }

    /// The confirming read's reply: each item it shows done is `ok`, reconciled; the others
    /// keep the write's answer.
    fn confirmed(&mut self, read_reply: &Value) {
        let rule = self.rule.expect("reads are planned only with a rule");
        let rows = rows(read_reply);
        let Some((mut value, positions)) = self.held.take() else { return };
        if let Some(Value::Array(items)) = value.get_mut("ResultItem") {
            for p in positions {
                let Some(item) = items.get_mut(p) else { continue };
                let target = item.get("To_Account").and_then(Value::as_str).unwrap_or_default().to_owned();
                if rule.read_says(&rows, &target) == Some(true) {
                    reconciled(item, ItemOutcome::Ok);
                }
            }
        }
        self.finish(Ok(value));
    }

    /// A failed attempt: whether another follows.
    fn failed(&mut self, read: bool, error: &CallError, now_ms: f64, unit: f64) -> bool {
        let policy = self.settings.retry;
        // Over the rate: the penalized budget paces the retry; a backoff on top would only
        // lose rate (and seconds, by the third try).
        let paced = matches!(error, CallError::Api(f) if rate_limited(f.error_code));
        let backoff = |n: u32| if paced { 0.0 } else { policy.backoff_ms(n, unit) };
        // Answers "over the rate" do not use up the retries (see `RATE_LIMITED_TRIES`).
        if paced && policy.retries > 0 && self.limited < RATE_LIMITED_TRIES {
            self.limited += 1;
            self.state = if read { State::ReadDue(now_ms) } else { State::Due(now_ms) };
            return true;
        }
        if read {
            // A read changes nothing: any failure another try may cure is tried again. Out of
            // tries, the items it was to confirm are `unknown`: the write's answer may be wrong.
            self.read_failures += 1;
            let retry = error.failure().is_some_and(Failure::read_retryable) && self.read_failures <= policy.retries;
            if retry {
                self.state = State::ReadDue(now_ms + backoff(self.read_failures));
                return true;
            }
            if let Some((mut value, positions)) = self.held.take() {
                if let Some(Value::Array(items)) = value.get_mut("ResultItem") {
                    for p in positions {
                        if let Some(Value::Object(item)) = items.get_mut(p) {
                            item.insert("outcome".into(), Value::from(ItemOutcome::Unknown.as_str()));
                        }
                    }
                }
                self.finish(Ok(value));
            }
            return false;
        }
        self.doubt |= error.unknown_outcome();
        self.failures += 1;
        let retry = error.failure().is_some_and(|f| policy.should_retry(self.failures, f));
        if retry {
            self.state = State::Due(now_ms + backoff(self.failures));
        } else {
            self.finish(Err(error.clone()));
        }
        retry
    }

    fn finish(&mut self, result: Result<Value, CallError>) {
        self.result = Some(result);
        self.state = State::Done;
    }
}

/// Marks a result item as done by an earlier attempt whose reply was lost.
fn reconciled(item: &mut Value, outcome: ItemOutcome) {
    if let Value::Object(m) = item {
        m.insert("outcome".into(), Value::from(outcome.as_str()));
        m.insert("reconciled".into(), Value::Bool(true));
    }
}

impl Drop for Call {
    /// An attempt still in flight when the call is dropped (its executor gave up on it) counts in
    /// the shared budget as handled now.
    fn drop(&mut self) {
        if let State::InFlight { id, read } = self.state {
            let command = if read { self.rule.map_or(self.command.as_str(), |r| r.read_command()) } else { self.command.as_str() };
            self.budgets.borrow_mut().answered(command, id, self.now_ms, None);
        }
    }
}
