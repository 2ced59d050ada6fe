//! The bulk engine: a state machine the driver polls. `poll` says what to send now, or until
//! when to wait; `answer` takes how a call ended. It decides retries and backoff, per-item
//! outcomes, reconciliation and the window, and writes the journal lines the driver appends.
//! It never reads a clock or a random source: `now` and a uniform `unit` come in.

use super::answer::Answer;
use crate::client::budget::{Budgets, DEFAULT_MARGIN_MS, SharedBudgets, Spent, rate_limited};
use super::input::{self, Input};
use super::items;
use super::journal::{self, Replay};
use super::reconcile::{self, Rule};
use super::users::Plan;
use super::window::Window;
use super::{Operation, Outcome};
use crate::client::retry::RetryPolicy;
use crate::validate::schema::Options;
use serde_json::{Map, Value};

mod replies;
mod report;

/// The fewest items a driver asks `Engine::settled` to hand over at once: enough that a driver joining the
/// stretches at the end has few of them (a 10 000 000-item run, at most 20 000), small enough
/// that most of a large report is built while calls are in flight.
pub const SETTLED_STRETCH: usize = 500;

/// Most targets per confirming read (`friend_check` and `black_list_check` take 1000).
const READ_CAP: usize = 1000;

/// How soon a run with no call in flight looks at a budget again that other runs' calls in
/// flight have spent, ms.
const RECHECK_MS: f64 = 5.0;

/// Settings of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Calls per second and command.
    pub rate_per_second: u32,
    /// Widening of the budget's one-second window, ms (see [`DEFAULT_MARGIN_MS`]).
    pub margin_ms: f64,
    /// At most this many users at once; `None`: adaptive only.
    pub concurrency: Option<usize>,
    /// Retries of a failed call and their backoff.
    pub retry: RetryPolicy,
    /// Extra tries of items answered 30006, 30007 or 30008.
    pub item_retries: u32,
    /// Calls are paced by the caller's own limiter, not the built-in budget.
    pub external_limiter: bool,
    /// Write the journal lines (`take_journal`); without a journal to append them to, building
    /// a line per item is wasted work (a quarter of the engine's time on 1000-item replies).
    pub journal: bool,
    /// Check each call's items against the command's rules just before it goes out, with
    /// these options: an item that breaks one fails alone, with the rule, and is not sent.
    /// Checking at the call spreads the work over the run instead of holding up its first call.
    pub check: Option<Options>,
    /// The rate budgets to spend, shared with the client's other runs; `None`: the run's own.
    pub budgets: Option<SharedBudgets>,
}

impl Default for Config {
    fn default() -> Self {
        Self { rate_per_second: 200, margin_ms: DEFAULT_MARGIN_MS, concurrency: None, retry: RetryPolicy::default(), item_retries: 2, external_limiter: false, journal: true, check: None, budgets: None }
    }
}

/// A call to make.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Hand it back with `answer`.
    pub id: u64,
    /// The wire command.
    pub command: &'static str,
    /// The body, as JSON text.
    pub body: String,
}

/// What the driver should do next.
#[derive(Debug, Clone, PartialEq)]
pub enum Poll {
    /// Send this now, then poll again.
    Send(Request),
    /// Nothing to send before this time (ms), or before a call in flight ends.
    Wait(f64),
    /// Nothing to send until a call in flight ends.
    Idle,
    /// The run is over: every item has its outcome (or the run was stopped).
    Done,
}

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Items with an outcome.
    pub done: usize,
    /// Input items.
    pub total: usize,
    /// Failed items so far.
    pub failed: usize,
    /// Items found already done before the run, so far.
    pub already: usize,
    /// Calls sent so far (reads included).
    pub calls: u64,
    /// Calls in flight.
    pub in_flight: usize,
    /// The window (users at once).
    pub window: usize,
    /// The smoothed round trip, ms.
    pub rtt_ms: Option<f64>,
}

impl Progress {
    /// Calls per second over `elapsed_s` seconds since the start, to one decimal.
    pub fn calls_per_second(&self, elapsed_s: f64) -> f64 {
        (self.calls as f64 / elapsed_s.max(0.001) * 10.0).round() / 10.0
    }

    /// Whole seconds left at the pace so far (`None` before the first outcome).
    pub fn eta_seconds(&self, elapsed_s: f64) -> Option<f64> {
        (self.done > 0).then(|| ((self.total - self.done) as f64 * elapsed_s.max(0.001) / self.done as f64).round())
    }
}

#[derive(Debug, Clone)]
struct Call {
    user: usize,
    read: bool,
    command: &'static str,
    indices: Vec<usize>,
    sent_ms: f64,
}

