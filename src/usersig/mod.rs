//! UserSig v2 (HMAC-SHA256): generate, decode and verify the credential that signs every REST
//! call (Tencent's "Generating UserSig" page:
//! <https://tencentcloud.com/document/product/1047/34385>).
//! Pure: the current time is always passed in.
//!
//! - [`GenUserSigOptions::generate`] mints a sig exactly as the official libraries do.
//! - [`decode_user_sig`] reads what a sig says (identifier, SDKAppID, issue time, expiry).
//! - [`VerifyUserSigOptions::verify`] checks a sig as the server would, with the reason and the
//!   server's error code when it fails.

mod alphabet;
mod api;
mod decode;
mod generate;
mod sign;
mod verify;
mod zlib_stored;

pub use api::*;
pub use decode::{DecodedSig, MAX_SAFE_INTEGER, Malformed, decode};
pub use generate::{SigParams, generate};
pub use verify::{Expectation, Refusal, check, verify};
