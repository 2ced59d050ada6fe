//! The rate budget of one command, shared by every call of a client (single calls, pages,
//! bulk runs, their confirming reads): no window of `1000 + margin` ms holds more than `rate`
//! calls, as the service counts them.
//!
//! The service counts a call somewhere between our start and the reply's arrival: when its body
//! arrives, or when it answers. Where exactly a reply cannot show (the round trip does not say
//! how it splits into the leg out and the leg back), but the reply's arrival is always after
//! the count. So a call counts at its reply when the least round trip of the run is short
//! (at most [`ALLOWANCE_MS`]): that is sure under any split, and costs little rate there. At a
//! longer round trip, counting at the reply would cost a round trip of rate per second, so the
//! count moves earlier by the part of the least round trip above the allowance: a leg out as
//! short as anything up to the allowance plus the margin, and any jitter of the legs up to
//! that, is still covered. A call in flight counts as not yet handled, never before its start;
//! one whose reply never came counts when its failure was seen.
//!
//! After a rate-limit answer (60007, or any code the catalogue classes `RateLimited`), the
//! service's count was ahead of ours: [`Budget::penalize`] counts every call at its reply from
//! then on for [`PENALTY_MS`] (the calls already answered too), and holds new calls for
//! [`HOLD_MS`]. Every user of the budget slows down at once.
//!
//! Calls are not spaced evenly: the engine's window of users in flight paces them, and the
//! budget is spent as soon as it is free. A short run thus needs no more than its round trips,
//! and a long one keeps the rate. When the budget is spent, the next call is due when the
//! oldest count leaves the window: an absolute time, which a late timer does not push back.
//! Times are ms, passed in, and kept in whole microseconds so the bound is exact.
//!
//! The service counts every call of a command, whichever run sent it, so a client's runs share
//! one [`Budgets`]: a run that starts as another ends (or while it goes) does not start from an
//! empty window while the service's still holds the other's calls.

use std::cell::RefCell;
use std::rc::Rc;

/// The window the service counts calls over, in ms.
pub const WINDOW_MS: f64 = 1000.0;

/// Extra ms added to the window by default: it covers the clocks' resolution and, at long round
/// trips, the jitter of the legs beyond [`ALLOWANCE_MS`], at a cost of 2.4% of the rate.
pub const DEFAULT_MARGIN_MS: f64 = 25.0;

/// The part of the least round trip never subtracted from a reply's time, ms: up to it a call
/// counts at its reply. 50 ms keeps 0.95 of the rate at 20 ms round trips (each call holds its
/// place for a window and its round trip), and at longer ones covers this much more of a leg's
/// jitter than the margin alone, at 0.93 of the rate.
pub const ALLOWANCE_MS: f64 = 50.0;

/// How long after a rate-limit answer every call of the command counts at its reply, ms.
pub const PENALTY_MS: f64 = 60_000.0;

/// How long a rate-limit answer holds new calls of the command, ms: the service's window was
/// fuller than ours, and a short pause lets its oldest counts leave before the retry goes.
pub const HOLD_MS: f64 = 50.0;

/// Answers "over the rate" one call (or bulk item) may get before it fails. They do not use up
/// the `retries`, which are for failures: the penalized budget paces every new try, and while
/// other callers hold the app over its limit a few seconds of 60007 are not a failure of the
/// call. The bound still ends a run that never gets through. A caller that asked for no
/// retries (`retries: 0`) gets none of these either.
pub const RATE_LIMITED_TRIES: u32 = 20;

/// Whether an answer's error code means "over a rate limit" (the catalogue's `RateLimited`
/// class): the call goes again when the budget allows, and the budget is penalized.
pub fn rate_limited(code: u32) -> bool {
    crate::errors::retry_class(code) == crate::errors::Retry::RateLimited
}

/// Milliseconds as whole microseconds (never negative), the unit the bounds are kept in.
pub(crate) fn us(ms: f64) -> u64 {
    (ms.max(0.0) * 1000.0).round() as u64
}

/// One call the budget counts.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Counted {
    id: u64,
    start_us: u64,
    /// When it went out (its start, unless the executor said later).
    sent_us: u64,
    /// When it ended, and whether with a reply; `None` while in flight.
    end: Option<(u64, bool)>,
}

/// What `take` says when the budget is spent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Spent {
    /// Ask again at this time (ms).
    Until(f64),
    /// Every call counted is still in flight: ask again when one ends.
    UntilAnswer,
}

/// The budget of one command.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    rate: usize,
    window_us: u64,
    calls: Vec<Counted>,
    /// The least round trip seen, from a call's going out to its reply.
    floor_us: Option<u64>,
    /// Calls count at their reply until then (a penalty).
    at_reply_until_us: u64,
    /// No new call before then (a penalty).
    hold_until_us: u64,
}

