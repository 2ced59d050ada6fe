//! The signed content (the `TLS.*` lines) and its HMAC-SHA256, for minting a sig and for
//! checking one.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::cell::RefCell;

type HmacSha256 = Hmac<Sha256>;

thread_local! {
    /// The last key's HMAC state after its key blocks. Verifying many sigs under one app key
    /// is the common case, and the two key blocks are two of the five SHA-256 blocks a sig
    /// costs. (Comparing the key with the cached one in variable time tells nothing to
    /// anyone: both are the caller's own.)
    static KEYED: RefCell<Option<(String, HmacSha256)>> = const { RefCell::new(None) };
}

/// The string to sign: four (or five, with a userbuf) `TLS.name:value\n` lines in fixed order.
/// `userbuf_b64` is the standard base64 of the userbuf exactly as it appears in the sig.
pub fn content(identifier: &str, sdk_app_id: u64, time: u64, expire: u64, userbuf_b64: Option<&str>) -> String {
    let mut s = format!(
        "TLS.identifier:{identifier}\nTLS.sdkappid:{sdk_app_id}\nTLS.time:{time}\nTLS.expire:{expire}\n"
    );
    if let Some(ub) = userbuf_b64 {
        s.push_str("TLS.userbuf:");
        s.push_str(ub);
        s.push('\n');
    }
    s
}

fn mac(key: &str, content: &str) -> HmacSha256 {
    let mut mac = KEYED.with(|cache| {
        let mut cache = cache.borrow_mut();
        match &*cache {
            Some((cached, mac)) if cached == key => mac.clone(),
            _ => {
                // The key is used as the UTF-8 bytes of the console string, never hex-decoded.
                // HMAC accepts keys of any length, so this cannot fail.
                let mac = HmacSha256::new_from_slice(key.as_bytes()).expect("HMAC takes keys of any length");
                *cache = Some((key.to_owned(), mac.clone()));
                mac
            }
        }
    });
    mac.update(content.as_bytes());
    mac
}

/// HMAC-SHA256 of `content` under `key` (32 bytes).
pub fn hmac(key: &str, content: &str) -> [u8; 32] {
    mac(key, content).finalize().into_bytes().into()
}

/// Constant-time check of a received HMAC.
pub fn hmac_matches(key: &str, content: &str, tag: &[u8]) -> bool {
    mac(key, content).verify_slice(tag).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn vector_1_content_and_hmac() {
        let c = content("xiaojun", 1400000000, 1700000000, 15552000, None);
        assert_eq!(c, "TLS.identifier:xiaojun\nTLS.sdkappid:1400000000\nTLS.time:1700000000\nTLS.expire:15552000\n");
        let key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
        let tag = hmac(key, &c);
        assert_eq!(hex(&tag), "2ef03b77f230ee04ac9ec92f5730433ce0820dbb8d0b0e061f04c2d1b8a9f81e");
        assert!(hmac_matches(key, &c, &tag));
        assert!(!hmac_matches("other", &c, &tag));
        assert!(!hmac_matches(key, &c, &tag[..31]), "a truncated tag never matches");
        // The cached key state is the key's: alternating keys gives each its own HMAC.
        assert!(hmac_matches(key, &c, &tag) && !hmac_matches("other", &c, &tag) && hmac_matches(key, &c, &tag));
    }

    #[test]
    fn vector_4_content_has_userbuf_line() {
        let c = content("xiaojun", 1400000000, 1700000000, 3600, Some("AAEC/w=="));
        assert!(c.ends_with("TLS.expire:3600\nTLS.userbuf:AAEC/w==\n"));
    }
}
