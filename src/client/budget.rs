//! The rate budget of one command, shared by every call of a client (single calls, pages,
//! bulk runs, their confirming reads): no window of `1000 + margin` ms holds more than `rate`
//! calls, as the service counts them.
//!
//! The service counts a call when it handles it, which is later than we start it, and by a
//! different amount for each call: a burst waits in the service's queue and is counted spread
//! out, so a window that was full at our end can overflow at the service's (60007). So each
//! call is counted at the latest time the service can have handled it, as far as its reply
//! shows: the reply's arrival less the least round trip seen in the run (the reply still had to
//! travel back), never before the call started. A call in flight, or one whose reply never came,
//! counts as handled as late as we know of it. The margin covers what a reply cannot show (one
//! leg of the route faster than its share of the least round trip).
//!
//! Calls are not spaced evenly: the engine's window of users in flight paces them, and the
//! budget is spent as soon as it is free. A short run thus needs no more than its round trips,
//! and a long one keeps the rate exactly. When the budget is spent, the next call is due when
//! the oldest count leaves the window: an absolute time, which a late timer does not push back.
//! Times are ms, passed in, and kept in whole microseconds so the bound is exact.
//!
//! The service counts every call of a command, whichever run sent it, so a client's runs share
//! one [`Budgets`]: a run that starts as another ends (or while it goes) does not start from an
//! empty window while the service's still holds the other's calls.

use std::cell::RefCell;
use std::rc::Rc;

/// The window the service counts calls over, in ms.
pub const WINDOW_MS: f64 = 1000.0;

/// Extra ms added to the window by default: the service counts arrivals, not our starts, and
/// the network spreads them; 25 ms of spread is absorbed at a cost of 2.4% of the rate.
pub const DEFAULT_MARGIN_MS: f64 = 25.0;

/// Milliseconds as whole microseconds (never negative), the unit the bounds are kept in.
pub(crate) fn us(ms: f64) -> u64 {
    (ms.max(0.0) * 1000.0).round() as u64
}

/// One call the budget counts.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Counted {
    id: u64,
    start_us: u64,
    /// When the service may have handled it, at the latest; `None` while in flight.
    at_us: Option<u64>,
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
}

impl Budget {
    /// At most `rate_per_second` calls in any `1000 + margin_ms` ms.
    pub fn new(rate_per_second: u32, margin_ms: f64) -> Self {
        let rate = rate_per_second.max(1) as usize;
        Self { rate, window_us: us(WINDOW_MS + margin_ms.max(0.0)), calls: Vec::with_capacity(rate) }
    }

    /// Counts call `id` as starting at `now_ms`, if the budget allows it.
    pub fn take(&mut self, id: u64, now_ms: f64) -> Result<(), Spent> {
        let now = us(now_ms);
        // A count at or before `now - window` is out of every window that holds `now`.
        self.calls.retain(|c| c.at_us.is_none_or(|at| at + self.window_us > now));
        let over = (self.calls.len() + 1).saturating_sub(self.rate);
        if over == 0 {
            self.calls.push(Counted { id, start_us: now, at_us: None });
            return Ok(());
        }
        // `over` counts must leave first; calls in flight leave only after their answer.
        let mut ended: Vec<u64> = self.calls.iter().filter_map(|c| c.at_us).collect();
        if ended.len() < over {
            return Err(Spent::UntilAnswer);
        }
        ended.select_nth_unstable(over - 1);
        Err(Spent::Until((ended[over - 1] + self.window_us) as f64 / 1000.0))
    }

    /// Call `id` ended at `now_ms`. With a reply, `floor_rtt_ms` is the least round trip of the
    /// run so far; `None` (no reply: the call may have been handled as late as now) counts the
    /// call at `now_ms`.
    pub fn answered(&mut self, id: u64, now_ms: f64, floor_rtt_ms: Option<f64>) {
        let Some(c) = self.calls.iter_mut().find(|c| c.id == id) else { return };
        let latest = us(now_ms - floor_rtt_ms.unwrap_or(0.0));
        c.at_us = Some(latest.max(c.start_us).min(us(now_ms)));
    }