/// The engine of one bulk run.
#[derive(Debug)]
pub struct Engine {
    op: Operation,
    rule: Option<&'static Rule>,
    extra: Map<String, Value>,
    /// `extra`'s members as text (`,"k":v` each), written once for every body.
    extra_text: String,
    config: Config,
    plan: Plan,
    window: Window,
    budgets: SharedBudgets,
    calls: Vec<(u64, Call)>,
    next_id: u64,
    cursor: usize,
    sent: u64,
    done: usize,
    failed: usize,
    already: usize,
    stopped: bool,
    journal: Vec<String>,
    /// Each item's identity in the journal (`journal::key`); empty when no journal is written.
    keys: Vec<u64>,
    /// The latest time polled or answered, ms (for `progress`).
    now_ms: f64,
    /// Items handed over by `settled` so far: every item before it has its outcome.
    handed: usize,
}

impl Engine {
    /// Plans `items` (each with its user) for `op`; `extra` fields go into every body.
    pub fn new(op: Operation, items: impl Into<Input>, mut extra: Map<String, Value>, config: Config) -> Self {
        for (key, value) in op.defaults() {
            extra.entry(*key).or_insert_with(|| Value::from(*value));
        }
        let window = Window::new(config.rate_per_second as f64, config.concurrency);
        let plan = Plan::new(items.into());
        let total = plan.items.len();
        let extra_text = input::members(&extra, &["From_Account", op.items_field]);
        let budgets = config.budgets.clone().unwrap_or_else(Budgets::shared);
        let next_id = budgets.borrow_mut().new_run() + 1;
        let mut engine = Self {
            op,
            rule: reconcile::rule(op.command),
            extra,
            extra_text,
            window,
            plan,
            config,
            budgets,
            calls: Vec::new(),
            next_id,
            cursor: 0,
            sent: 0,
            done: 0,
            failed: 0,
            already: 0,
            stopped: false,
            journal: Vec::new(),
            keys: Vec::new(),
            now_ms: 0.0,
            handed: 0,
        };
        // Keys only with a journal: hashing every item's text is wasted work otherwise.
        if engine.config.journal {
            engine.keys = engine.item_keys();
            engine.journal.push(journal::header(op.command, total, journal::fingerprint(&engine.keys)));
        }
        engine
    }

    /// Every item's identity, in input order.
    fn item_keys(&self) -> Vec<u64> {
        let plan = &self.plan;
        plan.items.iter().enumerate().map(|(i, item)| journal::key(&plan.users[item.user].name, &item.target, plan.text(i))).collect()
    }

    /// Continues the run a journal describes, matching its records to this input's items by
    /// identity (the input may have been edited since): items with a recorded final outcome
    /// keep it and are not sent again; items sent without one are in doubt (reconciled if the
    /// service answers "already done"); edited and new items are sent. Fails when the journal
    /// is of another command, another format or another input ([`Replay::match_input`]).
    pub fn resume(&mut self, replay: &Replay) -> Result<(), String> {
        if self.keys.len() != self.plan.items.len() {
            self.keys = self.item_keys();
        }
        let matched = replay.match_input(self.op.command, &self.keys)?;
        // The journal's header is this input's: no new one. Otherwise this input's header
        // follows the old lines, saying which input the lines after it are of.
        if matched.same_input {
            self.journal.clear();
        }
        for &(i, pos) in &matched.done {
            let report = &replay.done[pos].1;
            if self.plan.items[i].report.is_some() {
                continue;
            }
            self.plan.unqueue(i);
            self.plan.items[i].attempts = report.attempts;
            let Some(r) = self.plan.finish(i, report.outcome, report.code, report.info.clone(), report.relation.clone(), report.reconciled) else { continue };
            let outcome = r.outcome;
            self.count(outcome);
        }
        for &i in &matched.sent {
            self.plan.items[i].doubt = true;
        }
        Ok(())
    }

    /// Takes item `i` out as failed without sending it (it broke a rule).
    pub fn reject(&mut self, i: usize, why: &str) {
        self.plan.unqueue(i);
        self.finish(i, Outcome::Failed, None, Some(why.to_owned()), None, false);
    }

    /// Sends nothing more; `poll` says `Done` once the calls in flight have ended.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    /// Call `id` went out at `now_ms`, later than `poll` handed it over (it waited for the
    /// caller's rate limiter): its round trip, which sizes the window, starts here, and so does
    /// the window's growth before the first reply. Counted from `poll`, a shared limiter's queue
    /// would look like the route's delay and grow the window until every user waited in that
    /// queue, the client's single calls behind them.
    pub fn went_out(&mut self, id: u64, now_ms: f64) {
        if let Some((_, call)) = self.calls.iter_mut().find(|(c, _)| *c == id) {
            call.sent_ms = call.sent_ms.max(now_ms);
            self.window.sent(call.sent_ms);
        }
    }

