//! Reading a failing request as a user pastes it (a curl command, a request URL followed by its
//! JSON body, or a log line holding both, optionally with the reply), for the debugging page:
//! which endpoint, which query, which body, what the usersig it carries says and which error
//! code the server gives it, every body violation, and where a violation's path sits in the
//! body's text. Pure: the caller passes the time and, if it wants the signature checked, the key.
//!
//! - [`inspect`] reads a paste into an [`Inspection`].
//! - [`check_sig`] checks a usersig against a request's SDKAppID, identifier and time.
//! - [`locate`] finds the text range of a violation's path in a JSON text.
//! - [`outline`] lists the members an object of a request body may have, and [`complete`]
//!   offers member names and enumeration values at a cursor in a body being typed.

mod complete;
mod inspect;
mod locate;
mod outline;
mod read;
mod shell;
mod sig;

pub use complete::{Choice, Completion, complete};
pub use inspect::{Inspection, inspect};
pub use locate::{Located, locate};
pub use outline::{FieldOutline, outline};
pub use read::{PastedRequest, read_request};
pub use sig::{SigCheck, SigProblem, check_sig};