    /// Call `id` was counted but never sent: it no longer counts.
    pub fn give_back(&mut self, id: u64) {
        self.calls.retain(|c| c.id != id);
    }
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
        let pos = match self.by_command.iter().position(|(c, _)| c == command) {
            Some(p) => p,
            None => {
                self.by_command.push((command.to_owned(), Budget::new(rate_per_second, margin_ms)));
                self.by_command.len() - 1
            }
        };
        self.by_command[pos].1.take(id, now_ms)
    }

    /// [`Budget::answered`] for `command`.
    pub fn answered(&mut self, command: &str, id: u64, now_ms: f64, floor_rtt_ms: Option<f64>) {
        if let Some((_, b)) = self.by_command.iter_mut().find(|(c, _)| c == command) {
            b.answered(id, now_ms, floor_rtt_ms);
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
    fn a_burst_is_allowed_up_to_the_rate_then_the_oldest_count_decides() {
        let mut b = Budget::new(3, 0.0);
        for id in 0..3 {
            assert_eq!(b.take(id, 0.0), Ok(()));
        }
        assert_eq!(b.take(3, 1.0), Err(Spent::UntilAnswer), "all three in flight");
        // Replies at 30, 50 and 60 ms; the least round trip is 20 ms.
        b.answered(0, 30.0, Some(20.0));
        b.answered(1, 50.0, Some(20.0));
        b.answered(2, 60.0, Some(20.0));
        // Counted at 10, 30 and 40 ms: the first may go when the count at 10 ms leaves.
        assert_eq!(b.take(3, 61.0), Err(Spent::Until(1010.0)));
        assert_eq!(b.take(3, 1010.0), Ok(()));
        assert_eq!(b.take(4, 1010.0), Err(Spent::Until(1030.0)));
    }

    #[test]
    fn no_reply_counts_the_call_when_its_failure_was_seen_and_never_before_its_start() {
        let mut b = Budget::new(1, 25.0);
        assert_eq!(b.take(0, 100.0), Ok(()));
        b.answered(0, 400.0, None);
        assert_eq!(b.take(1, 401.0), Err(Spent::Until(1425.0)));
        let mut b = Budget::new(1, 0.0);
        assert_eq!(b.take(0, 100.0), Ok(()));
        // A round trip shorter than the least one seen (the floor is from another route).
        b.answered(0, 105.0, Some(20.0));
        assert_eq!(b.take(1, 106.0), Err(Spent::Until(1100.0)));
        // An unknown id changes nothing.
        b.answered(9, 2000.0, Some(1.0));
        assert_eq!(b.take(1, 1100.0), Ok(()));
    }

    /// Calls that each start as soon as the budget allows and are answered `rtt` later; the
    /// service handles each `up` after its start. The service's own one-second window never
    /// holds more than the rate, and the starts of a long run keep the rate.
    #[test]
    fn the_service_never_counts_more_than_the_rate_and_a_long_run_keeps_it() {
        let rate = 200;
        let mut b = Budget::new(rate, 0.0);
        let (mut now, mut handled, mut starts) = (0.0f64, Vec::new(), Vec::new());
        let mut in_flight: Vec<(u64, f64, f64)> = Vec::new();
        for id in 0..2000u64 {
            loop {
                // Answer what is due; a burst queues at the service: each call's wait grows.
                in_flight.sort_by(|a, b| a.1.total_cmp(&b.1));
                while in_flight.first().is_some_and(|c| c.1 <= now) {
                    let (done, at, _) = in_flight.remove(0);
                    b.answered(done, at, Some(20.0));
                }
                match b.take(id, now) {
                    Ok(()) => break,
                    Err(Spent::Until(t)) => now = t,
                    Err(Spent::UntilAnswer) => now = in_flight[0].1,
                }
            }
            let queue = (id % 50) as f64 * 2.0;
            let handle = now + 10.0 + queue;
            handled.push(handle);
            starts.push(now);
            in_flight.push((id, handle + 10.0, handle));
        }
        handled.sort_by(f64::total_cmp);
        let max = (0..handled.len()).map(|i| handled[i..].iter().take_while(|&&t| t < handled[i] + 1000.0).count()).max().unwrap();
        assert!(max <= rate as usize, "the service counted {max} calls in a second");
        let span = starts[1999] - starts[0];
        assert!(span < 10_000.0 + 300.0, "2000 calls at 200/s spanned {span} ms");
    }
}