impl Budget {
    /// At most `rate_per_second` calls in any `1000 + margin_ms` ms.
    pub fn new(rate_per_second: u32, margin_ms: f64) -> Self {
        let rate = rate_per_second.max(1) as usize;
        Self { rate, window_us: us(WINDOW_MS + margin_ms.max(0.0)), calls: Vec::with_capacity(rate), floor_us: None, at_reply_until_us: 0, hold_until_us: 0 }
    }

    /// Counts call `id` as starting at `now_ms`, if the budget allows it.
    pub fn take(&mut self, id: u64, now_ms: f64) -> Result<(), Spent> {
        let now = us(now_ms);
        if now < self.hold_until_us {
            return Err(Spent::Until(self.hold_until_us as f64 / 1000.0));
        }
        // Worked out at every look, with the least round trip known now: it only falls, so a
        // count only moves later (and a penalty moves every count to its reply at once).
        let early = if now < self.at_reply_until_us { 0 } else { self.floor_us.map_or(0, |f| f.saturating_sub(us(ALLOWANCE_MS))) };
        let at = |c: &Counted| c.end.map(|(end, replied)| if replied { end.saturating_sub(early).max(c.start_us) } else { end });
        // A count at or before `now - window` is out of every window that holds `now`.
        let window = self.window_us;
        self.calls.retain(|c| at(c).is_none_or(|at| at + window > now));
        let over = (self.calls.len() + 1).saturating_sub(self.rate);
        if over == 0 {
            self.calls.push(Counted { id, start_us: now, sent_us: now, end: None });
            return Ok(());
        }
        // `over` counts must leave first; calls in flight leave only after their answer.
        match kth_smallest(self.calls.iter().filter_map(at), over) {
            Some(leaves) => Err(Spent::Until((leaves + self.window_us) as f64 / 1000.0)),
            None => Err(Spent::UntilAnswer),
        }
    }

    /// Call `id` went out at `now_ms` (later than it was taken: the round trips the budget
    /// measures then leave out the executor's own delays, which a later call may not have).
    pub fn sent(&mut self, id: u64, now_ms: f64) {
        if let Some(c) = self.calls.iter_mut().find(|c| c.id == id) {
            c.sent_us = us(now_ms).max(c.start_us);
        }
    }

    /// Call `id` ended at `now_ms`. With a reply, `floor_rtt_ms` is the least round trip the
    /// caller measured (the budget also measures its own, from [`Budget::sent`]); `None` (no
    /// reply, or none to measure by) counts the call when it ended.
    pub fn answered(&mut self, id: u64, now_ms: f64, floor_rtt_ms: Option<f64>) {
        let Some(c) = self.calls.iter_mut().find(|c| c.id == id) else { return };
        let end = us(now_ms).max(c.start_us);
        c.end = Some((end, floor_rtt_ms.is_some()));
        if let Some(f) = floor_rtt_ms {
            let least = us(f).min(end - c.sent_us.min(end));
            self.floor_us = Some(self.floor_us.map_or(least, |l| l.min(least)));
        }
    }

    /// A call of this command was answered "over the rate" at `now_ms`: the service counted
    /// more than we did. Every call counts at its reply for [`PENALTY_MS`], the calls already
    /// answered included, and no new call starts for [`HOLD_MS`].
    pub fn penalize(&mut self, now_ms: f64) {
        self.at_reply_until_us = self.at_reply_until_us.max(us(now_ms + PENALTY_MS));
        self.hold_until_us = self.hold_until_us.max(us(now_ms + HOLD_MS));
    }

    /// Call `id` was counted but never sent: it no longer counts.
    pub fn give_back(&mut self, id: u64) {
        self.calls.retain(|c| c.id != id);
    }
}

/// The `k`-th smallest (from 1) of `values`, `None` when there are fewer. Only the `k` least
/// are kept: `k` is almost always 1 (calls ask one at a time), and a general selection
/// (`select_nth_unstable`) cost the browser build 2 KB of sorting code.
fn kth_smallest(values: impl Iterator<Item = u64>, k: usize) -> Option<u64> {
    let mut least: Vec<u64> = Vec::with_capacity(k);
    for v in values {
        if least.len() == k {
            if k == 0 || v >= least[k - 1] {
                continue;
            }
            least.pop();
        }
        let at = least.partition_point(|&x| x <= v);
        least.insert(at, v);
    }
    k.checked_sub(1).and_then(|i| least.get(i).copied()).filter(|_| least.len() == k)
}

/// The budgets of every command, shared by the calls and runs of one client (single-threaded:
/// the tasks of a wasm instance take turns).
pub type SharedBudgets = Rc<RefCell<Budgets>>;

