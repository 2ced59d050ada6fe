//! The "after" callbacks the service sends for what a request changed:
//! each handler collects the directed pairs it created or removed and queues one callback per
//! command. Nothing is queued for an empty change, nor for `friend_import`, which the service
//! does not report.

use super::Emulator;
use serde_json::{Value, json};

pub use crate::webhook::callbacks::{BLACK_LIST_ADD, BLACK_LIST_DELETE, FRIEND_ADD, FRIEND_DELETE, PREV_FRIEND_ADD, PREV_FRIEND_RESPONSE};

/// Directed pairs `(From_Account, To_Account)` in the order they changed.
pub type Pairs = Vec<(String, String)>;

/// `OptPlatform` of callbacks caused by simulated client requests.
pub const CLIENT_PLATFORM: &str = "Web";
/// `ClientIP` of every callback: the emulator only serves loopback.
pub const CLIENT_IP: &str = "127.0.0.1";

/// Who caused an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A REST call (`OptPlatform` `RESTAPI`).
    Rest,
    /// A simulated client request.
    Client,
}

impl Origin {
    /// `OptPlatform`.
    pub fn platform(self) -> &'static str {
        match self {
            Origin::Rest => "RESTAPI",
            Origin::Client => CLIENT_PLATFORM,
        }
    }
}

/// A callback the service would send: the command, the body, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackEvent {
    /// `CallbackCommand`.
    pub command: &'static str,
    /// The JSON body (with `CallbackCommand`).
    pub body: Value,
    /// `OptPlatform`.
    pub platform: &'static str,
}

fn push(emu: &mut Emulator, command: &'static str, mut body: Value, origin: Origin) {
    body["CallbackCommand"] = json!(command);
    body["EventTime"] = json!(emu.clock_ms);
    emu.outbox.push(CallbackEvent { command, body, platform: origin.platform() });
}

/// Queues `Sns.CallbackFriendAdd` for `pairs` (none when empty). `admin` is `""` for client
/// requests; `client_cmd` is `friend_add` or `friend_response`.
pub fn friend_add(emu: &mut Emulator, pairs: &Pairs, initiator: &str, client_cmd: &str, admin: &str, force: bool, origin: Origin) {
    if pairs.is_empty() {
        return;
    }
    let list: Vec<Value> = pairs.iter().map(|(f, t)| json!({ "From_Account": f, "To_Account": t, "Initiator_Account": initiator })).collect();
    let body = json!({ "PairList": list, "ClientCmd": client_cmd, "Admin_Account": admin, "ForceFlag": u8::from(force) });
    push(emu, FRIEND_ADD, body, origin);
}

/// Queues a `PairList` callback (`FriendDelete`, `BlackListAdd`, `BlackListDelete`) from a REST call.
pub fn pair_list(emu: &mut Emulator, command: &'static str, pairs: &Pairs) {
    if pairs.is_empty() {
        return;
    }
    let list: Vec<Value> = pairs.iter().map(|(f, t)| json!({ "From_Account": f, "To_Account": t })).collect();
    push(emu, command, json!({ "PairList": list }), Origin::Rest);
}
