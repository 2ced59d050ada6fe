//! Path-aware validation of loosely typed input (JSON from a caller or from JS).
//!
//! Rules run over a [`serde_json::Value`] before anything is deserialised into a typed struct,
//! so that every problem is reported at once, each with the path of the offending field
//! (`AddFriendItem[3].AddSource`) and the rule it breaks, and so that no input can panic.

mod path;
pub mod rules;
pub mod schema;
pub mod stream;

pub use path::Path;
pub use rules::*;

use serde::Serialize;
use std::fmt;
use tsify::Tsify;

/// One broken rule: where, which rule, and a sentence a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct Violation {
    /// Path of the field in the input, e.g. `AddFriendItem[3].AddSource` or `expireSeconds`.
    pub path: String,
    /// Machine-readable rule id, e.g. `required`, `type`, `integer-range`, `max-bytes`, `pattern`, `unknown-field`.
    pub rule: String,
    /// Human-readable explanation naming the field and the rule. Never contains secrets.
    pub message: String,
}

/// All violations found in one input, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Violations(Vec<Violation>);

impl Violations {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one violation.
    pub fn push(&mut self, path: &Path, rule: &str, message: impl Into<String>) {
        self.0.push(Violation {
            path: path.to_string(),
            rule: rule.to_owned(),
            message: message.into(),
        });
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The recorded violations.
    pub fn as_slice(&self) -> &[Violation] {
        &self.0
    }

    /// Consumes the collection.
    pub fn into_vec(self) -> Vec<Violation> {
        self.0
    }

    /// `Ok(value)` when nothing was recorded, else `Err(self)`.
    pub fn into_result<T>(self, value: T) -> Result<T, Violations> {
        if self.is_empty() { Ok(value) } else { Err(self) }
    }
}

impl From<Vec<Violation>> for Violations {
    fn from(list: Vec<Violation>) -> Self {
        Self(list)
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.len() {
            0 => write!(f, "no violations"),
            1 => write!(f, "{}", self.0[0].message),
            n => {
                write!(f, "{n} violations: ")?;
                for (i, v) in self.0.iter().enumerate() {
                    if i > 0 {
                        write!(f, "; ")?;
                    }
                    write!(f, "{}", v.message)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Violations {}
