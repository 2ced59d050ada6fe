//! How the engine takes a call's end: a write's reply item by item (outcomes, item retries,
//! reconciliation and the reads it asks for), a confirming read's reply, and a failed call.

use super::super::answer::{Answer, Row};
use crate::client::budget::{RATE_LIMITED_TRIES, rate_limited};
use super::super::reconcile::Verdict;
use super::super::users::ReadFor;
use super::super::{Outcome, item_retryable};
use super::{Call, Engine};

impl Engine {
    pub(super) fn write_reply(&mut self, call: &Call, results: &[Row]) {
        // Each result answers one item; the service answers in the items' order, so the next
        // unused result is tried first and the search is linear only when the order differs.
        let mut used = vec![false; results.len()];
        let mut next = 0;
        let mut requeue = Vec::new();
        for &i in &call.indices {
            let target = self.plan.items[i].target.as_str();
            let is_for = |r: &Row| r.to_account.as_deref() == Some(target);
            while next < results.len() && used[next] {
                next += 1;
            }
            let found = if next < results.len() && is_for(&results[next]) { Some(next) } else { (0..results.len()).find(|&k| !used[k] && is_for(&results[k])) };
            let Some(pos) = found else {
                self.finish(i, Outcome::Failed, None, Some("the reply has no result for this item".into()), None, false);
                continue;
            };
            used[pos] = true;
            let r = &results[pos];
            let code = r.code;
            let info = r.info.clone().filter(|s| !s.is_empty());
            let relation = r.relation.clone();
            let item = &mut self.plan.items[i];
            if item_retryable(code) && item.item_tries < self.config.item_retries {
                item.item_tries += 1;
                requeue.push(i);
                continue;
            }
            let verdict = self.rule.map(|r| r.verdict(code));
            match (code, item.doubt, verdict) {
                (0, ..) => self.finish(i, Outcome::Ok, Some(0), info, relation, false),
                (30539, ..) => self.finish(i, Outcome::Pending, Some(code), info, relation, false),
                // "Already done" after an unknown outcome: the earlier attempt did it.
                (_, true, Some(Verdict::Done)) => self.finish(i, Outcome::Ok, Some(code), info, relation, true),
                // On a sure first attempt: it was in place before the run.
                (_, false, Some(Verdict::Done)) => self.finish(i, Outcome::Already, Some(code), info, relation, false),
                // A code that may mean "already done": a read tells, either way.
                (_, _, Some(Verdict::Confirm)) => {
                    item.said = info;
                    self.read_later(call.user, i, ReadFor::Code(code));
                }
                // Out of tries on a transient code: this attempt did nothing, but the one whose
                // outcome was unknown may have. A read tells, where there is one.
                (_, true, Some(_)) if item_retryable(code) => self.read_later(call.user, i, ReadFor::Lost),
                (_, true, None) if item_retryable(code) => self.finish(i, Outcome::Unknown, Some(code), info, relation, false),
                _ => {
                    let why = why_failed(info.unwrap_or_else(|| crate::errors::explain(code).meaning), item_retryable(code).then_some(item.attempts));
                    self.finish(i, Outcome::Failed, Some(code), Some(why), relation, false);
                }
            }
        }
        self.plan.users[call.user].queue.extend(requeue);
    }

    /// Queues item `i` of user `u` for a confirming read.
    fn read_later(&mut self, u: usize, i: usize, why: ReadFor) {
        self.plan.items[i].read_for = Some(why);
        self.plan.users[u].check.push(i);
    }

