//! The parts of `SnsClient` that need no I/O: data centers, request URLs and their redaction,
//! the admin UserSig cache, the per-endpoint throttle, the retry policy and the bulk engine.
//! Time and randomness always come in as arguments, so everything here is tested natively.

pub mod bulk;
pub mod paging;
pub mod regions;
pub mod retry;
pub mod sig_cache;
pub mod throttle;
pub mod url;
