//! When to retry and how long to wait: network errors, HTTP 5xx, timeouts and the codes the
//! error catalogue classes as retryable (`crate::errors::retry_class`) are retried with
//! exponential backoff and full jitter; validation, auth and every other error never are.

use crate::errors::retry_class;

/// What went wrong with one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The fetch failed (no reply).
    Network,
    /// No reply within the timeout.
    Timeout,
    /// A reply with this HTTP status other than 200.
    Http(u16),
    /// A reply whose envelope failed with this code.
    Api(u32),
    /// A reply that could not be read.
    Decode,
}

impl Failure {
    /// Whether the service may have applied the attempt: no reply, or no usable one.
    pub fn unknown_outcome(self) -> bool {
        matches!(self, Failure::Network | Failure::Timeout | Failure::Decode) || matches!(self, Failure::Http(s) if s >= 500)
    }

    /// Whether a read (which changes nothing) is worth another attempt: any transient failure,
    /// or one that left no usable reply.
    pub fn read_retryable(self) -> bool {
        self.retryable() || self.unknown_outcome()
    }

    /// Whether another attempt can help.
    pub fn retryable(self) -> bool {
        match self {
            Failure::Network | Failure::Timeout => true,
            Failure::Http(status) => status >= 500,
            Failure::Api(code) => retry_class(code).retryable(),
            Failure::Decode => false,
        }
    }
}

/// Retry settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 = none).
    pub retries: u32,
    /// Backoff base, milliseconds.
    pub base_ms: f64,
    /// Longest wait, milliseconds.
    pub max_ms: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { retries: 3, base_ms: 200.0, max_ms: 5_000.0 }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (1-based), given a uniform random `unit` in [0, 1):
    /// full jitter over `min(max, base * 2^(retry-1))`.
    pub fn backoff_ms(&self, retry: u32, unit: f64) -> f64 {
        let cap = (self.base_ms * 2f64.powi(retry.saturating_sub(1).min(30) as i32)).min(self.max_ms);
        (cap * unit.clamp(0.0, 1.0)).floor()
    }

    /// Whether attempt number `attempt` (1-based) that failed with `failure` gets another try.
    pub fn should_retry(&self, attempt: u32, failure: Failure) -> bool {
        failure.retryable() && attempt <= self.retries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_exactly_the_transient_failures() {
        for f in [Failure::Network, Failure::Timeout, Failure::Http(502), Failure::Http(503), Failure::Api(30006), Failure::Api(30008), Failure::Api(60007), Failure::Api(60008)] {
            assert!(f.retryable(), "{f:?}");
        }
        for f in [Failure::Http(404), Failure::Api(30001), Failure::Api(70001), Failure::Api(70009), Failure::Api(31704), Failure::Decode] {
            assert!(!f.retryable(), "{f:?}");
        }
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_ms(1, 0.999_999), 199.0);
        assert_eq!(p.backoff_ms(3, 0.5), 400.0);
        assert_eq!(p.backoff_ms(20, 1.0), 5000.0);
        assert_eq!(p.backoff_ms(2, 0.0), 0.0);
        assert!(p.should_retry(3, Failure::Network) && !p.should_retry(4, Failure::Network));
    }
}
