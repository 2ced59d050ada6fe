//! The checks the service makes on every request URL and its admin UserSig (the URL layout is
//! on Tencent's "RESTful API Overview" page:
//! <https://www.tencentcloud.com/document/product/1047/34620>).

use super::Emulator;
use super::reply::{Reply, fail};
use crate::usersig::{Expectation, verify};

fn param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query.split('&').find_map(|p| p.split_once('=').filter(|(k, _)| *k == name).map(|(_, v)| v))
}

/// Percent-decoding of one query value.
fn decode(v: &str) -> String {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = (b[i] == b'%' && i + 3 <= b.len()).then(|| std::str::from_utf8(&b[i + 1..i + 3]).ok()).flatten();
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `Ok` when the request may proceed, else the service's error reply.
pub fn check(emu: &Emulator, query: &str, now: u64) -> Result<(), Reply> {
    let Some(sdkappid) = param(query, "sdkappid") else { return Err(fail(60012, "sdkappid is missing from the URL")) };
    if sdkappid.parse::<u64>().ok() != Some(emu.sdk_app_id) {
        return Err(fail(70020, "SDKAppID not found (is the domain right for this app?)"));
    }
    let identifier = param(query, "identifier").map(decode).unwrap_or_default();
    let usersig = param(query, "usersig").map(decode).unwrap_or_default();
    if usersig.is_empty() {
        return Err(fail(70002, "usersig is empty"));
    }
    let expect = Expectation { sdk_app_id: emu.sdk_app_id, secret_key: &emu.secret_key, identifier: Some(&identifier), now };
    if let Err(refusal) = verify(&usersig, &expect) {
        return Err(fail(refusal.error_code(), &refusal.to_string()));
    }
    if identifier != emu.admin {
        return Err(fail(60010, "identifier is not an App admin"));
    }
    if param(query, "random").and_then(|r| r.parse::<u32>().ok()).is_none() {
        return Err(fail(60025, "random must be a 32-bit unsigned integer"));
    }
    if param(query, "contenttype") != Some("json") {
        return Err(fail(60025, "contenttype must be json"));
    }
    Ok(())
}
