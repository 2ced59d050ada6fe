//! Tencent's UserSig text encoding: standard base64 (with padding) whose `+ / =` are replaced by
//! `* - _` so that the result can sit in a URL query unescaped. It is *not* RFC 4648 base64url.

use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;

/// Standard alphabet, accepting input with or without `=` padding (sigs are minted with it).
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The UserSig alphabet without its padding character (`_`, trimmed before decoding).
const SIG: GeneralPurpose = GeneralPurpose::new(
    &match base64::alphabet::Alphabet::new("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-") {
        Ok(alphabet) => alphabet,
        Err(_) => panic!("the UserSig alphabet has 64 distinct characters"),
    },
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Standard base64 with padding (used for `TLS.sig` and `TLS.userbuf`).
pub fn b64_std(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes standard base64, padded or not.
pub fn b64_std_decode(text: &str) -> Option<Vec<u8>> {
    LENIENT.decode(text).ok()
}

/// Encodes bytes in Tencent's UserSig alphabet.
pub fn encode(bytes: &[u8]) -> String {
    STANDARD
        .encode(bytes)
        .chars()
        .map(|c| match c {
            '+' => '*',
            '/' => '-',
            '=' => '_',
            c => c,
        })
        .collect()
}

/// Decodes Tencent's UserSig alphabet; ignores ASCII white space and tolerates missing padding
/// and standard-base64 `+ / =` (lenient: the server's own leniency here is unconfirmed).
/// Returns `None` for any other character.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    // A sig as every library writes it decodes in place; anything else (white space,
    // standard base64 characters) is mapped first.
    if let Ok(bytes) = SIG.decode(text.trim_end_matches('_')) {
        return Some(bytes);
    }
    let standard: String = text
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .map(|c| match c {
            '*' => '+',
            '-' => '/',
            '_' => '=',
            c => c,
        })
        .collect();
    b64_std_decode(standard.trim_end_matches('='))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes_all_three_characters_both_ways() {
        // 0xfb 0xff encodes to "+/8=" in standard base64.
        assert_eq!(encode(&[0xfb, 0xff]), "*-8_");
        assert_eq!(decode("*-8_").unwrap(), [0xfb, 0xff]);
        assert_eq!(decode("*-8").unwrap(), [0xfb, 0xff], "missing padding is tolerated");
        assert_eq!(decode(" *-\n8_ ").unwrap(), [0xfb, 0xff], "white space is ignored");
    }

    #[test]
    fn rejects_foreign_characters_but_tolerates_standard_base64() {
        // Lenient on purpose: a sig that went through a standard base64 round trip still decodes.
        assert_eq!(decode("+/8=").unwrap(), [0xfb, 0xff]);
        assert!(decode("ab$d").is_none());
        assert!(decode("a").is_none(), "a lone symbol is not base64");
    }
}