/// One [`Budget`] per command, and the numbering of the runs that spend them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Budgets {
    runs: u64,
    by_command: Vec<(String, Budget)>,
}

impl Budgets {
    /// A new shared set.
    pub fn shared() -> SharedBudgets {
        Rc::new(RefCell::new(Self::default()))
    }

    /// A number for a new run: its call ids are this times 2^32 plus its own count, so that
    /// runs sharing the budgets never count each other's calls as their own.
    pub fn new_run(&mut self) -> u64 {
        self.runs += 1;
        self.runs << 32
    }

    /// [`Budget::take`] for `command` (its budget made at `rate_per_second` and `margin_ms` when
    /// first used).
    pub fn take(&mut self, command: &str, rate_per_second: u32, margin_ms: f64, id: u64, now_ms: f64) -> Result<(), Spent> {
        let pos = self.position(command, rate_per_second, margin_ms);
        self.by_command[pos].1.take(id, now_ms)
    }

    /// Where `command`'s budget is, made if new.
    fn position(&mut self, command: &str, rate_per_second: u32, margin_ms: f64) -> usize {
        match self.by_command.iter().position(|(c, _)| c == command) {
            Some(p) => p,
            None => {
                self.by_command.push((command.to_owned(), Budget::new(rate_per_second, margin_ms)));
                self.by_command.len() - 1
            }
        }
    }

    /// [`Budget::answered`] for `command`.
    pub fn answered(&mut self, command: &str, id: u64, now_ms: f64, floor_rtt_ms: Option<f64>) {
        if let Some((_, b)) = self.by_command.iter_mut().find(|(c, _)| c == command) {
            b.answered(id, now_ms, floor_rtt_ms);
        }
    }

    /// [`Budget::penalize`] for `command` (made at `rate_per_second` and `margin_ms` if new: a
    /// penalty holds for calls not yet made too).
    pub fn penalize(&mut self, command: &str, rate_per_second: u32, margin_ms: f64, now_ms: f64) {
        let pos = self.position(command, rate_per_second, margin_ms);
        self.by_command[pos].1.penalize(now_ms);
    }

    /// [`Budget::sent`] for `command`.
    pub fn sent(&mut self, command: &str, id: u64, now_ms: f64) {
        if let Some((_, b)) = self.by_command.iter_mut().find(|(c, _)| c == command) {
            b.sent(id, now_ms);
        }
    }