    /// Takes back call `id`, which the driver did not send (its journal or rate limiter
    /// failed): its items go back to the front of their user's queue with the attempt undone,
    /// and the budget it took is handed back. Stop the run first, or a later poll sends them.
    pub fn withdraw(&mut self, id: u64) {
        let Some(pos) = self.calls.iter().position(|(c, _)| *c == id) else { return };
        let call = self.calls.swap_remove(pos).1;
        self.sent -= 1;
        self.budgets.borrow_mut().give_back(call.command, id);
        let user = &mut self.plan.users[call.user];
        user.busy = false;
        for &i in call.indices.iter().rev() {
            self.plan.items[i].attempts -= 1;
            if call.read {
                user.check.insert(0, i);
            } else {
                user.queue.push_front(i);
            }
        }
    }

    /// Journal lines to append (before the `Send` just returned goes out), oldest first.
    pub fn take_journal(&mut self) -> Vec<String> {
        std::mem::take(&mut self.journal)
    }

    /// Where the run stands.
    pub fn progress(&self) -> Progress {
        Progress {
            done: self.done,
            total: self.plan.items.len(),
            failed: self.failed,
            already: self.already,
            calls: self.sent,
            in_flight: self.calls.len(),
            window: self.window.size(self.now_ms),
            rtt_ms: self.window.rtt_ms(),
        }
    }

    /// What to do at `now_ms`.
    pub fn poll(&mut self, now_ms: f64) -> Poll {
        loop {
            if let Some(poll) = self.next(now_ms) {
                return poll;
            }
        }
    }

    /// One look for what to do; `None`: look again (a call was dropped because every item of
    /// it broke a rule).
    fn next(&mut self, now_ms: f64) -> Option<Poll> {
        let work = self.plan.users.iter().any(|u| u.has_work());
        if self.calls.is_empty() && (self.stopped || !work) {
            return Some(Poll::Done);
        }
        self.now_ms = self.now_ms.max(now_ms);
        if self.stopped {
            return Some(Poll::Idle);
        }
        if self.calls.len() >= self.window.size(now_ms) {
            return Some(self.window.grows_at(self.calls.len()).map_or(Poll::Idle, Poll::Wait));
        }
        let n = self.plan.users.len();
        let mut wake: Option<f64> = None;
        for step in 0..n {
            let u = (self.cursor + step) % n;
            let user = &self.plan.users[u];
            if user.busy || !user.has_work() {
                continue;
            }
            // Within a microsecond is due: a driver cannot wake closer than that.
            if user.not_before > now_ms + 0.001 {
                wake = Some(wake.map_or(user.not_before, |w: f64| w.min(user.not_before)));
                continue;
            }
            let read = !user.check.is_empty();
            let command = match (read, self.rule) {
                (true, Some(rule)) => rule.read_command(),
                _ => self.op.command,
            };
            if !self.config.external_limiter {
                let (rate, margin) = (self.config.rate_per_second, self.config.margin_ms);
                let taken = self.budgets.borrow_mut().take(command, rate, margin, self.next_id, now_ms);
                match taken {
                    Ok(()) => {}
                    Err(Spent::Until(at)) => return Some(Poll::Wait(wake.map_or(at, |w| w.min(at)))),
                    // The calls that fill the budget may all be another run's: this run is told
                    // of none of their answers, so it looks again a little later.
                    Err(Spent::UntilAnswer) if self.calls.is_empty() => {
                        let again = now_ms + RECHECK_MS;
                        return Some(Poll::Wait(wake.map_or(again, |w| w.min(again))));
                    }
                    Err(Spent::UntilAnswer) => return Some(wake.map_or(Poll::Idle, Poll::Wait)),
                }
            }
            self.cursor = (u + 1) % n;
            match self.start(u, read, command, now_ms) {
                Some(req) => return Some(Poll::Send(req)),
                // Every item of that call broke a rule: the budget it took is handed back.
                None => {
                    self.budgets.borrow_mut().give_back(command, self.next_id);
                    return None;
                }
            }
        }
        Some(match wake {
            Some(at) => Poll::Wait(at),
            None => Poll::Idle,
        })
    }

