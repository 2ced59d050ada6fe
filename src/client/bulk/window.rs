//! The adaptive window: how many users are worked on at once. By Little's law the calls in
//! flight needed to meet a rate are `rate × round trip`; the window follows a smoothed round
//! trip measured on every reply, with headroom, so that either the throttle is the limit or
//! every user with work has a call in flight. `concurrency` caps it.

/// Weight of the newest round trip in the average.
const ALPHA: f64 = 0.2;
/// Headroom over `rate × round trip` (round trips vary; the throttle holds the surplus back).
const HEADROOM: f64 = 1.25;
/// The window before any round trip was measured.
const INITIAL: usize = 8;

/// The window controller.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    rate_per_ms: f64,
    cap: usize,
    rtt_ms: Option<f64>,
}

impl Window {
    /// A window for `rate_per_second` calls, never above `cap` (`None`: no cap).
    pub fn new(rate_per_second: f64, cap: Option<usize>) -> Self {
        Self { rate_per_ms: rate_per_second.max(0.001) / 1000.0, cap: cap.unwrap_or(usize::MAX).max(1), rtt_ms: None }
    }

    /// Folds in one measured round trip.
    pub fn observe(&mut self, rtt_ms: f64) {
        let rtt = rtt_ms.max(0.0);
        self.rtt_ms = Some(match self.rtt_ms {
            None => rtt,
            Some(avg) => avg + ALPHA * (rtt - avg),
        });
    }

    /// The smoothed round trip, once measured.
    pub fn rtt_ms(&self) -> Option<f64> {
        self.rtt_ms
    }

    /// Users to work on at once.
    pub fn size(&self) -> usize {
        let want = match self.rtt_ms {
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
    fn grows_with_the_round_trip_and_respects_the_cap() {
        let mut w = Window::new(200.0, None);
        assert_eq!(w.size(), 8);
        w.observe(200.0);
        assert_eq!(w.size(), 51, "200/s × 0.2 s × 1.25 + 1");
        for _ in 0..50 {
            w.observe(20.0);
        }
        assert!(w.size() <= 7, "shrinks when the round trip does: {}", w.size());
        let mut capped = Window::new(200.0, Some(8));
        capped.observe(2000.0);
        assert_eq!(capped.size(), 8);
    }
}