    pub(super) fn read_reply(&mut self, call: &Call, reply: &[Row]) {
        let rule = self.rule.expect("reads are only planned for operations with a rule");
        let read = rule.read_command();
        let mut again = Vec::new();
        let mut resend = Vec::new();
        for &i in &call.indices {
            let target = self.plan.items[i].target.clone();
            let item = &mut self.plan.items[i];
            let (why, doubt, rounds, tries, read_tries) = (item.read_for.unwrap_or(ReadFor::Lost), item.doubt, item.rounds, item.attempts, item.read_tries);
            let code = match why {
                ReadFor::Code(c) => Some(c),
                ReadFor::Lost => None,
            };
            // What the service said of the item, else what the code means.
            let said = item.said.clone().or_else(|| code.map(|c| crate::errors::explain(c).meaning));
            match (rule.read_says(reply, &target), why) {
                (Some(true), _) if doubt => self.finish(i, Outcome::Ok, code, Some("done by an earlier attempt whose reply was lost".into()), None, true),
                (Some(true), _) => self.finish(i, Outcome::Already, code, Some(said.unwrap_or_else(|| format!("already in place before this run ({read} shows it)"))), None, false),
                (Some(false), ReadFor::Code(_)) => self.finish(i, Outcome::Failed, code, Some(format!("{} ({read} shows it is not in place)", said.unwrap_or_default())), None, false),
                // Known not done: safe to send again, a bounded number of times.
                (Some(false), ReadFor::Lost) if rounds < self.config.retry.retries => resend.push(i),
                (Some(false), ReadFor::Lost) => {
                    self.finish(i, Outcome::Failed, None, Some(format!("out of tries after {tries} calls ({read} shows it was not done)")), None, false);
                }
                // The read's item did not say (it failed alone): a read is safe to repeat.
                (None, _) if read_tries < self.config.retry.retries => again.push(i),
                (None, ReadFor::Code(_)) if !doubt => self.finish(i, Outcome::Failed, code, Some(format!("{} ({read} did not say whether it was already in place)", said.unwrap_or_default())), None, false),
                (None, _) => self.finish(i, Outcome::Unknown, code, Some(format!("{read} did not say whether it was done")), None, false),
            }
        }
        let user = call.user;
        for &i in &again {
            self.plan.items[i].read_tries += 1;
        }
        self.plan.users[user].check.extend(again);
        for &i in &resend {
            let item = &mut self.plan.items[i];
            item.rounds += 1;
            item.call_tries = 0;
            item.read_for = None;
        }
        self.plan.users[user].queue.extend(resend);
    }

    pub(super) fn call_failed(&mut self, call: &Call, read: bool, answer: &Answer) {
        let failure = answer.failure().expect("only failures get here");
        let unknown = !read && answer.unknown_outcome();
        // A read changes nothing: any failure that another try may cure is tried again.
        let retry = if read { failure.read_retryable() } else { failure.retryable() };
        let command = if read { self.rule.map_or(self.op.command, |r| r.read_command()) } else { self.op.command };
        let (code, message) = answer.describe(command);
        let limited = matches!(answer, Answer::Api(c, _) if rate_limited(*c));
        let mut again = Vec::new();
        let mut reads = Vec::new();
        for &i in &call.indices {
            let item = &mut self.plan.items[i];
            item.doubt |= unknown;
            // Over the rate: nothing was done, and the penalized budget paces the next try.
            if limited && self.config.retry.retries > 0 && item.limited < RATE_LIMITED_TRIES {
                item.limited += 1;
                again.push(i);
                continue;
            }
            let tries = if read { &mut item.read_tries } else { &mut item.call_tries };
            if retry && *tries < self.config.retry.retries {
                *tries += 1;
                again.push(i);
            } else if read {
                // Never in doubt, the item was refused with a code (this run changed nothing);
                // the read only had to tell `already` from `failed`.
                match item.read_for {
                    Some(ReadFor::Code(c)) if !item.doubt => {
                        let meaning = crate::errors::explain(c).meaning;
                        self.finish(i, Outcome::Failed, Some(c), Some(format!("{meaning} (could not check whether it was already in place: {message})")), None, false);
                    }
                    Some(ReadFor::Code(c)) => self.finish(i, Outcome::Unknown, Some(c), Some(format!("could not confirm: {message}")), None, false),
                    _ => self.finish(i, Outcome::Unknown, code, Some(format!("could not confirm: {message}")), None, false),
                }
            } else if item.doubt && self.rule.is_some() {
                // Out of tries with the outcome unknown: a read tells.
                reads.push(i);
            } else if item.doubt {
                self.finish(i, Outcome::Unknown, code, Some(message.clone()), None, false);
            } else {
                let why = why_failed(message.clone(), retry.then_some(item.attempts));
                self.finish(i, Outcome::Failed, code, Some(why), None, false);
            }
        }
        for i in reads {
            self.read_later(call.user, i, ReadFor::Lost);
        }
        // Back at the front, in their order: the user's next call is the same call again.
        let user = &mut self.plan.users[call.user];
        for &i in again.iter().rev() {
            if read {
                user.check.insert(0, i);
            } else {
                user.queue.push_front(i);
            }
        }
    }
}

/// A failed item's `info`: what the service said (else what the code means), and whether that
/// was a refusal or a transient failure that used up the item's tries (`Some(attempts)`).
fn why_failed(said: String, out_of_tries: Option<u32>) -> String {
    match out_of_tries {
        Some(n) => format!("{said} (out of tries after {n} calls)"),
        None => said,
    }
}
