//! The admin UserSig cache: one sig is minted and reused until 80% of its validity has passed
//! (an expired sig is refused with 70001), so a sig never expires in flight; a ready-made sig
//! is used as given.

/// Validity of the sigs the client mints: 7 days.
pub const MINTED_EXPIRE_SECONDS: u64 = 7 * 24 * 3600;

/// A cached sig and the time it was issued (Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedSig {
    /// The sig.
    pub sig: String,
    /// Issue time.
    pub issued: u64,
    /// Validity in seconds.
    pub expire: u64,
}

impl CachedSig {
    /// True while the sig is within the first 80% of its validity.
    pub fn fresh(&self, now: u64) -> bool {
        now >= self.issued && now < self.issued.saturating_add(self.expire / 5 * 4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refreshes_after_80_percent_of_the_validity() {
        let c = CachedSig { sig: "s".into(), issued: 1000, expire: 100 };
        assert!(c.fresh(1000) && c.fresh(1079));
        assert!(!c.fresh(1080) && !c.fresh(999), "stale at 80%, and a clock going back mints anew");
    }
}
