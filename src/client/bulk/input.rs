//! The input of a bulk run as JSON text: every item is a span of one string, with its user.
//! A call's body is then the items' text joined, and a run of 10 000 items builds no JSON tree
//! of them: parsing, copying and printing those trees was most of what a bulk run cost before
//! its first call could go out.

use crate::validate::stream::{self, Split};
use crate::validate::{self, Path, Violations};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Every item of a run, in input order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    /// The text the spans point into.
    pub text: String,
    /// Each item's user (`From_Account`), where its JSON is in `text`, and its target UserID
    /// (as [`target`] reads it).
    pub items: Vec<Split>,
}

impl Input {
    /// Reads the text of `{ From_Account, items }` or a list of them, as `JSON.stringify`
    /// writes it, with the streaming reader (no tree). `None` when the text is anything else
    /// (a missing, repeated or mistyped member, a `null` anywhere: `JSON.stringify` writes it
    /// for values it cannot carry): the caller then reads it as a tree, which reports what is
    /// wrong.
    pub fn parse(text: String) -> Option<Self> {
        Some(Self { items: stream::bulk_items(&text)?, text })
    }

    /// Item `i`'s JSON text.
    pub fn item(&self, i: usize) -> &str {
        &self.text[self.items[i].span.clone()]
    }

