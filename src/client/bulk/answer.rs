//! How one call of a bulk run ended, as the driver reports it to the engine, and what that
//! means: whether the service may have applied it, whether it may be tried again, and the
//! error it becomes in JS.

use crate::client::retry::Failure;
use serde_json::Value;

/// How a call ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// A reply whose envelope succeeded, as JSON.
    Reply(Value),
    /// The envelope failed with this code.
    Api(u32, String),
    /// HTTP status other than 200.
    Http(u16),
    /// No reply: the fetch failed or the connection dropped.
    Network(String),
    /// No reply within the timeout.
    Timeout,
    /// A 200 reply that could not be read.
    Decode(String),
}

impl Answer {
    /// The failure, for the retry policy; `None` for a reply.
    pub fn failure(&self) -> Option<Failure> {
        Some(match self {
            Answer::Reply(_) => return None,
            Answer::Api(code, _) => Failure::Api(*code),
            Answer::Http(s) => Failure::Http(*s),
            Answer::Network(_) => Failure::Network,
            Answer::Timeout => Failure::Timeout,
            Answer::Decode(_) => Failure::Decode,
        })
    }

    /// Whether the service may have applied the call: no reply, or no usable one.
    pub fn unknown_outcome(&self) -> bool {
        matches!(self, Answer::Network(_) | Answer::Timeout | Answer::Decode(_)) || matches!(self, Answer::Http(s) if *s >= 500)
    }

    /// The `name` of the JS error this answer becomes.
    pub fn error_name(&self) -> &'static str {
        match self {
            Answer::Network(_) => "NetworkError",
            Answer::Timeout => "TimeoutError",
            Answer::Http(_) => "HttpError",
            Answer::Api(..) => "ApiError",
            Answer::Reply(_) | Answer::Decode(_) => "DecodeError",
        }
    }

    /// Whether the engine may try this call again (it also needs tries left): a transient
    /// failure, or one whose outcome is unknown.
    pub fn may_retry(&self) -> bool {
        self.failure().is_some_and(Failure::retryable) || self.unknown_outcome()
    }

    /// The code (for envelope failures) and a message naming `command`.
    pub fn describe(&self, command: &str) -> (Option<u32>, String) {
        match self {
            Answer::Reply(_) => (None, String::new()),
            Answer::Api(code, m) => (Some(*code), m.clone()),
            Answer::Http(s) => (None, format!("{command} answered HTTP {s}")),
            Answer::Network(m) => (None, format!("{command} could not be sent: {m}")),
            Answer::Timeout => (None, format!("{command} got no reply in time")),
            Answer::Decode(m) => (None, m.clone()),
        }
    }
}
