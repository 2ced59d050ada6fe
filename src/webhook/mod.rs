//! Relationship-chain webhooks (Tencent's "Webhook Overview" page:
//! <https://www.tencentcloud.com/document/product/1047/34354>): the service's `POST`s to the
//! app's URL on friend and blocklist events. Verification of the query ([`verify`]), the typed bodies
//! ([`callbacks`]), tolerant parsing ([`parse`]), the app's replies ([`reply`]), the decision a
//! handler makes for one request ([`intake`]) and, for the emulator, the request line the
//! service sends ([`outgoing`]). Pure: the clock comes in as an argument.

pub mod callbacks;
pub mod intake;
pub mod outgoing;
pub mod parse;
pub mod query;
pub mod reply;
pub mod sign;
pub mod verify;

pub use callbacks::SnsCallback;
pub use parse::{CallbackDecodeError, Parsed, parse_callback};
pub use verify::{VerifyWebhookOptions, WebhookRefusal, WebhookVerification};