    /// [`Budget::give_back`] for `command`.
    pub fn give_back(&mut self, command: &str, id: u64) {
        if let Some((_, b)) = self.by_command.iter_mut().find(|(c, _)| c == command) {
            b.give_back(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kth_smallest_keeps_only_the_least() {
        let v = [9u64, 3, 7, 3, 1, 8];
        assert_eq!(kth_smallest(v.into_iter(), 1), Some(1));
        assert_eq!(kth_smallest(v.into_iter(), 2), Some(3));
        assert_eq!(kth_smallest(v.into_iter(), 3), Some(3));
        assert_eq!(kth_smallest(v.into_iter(), 4), Some(7));
        assert_eq!(kth_smallest(v.into_iter(), 6), Some(9));
        assert_eq!(kth_smallest(v.into_iter(), 7), None);
        assert_eq!(kth_smallest(v.into_iter(), 0), None);
    }

    #[test]
    fn a_burst_is_allowed_up_to_the_rate_then_the_oldest_count_decides() {
        let mut b = Budget::new(3, 0.0);
        for id in 0..3 {
            assert_eq!(b.take(id, 0.0), Ok(()));
        }
        assert_eq!(b.take(3, 1.0), Err(Spent::UntilAnswer), "all three in flight");
        // Replies at 30, 50 and 60 ms; the least round trip, 20 ms, is within the allowance:
        // each call counts at its reply.
        b.answered(0, 30.0, Some(20.0));
        b.answered(1, 50.0, Some(20.0));
        b.answered(2, 60.0, Some(20.0));
        assert_eq!(b.take(3, 61.0), Err(Spent::Until(1030.0)));
        assert_eq!(b.take(3, 1030.0), Ok(()));
        assert_eq!(b.take(4, 1030.0), Err(Spent::Until(1050.0)));
    }

    #[test]
    fn a_long_round_trip_moves_the_count_back_by_its_part_above_the_allowance() {
        let mut b = Budget::new(1, 0.0);
        assert_eq!(b.take(0, 0.0), Ok(()));
        b.answered(0, 200.0, Some(200.0));
        assert_eq!(b.take(1, 201.0), Err(Spent::Until(1050.0)));
    }

    #[test]
    fn no_reply_counts_the_call_when_its_failure_was_seen_and_never_before_its_start() {
        let mut b = Budget::new(1, 25.0);
        assert_eq!(b.take(0, 100.0), Ok(()));
        b.answered(0, 400.0, None);
        assert_eq!(b.take(1, 401.0), Err(Spent::Until(1425.0)));
        let mut b = Budget::new(1, 0.0);
        assert_eq!(b.take(0, 100.0), Ok(()));
        // A reported floor longer than the call's own round trip: the budget's own measure wins.
        b.answered(0, 105.0, Some(150.0));
        assert_eq!(b.take(1, 106.0), Err(Spent::Until(1105.0)));
        // An unknown id changes nothing.
        b.answered(9, 2000.0, Some(1.0));
        assert_eq!(b.take(1, 1105.0), Ok(()));
        // The round trip is measured from when the call went out, not from when it was taken.
        let mut b = Budget::new(1, 0.0);
        assert_eq!(b.take(0, 0.0), Ok(()));
        b.sent(0, 100.0);
        b.answered(0, 300.0, Some(300.0));
        assert_eq!(b.take(1, 301.0), Err(Spent::Until(1150.0)));
    }

    #[test]
    fn a_penalty_counts_every_call_at_its_reply_and_holds_new_ones_briefly() {
        let mut b = Budget::new(2, 0.0);
        assert_eq!(b.take(0, 0.0), Ok(()));
        b.answered(0, 300.0, Some(300.0));
        assert_eq!(b.take(1, 300.0), Ok(()));
        // Counted at 50 ms until the penalty: then at its reply, 300 ms.
        assert_eq!(b.take(2, 301.0), Err(Spent::Until(1050.0)));
        b.penalize(310.0);
        assert_eq!(b.take(2, 320.0), Err(Spent::Until(360.0)), "held");
        b.answered(1, 600.0, Some(300.0));
        assert_eq!(b.take(2, 601.0), Err(Spent::Until(1300.0)));
        // The penalty ends; the subtraction is back.
        let late = 310.0 + PENALTY_MS;
        assert_eq!(b.take(2, late), Ok(()));
        b.answered(2, late + 300.0, Some(300.0));
        assert_eq!(b.take(3, late + 300.0), Ok(()));
        assert_eq!(b.take(4, late + 301.0), Err(Spent::Until(late + 50.0 + 1000.0)));
        assert!(rate_limited(60007) && !rate_limited(30006) && !rate_limited(0));
    }

    /// Calls that each start as soon as the budget allows; the service counts each `out` after
    /// its start (plus a spread) and the reply takes `back` more. Whatever the split, the
    /// service's own one-second window never holds more than the rate, and a long run keeps
    /// the rate the allowance leaves.
    #[test]
    fn the_service_never_counts_more_than_the_rate_whatever_the_split() {
        let rate = 200;
        for (out, back) in [(20.0, 0.0), (0.0, 20.0), (10.0, 10.0), (200.0, 0.0), (0.0, 200.0), (100.0, 100.0)] {
            let mut b = Budget::new(rate, 0.0);
            let (mut now, mut counted, mut starts) = (0.0f64, Vec::new(), Vec::new());
            let mut in_flight: Vec<(u64, f64)> = Vec::new();
            let mut floor = f64::INFINITY;
            for id in 0..2000u64 {
                loop {
                    in_flight.sort_by(|a, b| a.1.total_cmp(&b.1));
                    while in_flight.first().is_some_and(|c| c.1 <= now) {
                        let (done, at) = in_flight.remove(0);
                        let start = starts[done as usize];
                        floor = floor.min(at - start);
                        b.answered(done, at, Some(floor));
                    }
                    match b.take(id, now) {
                        Ok(()) => break,
                        Err(Spent::Until(t)) => now = t,
                        Err(Spent::UntilAnswer) => now = in_flight[0].1,
                    }
                }
                // A burst queues at the service: each call's count comes later, by up to 20 ms.
                let queue = (id % 50) as f64 * 0.4;
                let count = now + out + queue;
                counted.push(count);
                starts.push(now);
                in_flight.push((id, count + back));
            }
            counted.sort_by(f64::total_cmp);
            let max = (0..counted.len()).map(|i| counted[i..].iter().take_while(|&&t| t < counted[i] + 1000.0).count()).max().unwrap();
            assert!(max <= rate as usize, "{out}+{back} ms: the service counted {max} calls in a second");
            // Each call holds its place for a window and its round trip (its queue included),
            // or, at long round trips, the allowance and its queue.
            let held = WINDOW_MS + (out + back).min(ALLOWANCE_MS) + 20.0;
            let span = starts[1999] - starts[0];
            assert!(span <= 1800.0 / rate as f64 * held + 100.0, "{out}+{back} ms: 2000 calls at 200/s spanned {span} ms");
        }
    }
}
