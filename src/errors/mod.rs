//! The error-code catalogue: what each `ErrorCode` / `ResultCode` means, whether retrying can
//! help, and what to do about it. It is the one table of retry classes: the client's retry
//! policy (`client::retry`), the bulk engine's item retries and `ApiError.retryable` all read
//! [`retry_class`], so they cannot disagree.

mod catalogue;

use serde::Serialize;
use tsify::Tsify;

pub use catalogue::CATALOGUE;

/// One catalogue row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The numeric code.
    pub code: u32,
    /// Stable symbolic name (ours; Tencent publishes none).
    pub name: &'static str,
    /// What the code means.
    pub meaning: &'static str,
    /// Whether and how repeating the same request (or item) later can succeed.
    pub retry: Retry,
    /// What to do about it.
    pub hint: &'static str,
}

/// What retrying can do about a code. A code the catalogue does not list is never retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// The same request fails the same way: never retried.
    Never,
    /// A transient failure of the service (internal error or timeout, write conflict): the
    /// request, or the item answered with it, is tried again after a backoff.
    Transient,
    /// Over a rate limit: tried again, and the client's rate budget slows down.
    RateLimited,
}

impl Retry {
    /// Whether another try can help.
    pub fn retryable(self) -> bool {
        self != Retry::Never
    }
}

/// The retry class of any code (`Never` for codes not in the catalogue, and for 0).
pub fn retry_class(code: u32) -> Retry {
    lookup(code).map_or(Retry::Never, |c| c.retry)
}

/// What `explainError(code)` returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct ErrorExplanation {
    /// The code asked about.
    pub code: u32,
    /// Stable symbolic name, `UNKNOWN` when the code is not catalogued.
    pub name: String,
    /// What the code means.
    pub meaning: String,
    /// Whether repeating the same request later can succeed.
    pub retryable: bool,
    /// What to do about it.
    pub hint: String,
    /// False when the code is not in the catalogue (the other fields then describe its range).
    pub known: bool,
}

/// Looks a code up in the catalogue.
pub fn lookup(code: u32) -> Option<&'static CodeInfo> {
    CATALOGUE.binary_search_by_key(&code, |c| c.code).ok().map(|i| &CATALOGUE[i])
}

/// Explains any code: a catalogue row, or a description of the range it falls in.
pub fn explain(code: u32) -> ErrorExplanation {
    if let Some(c) = lookup(code) {
        return ErrorExplanation {
            code,
            name: c.name.to_owned(),
            meaning: c.meaning.to_owned(),
            retryable: c.retry.retryable(),
            hint: c.hint.to_owned(),
            known: true,
        };
    }
    let (name, meaning, hint) = match code {
        0 => ("OK", "success", ""),
        38000..=39000 => (
            "APP_WEBHOOK_REJECTED",
            "rejected by the app's own relationship webhook (app-defined code)",
            "see what your Sns.CallbackPrev* handler returns for this code",
        ),
        30000..=39999 => ("UNKNOWN_SNS", "relationship-chain error not in the catalogue", "check the ErrorInfo text and Tencent's error-code page"),
        40000..=49999 => ("UNKNOWN_PROFILE", "profile error not in the catalogue", "check the TagList profile tags and their permissions"),
        60000..=79999 => ("UNKNOWN_REST", "common REST API error not in the catalogue", "check the ErrorInfo text and Tencent's error-code page"),
        _ => ("UNKNOWN", "code not in the catalogue", "check the ErrorInfo text"),
    };
    ErrorExplanation {
        code,
        name: name.to_owned(),
        meaning: meaning.to_owned(),
        retryable: false,
        hint: hint.to_owned(),
        known: code == 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_sorted_and_unique() {
        assert!(CATALOGUE.windows(2).all(|w| w[0].code < w[1].code));
    }

    #[test]
    fn transient_and_rate_codes_are_retried_and_refusals_are_not() {
        for code in [30006, 30007, 30008, 60008, 70169, 70202, 70500] {
            assert_eq!(retry_class(code), Retry::Transient, "{code}");
        }
        for code in [60007, 60011, 60018, 60019] {
            assert_eq!(retry_class(code), Retry::RateLimited, "{code}");
        }
        for code in [0, 30001, 30539, 60006, 70001, 70009, 70013, 70014, 12345, 38123] {
            assert_eq!(retry_class(code), Retry::Never, "{code}");
            assert!(!explain(code).retryable, "{code}");
        }
    }

    #[test]
    fn region_codes_hint_at_the_data_center() {
        for code in [60026, 70016, 70020] {
            assert!(explain(code).hint.contains("region"), "{code}");
        }
    }

    #[test]
    fn ranges_explain_unknown_codes() {
        assert_eq!(explain(38123).name, "APP_WEBHOOK_REJECTED");
        assert_eq!(explain(30999).name, "UNKNOWN_SNS");
        assert!(!explain(12345).known);
        assert!(explain(30539).known);
    }
}
