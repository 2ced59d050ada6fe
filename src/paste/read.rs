//! Finding the request in a paste: its URL (the word holding `/v4/`), its query, its JSON body
//! and, when one was pasted too, the reply (a JSON object with `ErrorCode` or `ActionStatus`).

use super::shell;
use serde_json::Value;

/// Which curl options carry the body in the next word.
const CURL_DATA_OPTIONS: &[&str] = &["-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--json"];

/// A request found in a paste. It holds the usersig: never show or keep it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PastedRequest {
    /// `scheme://host[:port]` of the URL, when it has one.
    pub origin: Option<String>,
    /// The path after `/v4/`, e.g. `sns/friend_add`.
    pub endpoint: Option<String>,
    /// The query parameters, percent-decoded, in order.
    pub query: Vec<(String, String)>,
    /// The usersig exactly as written in the paste (before percent-decoding), to redact it.
    pub usersig_as_written: Option<String>,
    /// The body's JSON text (or, when no object parses, the text given as the body).
    pub body: Option<String>,
    /// The reply's JSON text.
    pub reply: Option<String>,
}

impl PastedRequest {
    /// The value of query parameter `name` (case-insensitive, as the service reads it).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Reads a curl command, a URL with its body, or a log line.
pub fn read_request(text: &str) -> PastedRequest {
    let mut out = PastedRequest::default();
    let trimmed = text.trim_start().trim_start_matches("$ ");
    let mut rest = text;
    let mut url = None;
    if trimmed.starts_with("curl ") || trimmed.starts_with("curl\t") {
        let (words, end) = shell::words(trimmed);
        rest = &trimmed[end..];
        let mut i = 1;
        while i < words.len() {
            let w = &words[i];
            if CURL_DATA_OPTIONS.contains(&w.as_str()) || w == "--url" {
                if let Some(v) = words.get(i + 1) {
                    if w == "--url" { url = Some(v.clone()) } else { out.body = Some(v.clone()) }
                }
                i += 2;
                continue;
            }
            if let Some(v) = CURL_DATA_OPTIONS.iter().find_map(|o| w.strip_prefix(o).and_then(|v| v.strip_prefix('=')).filter(|_| o.starts_with("--"))) {
                out.body = Some(v.to_owned());
            } else if url.is_none() && w.contains("/v4/") {
                url = Some(w.clone());
            }
            i += 1;
        }
    } else if let Some((start, end)) = url_span(text) {
        url = Some(text[start..end].to_owned());
        // The body and the reply may be on either side of the URL in a log line.
        let objects: Vec<&str> = objects(&text[end..]).into_iter().chain(objects(&text[..start])).collect();
        out.reply = objects.iter().find(|o| is_reply(o)).map(|o| (*o).to_owned());
        out.body = objects.iter().find(|o| !is_reply(o)).map(|o| (*o).to_owned());
        rest = "";
    }
    if out.reply.is_none() {
        out.reply = objects(rest).into_iter().find(|o| is_reply(o)).map(str::to_owned);
    }
    if let Some(url) = url {
        read_url(&url, &mut out);
    }
    out
}

/// The word holding `/v4/`, bounded by blanks, quotes and angle brackets.
fn url_span(text: &str) -> Option<(usize, usize)> {
    let at = text.find("/v4/")?;
    let stop = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`');
    let start = text[..at].rfind(stop).map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
    let end = text[at..].find(stop).map_or(text.len(), |i| at + i);
    Some((start, end))
}

fn read_url(url: &str, out: &mut PastedRequest) {
    let (head, query) = url.split_once('?').unwrap_or((url, ""));
    let query = query.split('#').next().unwrap_or("");
    if let Some((scheme, after)) = head.split_once("://") {
        let host = after.split('/').next().unwrap_or("");
        out.origin = Some(format!("{scheme}://{host}"));
    }
    if let Some(at) = head.find("/v4/") {
        out.endpoint = Some(head[at + 4..].trim_end_matches('/').to_owned());
    }
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if k.eq_ignore_ascii_case("usersig") {
            out.usersig_as_written = Some(v.to_owned());
        }
        out.query.push((percent_decode(k), percent_decode(v)));
    }
}

/// `%XX` decoded (as UTF-8, lossily); `+` stays `+`: the usersig alphabet has none, and the
/// service reads the query as written by its own samples.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every JSON object in `text`, outermost only, in order.
fn objects(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find('{').map(|i| from + i) {
        match balanced(&text[i..]).filter(|&len| serde_json::from_str::<Value>(&text[i..i + len]).is_ok()) {
            Some(len) => {
                found.push(&text[i..i + len]);
                from = i + len;
            }
            None => from = i + 1,
        }
    }
    found
}

/// The length of the `{…}` at the start of `text`, braces in strings not counted.
fn balanced(text: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// A reply has the envelope's fields; a request body never does.
fn is_reply(object: &str) -> bool {
    serde_json::from_str::<Value>(object)
        .ok()
        .and_then(|v| v.as_object().map(|m| m.contains_key("ErrorCode") || m.contains_key("ActionStatus")))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://adminapisgp.im.qcloud.com/v4/sns/friend_add?sdkappid=1400000000&identifier=admin%40x&usersig=eJw*sig-_&random=99&contenttype=json";

    #[test]
    fn a_curl_command_with_a_reply_below() {
        let text = format!("$ curl -X POST '{URL}' -H 'Content-Type: application/json' --data-raw '{{\"From_Account\":\"alice\"}}'\n{{\"ActionStatus\":\"FAIL\",\"ErrorCode\":70001}}");
        let r = read_request(&text);
        assert_eq!(r.origin.as_deref(), Some("https://adminapisgp.im.qcloud.com"));
        assert_eq!(r.endpoint.as_deref(), Some("sns/friend_add"));
        assert_eq!(r.param("identifier"), Some("admin@x"));
        assert_eq!(r.param("USERSIG"), Some("eJw*sig-_"));
        assert_eq!(r.usersig_as_written.as_deref(), Some("eJw*sig-_"));
        assert_eq!(r.body.as_deref(), Some("{\"From_Account\":\"alice\"}"));
        assert_eq!(r.reply.as_deref(), Some("{\"ActionStatus\":\"FAIL\",\"ErrorCode\":70001}"));
    }

    #[test]
    fn curl_data_forms_and_url_option() {
        let r = read_request("curl --url \"http://127.0.0.1:8080/v4/sns/friend_get?sdkappid=1\" --json='{\"StartIndex\":0}'");
        assert_eq!(r.origin.as_deref(), Some("http://127.0.0.1:8080"));
        assert_eq!(r.endpoint.as_deref(), Some("sns/friend_get"));
        assert_eq!(r.body.as_deref(), Some("{\"StartIndex\":0}"));
        assert_eq!(r.reply, None);
    }

    #[test]
    fn a_url_then_its_body_then_the_reply() {
        let text = format!("POST {URL}\n{{\n  \"From_Account\": \"alice\", \"Note\": \"{{not a brace}}\"\n}}\n\nreply: {{\"ErrorCode\":0,\"ActionStatus\":\"OK\"}}");
        let r = read_request(&text);
        assert_eq!(r.endpoint.as_deref(), Some("sns/friend_add"));
        assert_eq!(r.body.as_deref(), Some("{\n  \"From_Account\": \"alice\", \"Note\": \"{not a brace}\"\n}"));
        assert_eq!(r.reply.as_deref(), Some("{\"ErrorCode\":0,\"ActionStatus\":\"OK\"}"));
    }

    #[test]
    fn a_log_line_with_the_url_quoted() {
        let text = format!("2026-12-01T10:00:00Z WARN im call failed url=\"{URL}\" body={{\"From_Account\":\"alice\"}} -> {{\"ErrorCode\":70001,\"ErrorInfo\":\"x\"}}");
        let r = read_request(&text);
        assert_eq!(r.param("random"), Some("99"));
        assert_eq!(r.param("contenttype"), Some("json"));
        assert_eq!(r.body.as_deref(), Some("{\"From_Account\":\"alice\"}"));
        assert_eq!(r.reply.as_deref(), Some("{\"ErrorCode\":70001,\"ErrorInfo\":\"x\"}"));
    }

    #[test]
    fn nothing_to_find_is_empty_not_a_panic() {
        for text in ["", "{", "/v4/", "curl", "curl -d", "{\"a\":[}", "%", "https://x/v4/?usersig=%zz%4"] {
            let _ = read_request(text);
        }
        assert_eq!(read_request("hello").endpoint, None);
        assert_eq!(percent_decode("a%2Fb%zz%4"), "a/b%zz%4");
    }
}
