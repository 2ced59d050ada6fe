//! Reading a webhook's query string: `name=value` pairs split on `&`, percent-decoded, `+` as a
//! space (form encoding), names matched case-insensitively (the service writes `SdkAppid`; a
//! proxy or framework may change the case of names, never of values).

/// The query part of `url_or_query`: what follows the first `?`, or the whole text when it has
/// no `?` and no scheme (already a query string).
pub fn query_part(url_or_query: &str) -> &str {
    match url_or_query.split_once('?') {
        Some((_, q)) => q.split('#').next().unwrap_or_default(),
        None if url_or_query.contains("://") || url_or_query.starts_with('/') => "",
        None => url_or_query,
    }
}

/// Decoded `(name, value)` pairs in order.
pub fn pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// The first value of `name` (case-insensitive) in `pairs`.
pub fn get<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// Percent-decoding with `+` as a space; invalid escapes are kept as written and invalid UTF-8
/// is replaced, so decoding never fails (the checks that follow then refuse what is wrong).
pub fn decode(v: &str) -> String {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = (b[i] == b'%' && i + 3 <= b.len()).then(|| std::str::from_utf8(&b[i + 1..i + 3]).ok()).flatten();
        match (b[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (_, Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (c, None) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
pub fn encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for &b in v.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_urls_and_bare_queries() {
        assert_eq!(query_part("https://app.example/cb?SdkAppid=1&x=2#frag"), "SdkAppid=1&x=2");
        assert_eq!(query_part("?SdkAppid=1"), "SdkAppid=1");
        assert_eq!(query_part("SdkAppid=1"), "SdkAppid=1");
        assert_eq!(query_part("/cb"), "");
        let p = pairs("SdkAppid=14&CallbackCommand=Sns.CallbackFriendAdd&ClientIP=1.2.3.4&a%20b=c+d&flag");
        assert_eq!(get(&p, "sdkappid"), Some("14"));
        assert_eq!(get(&p, "a b"), Some("c d"));
        assert_eq!(get(&p, "flag"), Some(""));
        assert_eq!(get(&p, "Sign"), None);
    }

    #[test]
    fn encoding_round_trips() {
        for s in ["Sns.CallbackFriendAdd", "a b&c=d", "é%", ""] {
            assert_eq!(decode(&encode(s)), s);
        }
        assert_eq!(decode("%zz%4"), "%zz%4");
    }
}
