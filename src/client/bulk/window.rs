//! The adaptive window: how many users are worked on at once. By Little's law the calls in
//! flight needed to meet a rate are `rate × round trip`. The round trip used is the least of
//! the recent ones (the network's share): an average would also count the time our own calls
//! wait for the CPU or the connection pool, and a window grown on that grows the wait that grew
//! it. With headroom, the rate budget is the limit, or every user with work has a call in flight.
//! `concurrency` caps it. Before the first round trip is measured, the time since the first
//! call went out is a lower bound on it (no reply has come yet), so the window grows with that
//! time instead of waiting a whole round trip at a guessed size.

use std::collections::VecDeque;

/// Round trips remembered for the minimum.
const SAMPLES: usize = 32;
/// Headroom over `rate × round trip` (round trips vary; the budget holds the surplus back).
const HEADROOM: f64 = 1.5;
/// The window before any round trip was measured.
const INITIAL: usize = 8;

/// The window controller.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    rate_per_ms: f64,
    cap: usize,
    recent: VecDeque<f64>,
    floor: Option<f64>,
    first_sent_ms: Option<f64>,
}

impl Window {
    /// A window for `rate_per_second` calls, never above `cap` (`None`: no cap).
    pub fn new(rate_per_second: f64, cap: Option<usize>) -> Self {
        Self { rate_per_ms: rate_per_second.max(0.001) / 1000.0, cap: cap.unwrap_or(usize::MAX).max(1), recent: VecDeque::with_capacity(SAMPLES), floor: None, first_sent_ms: None }
    }

    /// Notes a call sent at `now_ms`.
    pub fn sent(&mut self, now_ms: f64) {
        self.first_sent_ms.get_or_insert(now_ms);
    }

    /// Folds in one measured round trip.
    pub fn observe(&mut self, rtt_ms: f64) {
        if self.recent.len() == SAMPLES {
            self.recent.pop_front();
        }
        self.recent.push_back(rtt_ms.max(0.0));
        self.floor = Some(self.floor.map_or(rtt_ms.max(0.0), |f| f.min(rtt_ms.max(0.0))));
    }

    /// The least round trip of the whole run (it only falls; the budget counts on it).
    pub fn floor_ms(&self) -> Option<f64> {
        self.floor
    }

    /// The least recent round trip, once measured.
    pub fn rtt_ms(&self) -> Option<f64> {
        self.recent.iter().copied().reduce(f64::min)
    }

    /// Users to work on at once, at `now_ms`.
    pub fn size(&self, now_ms: f64) -> usize {
        let want = |rtt: f64| (self.rate_per_ms * rtt * HEADROOM).ceil() as usize + 1;
        let want = match (self.rtt_ms(), self.first_sent_ms) {
            (Some(rtt), _) => want(rtt),
            (None, None) => INITIAL,
            // No reply yet: the round trip is at least the time since the first call.
            (None, Some(first)) => INITIAL.max(want(now_ms - first)),
        };
        want.clamp(1, self.cap)
    }

    /// Before the first reply, when the window grows past `in_flight` users (ms): the driver
    /// must be woken then, or the growth waits for a reply after all. `None` once a round trip
    /// is measured (the window then changes only with replies) or at the cap.
    pub fn grows_at(&self, in_flight: usize) -> Option<f64> {
        let first = self.first_sent_ms.filter(|_| self.recent.is_empty())?;
        if in_flight >= self.cap {
            return None;
        }
        // size > n once ceil(rate × t × HEADROOM) ≥ n, i.e. rate × t × HEADROOM > n - 1.
        let t = in_flight.saturating_sub(1) as f64 / (self.rate_per_ms * HEADROOM);
        Some(first + t + 0.001)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_least_recent_round_trip_and_respects_the_cap() {
        let mut w = Window::new(200.0, None);
        assert_eq!(w.size(0.0), 8);
        w.sent(0.0);
        w.observe(200.0);
        assert_eq!(w.size(200.0), 61, "200/s × 0.2 s × 1.5 + 1");
        // Our own queueing makes some replies slow: the window does not chase them.
        for _ in 0..10 {
            w.observe(2000.0);
        }
        assert_eq!(w.size(2000.0), 61);
        for _ in 0..SAMPLES {
            w.observe(20.0);
        }
        assert_eq!(w.size(3000.0), 7, "shrinks when the round trip does");
        let mut capped = Window::new(200.0, Some(8));
        capped.observe(2000.0);
        assert_eq!(capped.size(0.0), 8);
    }

    #[test]
    fn grows_with_the_wait_for_the_first_reply() {
        let mut w = Window::new(200.0, None);
        w.sent(1000.0);
        assert_eq!(w.size(1010.0), 8, "never below the initial window");
        assert_eq!(w.size(1100.0), 31, "a round trip of at least 100 ms: 200/s × 0.1 s × 1.5 + 1");
        assert_eq!(w.size(1200.0), 61);
        // The first reply replaces the bound with the measurement.
        w.observe(20.0);
        assert_eq!(w.size(1200.0), 7);
        let mut capped = Window::new(200.0, Some(10));
        capped.sent(0.0);
        assert_eq!(capped.size(5000.0), 10);
    }

    #[test]
    fn says_when_it_grows_before_the_first_reply() {
        let mut w = Window::new(200.0, None);
        assert_eq!(w.grows_at(8), None, "nothing sent yet");
        w.sent(1000.0);
        for n in [8, 9, 30, 61] {
            let at = w.grows_at(n).unwrap();
            assert!(w.size(at) > n, "{n} users in flight: the window is {} at {at}", w.size(at));
            assert!(w.size(at - 0.01) <= n, "{n} users: already {} before {at}", w.size(at - 0.01));
        }
        assert_eq!(Window::new(200.0, Some(8)).grows_at(8), None, "at the cap");
        w.observe(20.0);
        assert_eq!(w.grows_at(8), None, "measured: replies move it");
    }
}