    /// The body of a write call: `{"From_Account":from` and the `extra` members (as
    /// [`members`] writes them), then these items' text as the list `field`.
    pub fn body(&self, from: &str, extra: &str, field: &str, indices: &[usize]) -> String {
        let size = 32 + from.len() + extra.len() + field.len() + indices.iter().map(|&i| self.items[i].span.len() + 1).sum::<usize>();
        let mut body = String::with_capacity(size);
        body.push_str(r#"{"From_Account":"#);
        body.push_str(&Value::from(from).to_string());
        body.push_str(extra);
        body.push_str(",\"");
        body.push_str(field);
        body.push_str("\":[");
        for (k, &i) in indices.iter().enumerate() {
            if k > 0 {
                body.push(',');
            }
            body.push_str(self.item(i));
        }
        body.push_str("]}");
        body
    }
}

/// The members of `fields` as text, each `,"key":value`, leaving out the keys in `skip`.
pub fn members(fields: &Map<String, Value>, skip: &[&str]) -> String {
    fields.iter().filter(|(k, _)| !skip.contains(&k.as_str())).map(|(k, v)| format!(",{}:{v}", Value::from(k.as_str()))).collect()
}

impl From<Vec<(String, Value)>> for Input {
    /// Items given as trees (native callers, and input that took the careful path).
    fn from(items: Vec<(String, Value)>) -> Self {
        let mut text = String::new();
        let items = items
            .into_iter()
            .map(|(from, value)| {
                let at = text.len();
                text.push_str(&value.to_string());
                Split { from, span: at..text.len(), target: target(&text[at..]) }
            })
            .collect();
        Self { text, items }
    }
}

/// The target of an item's text: the item itself (a UserID) or its `To_Account`; empty when
/// it has neither. (Input read by [`Input::parse`] gets the same from the streaming reader.)
pub fn target(item: &str) -> String {
    #[derive(Deserialize)]
    struct To {
        #[serde(rename = "To_Account")]
        to: Option<String>,
    }
    if item.starts_with('"') {
        return serde_json::from_str::<String>(item).unwrap_or_default();
    }
    serde_json::from_str::<To>(item).ok().and_then(|t| t.to).unwrap_or_default()
}

/// Bulk input that is not plain JSON text (it took the careful path): `{ From_Account, items }`
/// or a list of them, checked (every violation at once) and flattened to (user, item) pairs in order.
pub fn from_tree(json: Value) -> Result<Vec<(String, Value)>, Violations> {
    let mut out = Violations::new();
    let mut pairs = Vec::new();
    let mut entry = |v: Value, at: &Path, out: &mut Violations| {
        let Some(m) = validate::object(&v, at, out) else { return };
        validate::no_unknown_fields(m, &["From_Account", "items"], at, out);
        let from = validate::required(m, "From_Account", at, out).and_then(|f| validate::string(f, &at.key("From_Account"), out)).map(str::to_owned);
        match (from, validate::required(m, "items", at, out)) {
            (Some(from), Some(Value::Array(_))) => {
                if let Value::Object(mut m) = v {
                    if let Some(Value::Array(items)) = m.remove("items") {
                        pairs.extend(items.into_iter().map(|i| (from.clone(), i)));
                    }
                }
            }
            (_, Some(Value::Array(_))) | (_, None) => {}
            (_, Some(_)) => out.push(&at.key("items"), "type", format!("{} must be an array", at.key("items"))),
        }
    };
    match json {
        Value::Array(list) => {
            let root = Path::root();
            for (i, v) in list.into_iter().enumerate() {
                entry(v, &root.index(i), &mut out);
            }
        }
        other => entry(other, &Path::root(), &mut out),
    }
    out.into_result(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_user_or_a_list_becomes_spans_of_the_text() {
        let one = Input::parse(r#"{"From_Account":"a","items":["x","y\"z"]}"#.into()).unwrap();
        assert_eq!((one.items.len(), one.item(0), one.item(1)), (2, r#""x""#, r#""y\"z""#));
        let list = Input::parse(r#"[{"From_Account":"a","items":[{"To_Account":"b","Remark":"好"}]},{"items":[],"From_Account":"c"},{"From_Account":"d","items":[1]}]"#.into()).unwrap();
        let users: Vec<&str> = list.items.iter().map(|s| s.from.as_str()).collect();
        assert_eq!(users, ["a", "d"]);
        assert_eq!(list.item(0), r#"{"To_Account":"b","Remark":"好"}"#);
        assert_eq!(list.item(1), "1");
        // Spaces anywhere, escapes in the user, "null" inside a string.
        let spaced = Input::parse(" { \"From_Account\" : \"a\\\"b\" , \"items\" : [ \"nullable\" , {\"To_Account\": \"y\"} ] } ".into()).unwrap();
        assert_eq!(spaced.items.iter().map(|s| s.from.as_str()).collect::<Vec<_>>(), ["a\"b", "a\"b"]);
        assert_eq!((spaced.item(0), spaced.item(1)), (r#""nullable""#, r#"{"To_Account": "y"}"#));
        assert_eq!(Input::parse("[]".into()).unwrap().items, []);
    }

    #[test]
    fn targets_are_read_on_the_way_as_target_reads_them() {
        let text = r#"[{"From_Account":"a","items":["x","y\"z",{"Remark":"r","To_Account":"b","GroupName":["g"]},{"To_Account":5},{},{"To_Account":"\u0063"},7,true]}]"#;
        let input = Input::parse(text.into()).unwrap();
        let targets: Vec<&str> = input.items.iter().map(|s| s.target.as_str()).collect();
        let expected: Vec<String> = (0..input.items.len()).map(|i| target(input.item(i))).collect();
        assert_eq!(targets, expected);
        assert_eq!(targets, ["x", "y\"z", "b", "", "", "c", "", ""]);
        // Read by serde, a list is a struct too, and a repeated To_Account refuses the item:
        // both are left to the careful path, which uses `target`.
        assert_eq!(Input::parse(r#"{"From_Account":"a","items":[["x"]]}"#.into()), None);
        assert_eq!(Input::parse(r#"{"From_Account":"a","items":[{"To_Account":"x","To_Account":"y"}]}"#.into()), None);
        let tree = Input::from(vec![("a".into(), json!(["x"])), ("a".into(), json!({ "To_Account": "b" }))]);
        assert_eq!(tree.items.iter().map(|s| s.target.as_str()).collect::<Vec<_>>(), ["x", "b"]);
    }

    #[test]
    fn anything_else_is_left_to_the_careful_path() {
        for text in [
            r#"{"items":[]}"#,
            r#"{"From_Account":1,"items":[]}"#,
            r#"{"From_Account":"a","items":{}}"#,
            r#"{"From_Account":"a","items":[],"extra":1}"#,
            r#"{"From_Account":"a","items":[null]}"#,
            r#"{"From_Account":"a","items":[{"To_Account":"b","Remark":null}]}"#,
            r#"{"From_Account":"a","From_Account":"b","items":[]}"#,
            r#"{"From_Account":"a","items":[],"items":[]}"#,
            r#"{"From_\u0041ccount":"a","items":[]}"#,
            r#"{"From_Account":"a","items":[1e3]}"#,
            r#"{"From_Account":"a","items":["x",]}"#,
            r#"{"From_Account":"a","items":["x"]} x"#,
            "{}",
            r#""a""#,
            "[1]",
            "not json",
        ] {
            assert_eq!(Input::parse(text.into()), None, "{text}");
        }
    }

    #[test]
    fn trees_become_the_same_spans() {
        let input = Input::from(vec![("a".into(), json!({ "To_Account": "b" })), ("a".into(), json!("c"))]);
        assert_eq!((input.item(0), input.item(1)), (r#"{"To_Account":"b"}"#, r#""c""#));
    }

    #[test]
    fn a_body_is_the_user_the_extra_members_and_the_items_text() {
        let input = Input::parse(r#"[{"From_Account":"a","items":["x","y","z"]}]"#.into()).unwrap();
        let mut extra = Map::new();
        extra.insert("CheckType".into(), json!("CheckResult_Type_Both"));
        extra.insert("From_Account".into(), json!("not this"));
        let body = input.body("a\"b", &members(&extra, &["From_Account"]), "To_Account", &[0, 2]);
        assert_eq!(body, r#"{"From_Account":"a\"b","CheckType":"CheckResult_Type_Both","To_Account":["x","z"]}"#);
        let parsed: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed, json!({ "From_Account": "a\"b", "CheckType": "CheckResult_Type_Both", "To_Account": ["x", "z"] }));
    }

    #[test]
    fn targets_are_read_from_the_text() {
        assert_eq!(target(r#""a\u0062""#), "ab");
        assert_eq!(target(r#"{"Remark":"x","To_Account":"b","GroupName":["l"]}"#), "b");
        assert_eq!(target(r#"{"Remark":"x"}"#), "");
        assert_eq!(target("7"), "");
    }
}
