//! A token bucket per endpoint. Its burst is one token, so calls are spaced `1000 / rate` ms
//! apart and no one-second window (half-open) ever holds more than `rate` starts: a bigger
//! burst would let a window hold up to twice the rate, and the service counts per second.
//! Times are milliseconds, passed in.

/// The bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenBucket {
    rate: f64,
    tokens: f64,
    last_ms: f64,
}

impl TokenBucket {
    /// A full bucket (one token) refilling at `rate_per_second`.
    pub fn new(rate_per_second: f64, now_ms: f64) -> Self {
        Self { rate: rate_per_second.max(0.001), tokens: 1.0, last_ms: now_ms }
    }

    /// Takes a token if one is there (`None`), else says how many milliseconds to wait. A
    /// caller that waits then calls again; waiters are served one at a time by the caller.
    pub fn take(&mut self, now_ms: f64) -> Option<f64> {
        let elapsed = (now_ms - self.last_ms).max(0.0);
        self.tokens = (self.tokens + elapsed * self.rate / 1000.0).min(1.0);
        self.last_ms = now_ms.max(self.last_ms);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            None
        } else {
            Some(((1.0 - self.tokens) * 1000.0 / self.rate).ceil().max(1.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Callers that retry exactly when told; returns the start times.
    fn starts(rate: f64, calls: usize) -> Vec<f64> {
        let mut bucket = TokenBucket::new(rate, 0.0);
        let (mut now, mut out) = (0.0, Vec::new());
        while out.len() < calls {
            match bucket.take(now) {
                None => out.push(now),
                Some(wait) => now += wait,
            }
        }
        out
    }

    #[test]
    fn no_one_second_window_holds_more_than_the_rate() {
        for rate in [1.0, 7.0, 200.0] {
            let s = starts(rate, 1000);
            for (i, &t) in s.iter().enumerate() {
                let in_window = s[i..].iter().take_while(|&&u| u < t + 1000.0).count();
                assert!(in_window as f64 <= rate, "rate {rate}: {in_window} starts in the second after {t} ms");
            }
        }
        let s = starts(200.0, 2001);
        assert!((s[2000] - 10_000.0).abs() < 1.0, "2001 calls at 200/s span 10 s, spanned {}", s[2000]);
    }

    #[test]
    fn waits_are_positive_and_idle_time_does_not_bank_bursts() {
        let mut bucket = TokenBucket::new(2.0, 0.0);
        assert_eq!(bucket.take(0.0), None);
        assert_eq!(bucket.take(0.0), Some(500.0));
        assert_eq!(bucket.take(1_000_000.0), None);
        assert_eq!(bucket.take(1_000_000.0), Some(500.0));
    }
}
