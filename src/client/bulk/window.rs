//! The adaptive window: how many users are worked on at once. By Little's law the calls in
//! flight needed to meet a rate are `rate × round trip`. The round trip used is the least of
//! the recent ones (the network's share): an average would also count the time our own calls
//! wait for the CPU or the connection pool, and a window grown on that grows the wait that grew
//! it. With headroom, the throttle is the limit, or every user with work has a call in flight.
//! `concurrency` caps it.

use std::collections::VecDeque;

/// Round trips remembered for the minimum.
const SAMPLES: usize = 32;
/// Headroom over `rate × round trip` (round trips vary; the throttle holds the surplus back).
const HEADROOM: f64 = 1.5;
/// The window before any round trip was measured.
const INITIAL: usize = 8;

/// The window controller.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    rate_per_ms: f64,
    cap: usize,
    recent: VecDeque<f64>,
}

impl Window {
    /// A window for `rate_per_second` calls, never above `cap` (`None`: no cap).
    pub fn new(rate_per_second: f64, cap: Option<usize>) -> Self {
        Self { rate_per_ms: rate_per_second.max(0.001) / 1000.0, cap: cap.unwrap_or(usize::MAX).max(1), recent: VecDeque::with_capacity(SAMPLES) }
    }

    /// Folds in one measured round trip.
    pub fn observe(&mut self, rtt_ms: f64) {
        if self.recent.len() == SAMPLES {
            self.recent.pop_front();
        }
        self.recent.push_back(rtt_ms.max(0.0));
    }

    /// The least recent round trip, once measured.
    pub fn rtt_ms(&self) -> Option<f64> {
        self.recent.iter().copied().reduce(f64::min)
    }

    /// Users to work on at once.
    pub fn size(&self) -> usize {
        let want = match self.rtt_ms() {
            None => INITIAL,
            Some(rtt) => (self.rate_per_ms * rtt * HEADROOM).ceil() as usize + 1,
        };
        want.clamp(1, self.cap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_least_recent_round_trip_and_respects_the_cap() {
        let mut w = Window::new(200.0, None);
        assert_eq!(w.size(), 8);
        w.observe(200.0);
        assert_eq!(w.size(), 61, "200/s × 0.2 s × 1.5 + 1");
        // Our own queueing makes some replies slow: the window does not chase them.
        for _ in 0..10 {
            w.observe(2000.0);
        }
        assert_eq!(w.size(), 61);
        for _ in 0..SAMPLES {
            w.observe(20.0);
        }
        assert_eq!(w.size(), 7, "shrinks when the round trip does");
        let mut capped = Window::new(200.0, Some(8));
        capped.observe(2000.0);
        assert_eq!(capped.size(), 8);
    }
}
