//! Webhook authentication, when a token is set in the console:
//! `Sign = lowercase_hex(SHA-256(Token + RequestTime))`, a plain hash of the concatenated
//! strings, not an HMAC.

use sha2::{Digest, Sha256};

/// The `Sign` query value for `token` and the `RequestTime` text exactly as it is in the URL.
pub fn sign(token: &str, request_time: &str) -> String {
    let digest = Sha256::new().chain_update(token.as_bytes()).chain_update(request_time.as_bytes()).finalize();
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Whether `given` is the signature `expected` (lowercase hex), comparing case-insensitively
/// in time that does not depend on where the two differ (so timing tells nothing of the
/// expected one; a length difference is not secret, the length of a SHA-256 hex digest is public).
pub fn signature_matches(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    // ASCII lowercase is branch-free for hex digits: OR 0x20 maps 'A'..'F' onto 'a'..'f' and
    // leaves '0'..'9' alone. Non-hex input cannot match a hex digest either way.
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | ((x | 0x20) ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_vector_signs_and_matches_in_either_case() {
        let expected = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061";
        assert_eq!(sign("xxxxyyyy", "1669872112"), expected);
        assert!(signature_matches(expected, &sign("xxxxyyyy", "1669872112")));
        assert!(signature_matches(&expected.to_uppercase(), expected));
        // The misprinted token of one vendor page does not give the printed digest.
        assert_ne!(sign("xxxyyy", "1669872112"), expected);
    }

    #[test]
    fn any_changed_character_or_length_fails() {
        let s = sign("t", "1");
        for i in 0..s.len() {
            let mut b = s.clone().into_bytes();
            b[i] = if b[i] == b'0' { b'1' } else { b'0' };
            assert!(!signature_matches(std::str::from_utf8(&b).unwrap(), &s), "position {i}");
        }
        assert!(!signature_matches(&s[..63], &s));
        assert!(!signature_matches("", &s));
    }
}
