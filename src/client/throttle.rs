//! The exact per-endpoint throttle. Calls are released on an absolute schedule, one every
//! `window / rate` ms, so a timer that fires late does not push every later call back; and the
//! start times of the last `rate` calls are kept, so that no window of `window` ms ever holds more
//! than `rate` actual starts, however late some of them were. Idle time does not bank a burst.
//! Times are milliseconds, passed in; the schedule is kept in whole microseconds so that the
//! bound is exact (no float drift letting a 201st call into a second).

use std::collections::VecDeque;

/// The window the service counts calls over, in ms.
pub const WINDOW_MS: f64 = 1000.0;

/// Extra ms added to the window by default: the service counts arrivals, not our starts, and
/// the network spreads them; 25 ms of spread is absorbed at a cost of 2.4% of the rate.
pub const DEFAULT_MARGIN_MS: f64 = 25.0;

/// The throttle of one endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Throttle {
    rate: usize,
    window_us: u64,
    interval_us: u64,
    next_slot_us: Option<u64>,
    recent: VecDeque<u64>,
}

/// Milliseconds as whole microseconds (never negative), the unit the bounds are kept in.
pub(crate) fn us(ms: f64) -> u64 {
    (ms.max(0.0) * 1000.0).round() as u64
}

impl Throttle {
    /// At most `rate_per_second` starts in any `1000 + margin_ms` ms.
    pub fn new(rate_per_second: u32, margin_ms: f64) -> Self {
        let rate = rate_per_second.max(1) as usize;
        let window_us = us(WINDOW_MS + margin_ms.max(0.0));
        Self { rate, window_us, interval_us: window_us.div_ceil(rate as u64), next_slot_us: None, recent: VecDeque::with_capacity(rate) }
    }

    /// The earliest time (ms) a call may start, given that it is `now_ms`.
    pub fn ready_at(&self, now_ms: f64) -> f64 {
        let now = us(now_ms);
        let slot = self.next_slot_us.unwrap_or(0);
        let window = if self.recent.len() >= self.rate { self.recent.front().map_or(0, |&t| t + self.window_us) } else { 0 };
        (now.max(slot).max(window)) as f64 / 1000.0
    }

    /// Takes a slot if a call may start at `now_ms` (`None`), else says when to ask again.
    pub fn take(&mut self, now_ms: f64) -> Option<f64> {
        let ready = self.ready_at(now_ms);
        let now = us(now_ms);
        if us(ready) > now {
            return Some(ready);
        }
        // The slot used is the scheduled one while we keep up (lateness is not carried over),
        // or now after an idle spell (no banked burst).
        let slot = match self.next_slot_us {
            Some(s) if now < s + self.interval_us => s,
            _ => now,
        };
        self.next_slot_us = Some(slot + self.interval_us);
        if self.recent.len() >= self.rate {
            self.recent.pop_front();
        }
        self.recent.push_back(now);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Callers that retry when told, each `late` ms after the time given; the start times.
    fn starts(rate: u32, calls: usize, late: impl Fn(usize) -> f64) -> Vec<f64> {
        let mut t = Throttle::new(rate, 0.0);
        let (mut now, mut out) = (0.0, Vec::new());
        while out.len() < calls {
            match t.take(now) {
                None => out.push(now),
                Some(at) => now = at + late(out.len()),
            }
        }
        out
    }

    fn max_in_window(s: &[f64]) -> usize {
        (0..s.len()).map(|i| s[i..].iter().take_while(|&&u| u < s[i] + 1000.0).count()).max().unwrap_or(0)
    }

    #[test]
    fn no_one_second_window_holds_more_than_the_rate() {
        for rate in [1, 7, 200] {
            assert!(max_in_window(&starts(rate, 1000, |_| 0.0)) <= rate as usize, "rate {rate}");
        }
        let s = starts(200, 2001, |_| 0.0);
        assert!((s[2000] - 10_000.0).abs() < 0.01, "2001 calls at 200/s span 10 s, spanned {}", s[2000]);
    }

    #[test]
    fn late_timers_neither_accumulate_nor_break_the_bound() {
        // Every other timer fires 3 ms late: the schedule stays absolute, the bound holds.
        let s = starts(200, 2001, |i| if i % 2 == 0 { 3.0 } else { 0.0 });
        assert!(max_in_window(&s) <= 200);
        // Carried over per call, 1000 late timers would add 3 s. The window bound on actual
        // starts costs at most the lateness of a start per window (10 windows here).
        assert!(s[2000] < 10_000.0 + 10.0 * 2.0 * 3.0, "lateness accumulated: 2001 calls took {} ms", s[2000]);
        // A 400 ms stall: the calls due meanwhile are not all sent at once.
        let s = starts(200, 600, |i| if i == 100 { 400.0 } else { 0.0 });
        assert!(max_in_window(&s) <= 200);
    }

    #[test]
    fn idle_time_does_not_bank_bursts_and_the_margin_widens_the_window() {
        let mut t = Throttle::new(2, 0.0);
        assert_eq!(t.take(0.0), None);
        assert_eq!(t.take(0.0), Some(500.0));
        assert_eq!(t.take(1_000_000.0), None);
        assert_eq!(t.take(1_000_000.0), Some(1_000_500.0));
        let mut m = Throttle::new(200, 25.0);
        assert_eq!(m.take(0.0), None);
        assert_eq!(m.take(0.0), Some(5.125));
    }
}
