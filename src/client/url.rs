//! Request URLs (layout: Tencent's "RESTful API Overview" page:
//! <https://www.tencentcloud.com/document/product/1047/34620>) and their redaction: the usersig
//! sits in the query, so any URL shown anywhere goes through [`redact`] first.

/// What replaces the usersig in a shown URL.
pub const REDACTED: &str = "REDACTED";

/// `{base}/{path}?sdkappid=…&identifier=…&usersig=…&random=…&contenttype=json`, where `path`
/// is e.g. `v4/sns/friend_add` and `base` is `https://domain` or any base URL (an emulator);
/// a trailing `/` is ignored.
pub fn request_url(base: &str, path: &str, sdk_app_id: u64, identifier: &str, usersig: &str, random: u32) -> String {
    format!(
        "{}/{path}?sdkappid={sdk_app_id}&identifier={}&usersig={}&random={random}&contenttype=json",
        base.trim_end_matches('/'),
        encode(identifier),
        encode(usersig),
    )
}

/// Replaces the value of every `usersig` query parameter with [`REDACTED`].
pub fn redact(url: &str) -> String {
    let Some((head, query)) = url.split_once('?') else { return url.to_owned() };
    let parts: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _)) if k.eq_ignore_ascii_case("usersig") => format!("{k}={REDACTED}"),
            _ => p.to_owned(),
        })
        .collect();
    format!("{head}?{}", parts.join("&"))
}

/// Percent-encodes everything but RFC 3986 unreserved characters (UserSigs use only those
/// plus `*`, which is encoded too: harmless, and safe in every URL parser).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Command;

    #[test]
    fn builds_the_documented_url() {
        let url = request_url("https://adminapisgp.im.qcloud.com/", &Command::FriendAdd.path(), 1400000000, "admin istrator", "eJx*ab-_", 42);
        assert_eq!(
            url,
            "https://adminapisgp.im.qcloud.com/v4/sns/friend_add?sdkappid=1400000000&identifier=admin%20istrator&usersig=eJx%2Aab-_&random=42&contenttype=json"
        );
    }

    #[test]
    fn redacts_the_usersig_and_nothing_else() {
        let url = request_url("http://127.0.0.1:8080", &Command::GroupGet.path(), 1, "a", "secret-sig", 7);
        let shown = redact(&url);
        assert!(!shown.contains("secret-sig"));
        assert_eq!(shown, "http://127.0.0.1:8080/v4/sns/group_get?sdkappid=1&identifier=a&usersig=REDACTED&random=7&contenttype=json");
        assert_eq!(redact("https://x/y?UserSig=abc&usersig=def"), "https://x/y?UserSig=REDACTED&usersig=REDACTED");
        assert_eq!(redact("https://x/y"), "https://x/y");
    }
}