    /// Takes the user's next call out of its queue; `None` when every item of it broke a rule
    /// (they have their outcome; nothing is sent).
    fn start(&mut self, u: usize, read: bool, command: &'static str, now_ms: f64) -> Option<Request> {
        let user = &mut self.plan.users[u];
        let mut indices: Vec<usize> = if read {
            let take = user.check.len().min(READ_CAP);
            user.check.drain(..take).collect()
        } else {
            let take = user.queue.len().min(self.op.cap);
            user.queue.drain(..take).collect()
        };
        let body = match (read, self.rule) {
            (true, Some(rule)) => {
                let targets: Vec<String> = indices.iter().map(|&i| self.plan.items[i].target.clone()).collect();
                rule.read_body(&self.plan.users[u].name, &targets)
            }
            _ => {
                let mut body = self.write_body(u, &indices);
                if let Some(opts) = self.config.check {
                    if !items::passes(self.op, &body, &opts) {
                        indices = self.reject_broken(u, indices, &opts);
                        if indices.is_empty() {
                            return None;
                        }
                        body = self.write_body(u, &indices);
                    }
                }
                body
            }
        };
        self.plan.users[u].busy = true;
        for &i in &indices {
            self.plan.items[i].attempts += 1;
        }
        if !read && self.config.journal {
            self.journal.push(journal::sent(indices.iter().map(|&i| self.keys[i])));
        }
        let id = self.next_id;
        self.next_id += 1;
        self.sent += 1;
        // With the caller's limiter, the call goes out when the driver says (`went_out`).
        if !self.config.external_limiter {
            self.window.sent(now_ms);
        }
        self.calls.push((id, Call { user: u, read, command, indices, sent_ms: now_ms }));
        Some(Request { id, command, body })
    }

    /// The body of a write call of user `u` with these items.
    fn write_body(&self, u: usize, indices: &[usize]) -> String {
        self.plan.input.body(&self.plan.users[u].name, &self.extra_text, self.op.items_field, indices)
    }

    /// Checks each of `indices` alone (the fast check did not pass their call): items that
    /// break a rule fail with it and are not sent; the rest are returned.
    fn reject_broken(&mut self, u: usize, mut indices: Vec<usize>, opts: &Options) -> Vec<usize> {
        let texts = indices.iter().map(|&i| self.plan.text(i));
        let problems = items::broken(self.op, &self.plan.users[u].name, texts, &self.extra, opts);
        for (k, why) in problems.into_iter().rev() {
            let i = indices.remove(k);
            self.finish(i, Outcome::Failed, None, Some(why), None, false);
        }
        indices
    }

    /// How call `id` ended at `now_ms`; `unit` is uniform in [0, 1) for the backoff jitter.
    pub fn answer(&mut self, id: u64, now_ms: f64, answer: Answer, unit: f64) {
        let Some(pos) = self.calls.iter().position(|(c, _)| *c == id) else { return };
        let call = self.calls.swap_remove(pos).1;
        self.plan.users[call.user].busy = false;
        self.now_ms = self.now_ms.max(now_ms);
        let replied = !matches!(answer, Answer::Network(_) | Answer::Timeout);
        if replied {
            self.window.observe(now_ms - call.sent_ms);
        }
        self.budgets.borrow_mut().answered(call.command, id, now_ms, self.window.floor_ms().filter(|_| replied));
        // Over the rate: every user of the budget slows down, and this call goes again as soon
        // as the penalized budget allows (a backoff on top would only lose rate).
        let limited = matches!(answer, Answer::Api(code, _) if rate_limited(code));
        if limited {
            let (rate, margin) = (self.config.rate_per_second, self.config.margin_ms);
            self.budgets.borrow_mut().penalize(call.command, rate, margin, now_ms);
        }
        let ok = matches!(answer, Answer::Reply(_));
        {
            let user = &mut self.plan.users[call.user];
            if ok {
                user.failures = 0;
            } else {
                user.failures += 1;
                user.not_before = if limited { now_ms } else { now_ms + self.config.retry.backoff_ms(user.failures, unit) };
            }
        }
        match (call.read, answer) {
            (false, Answer::Reply(reply)) => self.write_reply(&call, &reply),
            (true, Answer::Reply(reply)) => self.read_reply(&call, &reply),
            (read, failed) => self.call_failed(&call, read, &failed),
        }
    }

    fn finish(&mut self, i: usize, outcome: Outcome, code: Option<u32>, info: Option<String>, relation: Option<String>, reconciled: bool) {
        let Some(report) = self.plan.finish(i, outcome, code, info, relation, reconciled) else { return };
        let line = self.config.journal.then(|| journal::done(report, self.keys[i]));
        let outcome = report.outcome;
        self.journal.extend(line);
        self.count(outcome);
    }

    /// Counts one more item with its outcome, for `progress`.
    fn count(&mut self, outcome: Outcome) {
        self.done += 1;
        self.failed += usize::from(outcome == Outcome::Failed);
        self.already += usize::from(outcome == Outcome::Already);
    }

}

impl Drop for Engine {
    /// Calls still in flight when a run is dropped (its driver gave up on them) count in the
    /// shared budgets as handled now: otherwise they would hold the budget for good.
    fn drop(&mut self) {
        let mut budgets = self.budgets.borrow_mut();
        for (id, call) in &self.calls {
            budgets.answered(call.command, *id, self.now_ms, None);
        }
    }
}
