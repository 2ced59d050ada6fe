//! The parts of `SnsClient` that need no I/O: data centers, request URLs and their redaction,
//! the admin UserSig cache, the rate budget every call of a client shares, the retry policy,
//! the state machine of one call (`call`) and the bulk engine. Time and randomness always come
//! in as arguments, so everything here is tested natively.

pub mod budget;
pub mod bulk;
pub mod call;
pub mod options;
pub mod paging;
pub mod regions;
pub mod retry;
pub mod sig_cache;
pub mod url;
