//! Completion in a request body being typed: at the cursor, the member names the object there may
//! still take, or the values an enumeration member (or a list of them) allows, from the endpoint's
//! field table ([`super::outline`]). The text before the cursor is read with a small scanner that
//! tolerates the unfinished JSON of someone typing.

use super::outline::{FieldOutline, outline};
use crate::model::Command;
use serde::Serialize;
use tsify::Tsify;

/// One completion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct Choice {
    /// What the list shows and the typed text is matched against.
    pub label: String,
    /// The text that replaces `from..to`.
    pub apply: String,
    /// `required`, `optional` and the kind of value.
    pub detail: String,
}

/// The completions at a cursor: `options` replace the text `from..to` (byte offsets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct Completion {
    /// Start of the text being completed.
    pub from: usize,
    /// Its end (past the cursor when the cursor is inside a string).
    pub to: usize,
    /// The choices, in the field table's order.
    pub options: Vec<Choice>,
}

enum Frame {
    /// An object: the member name read last, whether a name comes next, the names already given.
    Object { key: Option<String>, want_key: bool, seen: Vec<String> },
    Array { index: usize },
}

/// The completions at byte `offset` of `text`, a `command` request body; `None` when there is
/// nothing to offer there.
pub fn complete(command: Command, text: &str, offset: usize) -> Option<Completion> {
    let offset = (0..=offset.min(text.len())).rev().find(|&o| text.is_char_boundary(o))?;
    let b = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut token: Option<(usize, usize, bool)> = None; // from, to, inside quotes
    let mut i = 0;
    while i < offset {
        match b[i] {
            b'"' => {
                let mut j = i + 1;
                let mut closed = None;
                while j < b.len() && b[j] != b'\n' {
                    match b[j] {
                        b'\\' => j += 2,
                        b'"' => {
                            closed = Some(j);
                            break;
                        }
                        _ => j += 1,
                    }
                }
                match closed {
                    Some(end) if end < offset => {
                        if let Some(Frame::Object { key, want_key: true, .. }) = stack.last_mut() {
                            *key = serde_json::from_str(&text[i..=end]).ok();
                        }
                        i = end + 1;
                        continue;
                    }
                    // The cursor is inside this string.
                    _ => {
                        token = Some((i + 1, closed.unwrap_or(offset), true));
                        break;
                    }
                }
            }
            b'{' => stack.push(Frame::Object { key: None, want_key: true, seen: Vec::new() }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
                if let Some(Frame::Object { key, seen, .. }) = stack.last_mut() {
                    seen.extend(key.take());
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, want_key, seen }) => {
                    *want_key = true;
                    seen.extend(key.take());
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { want_key, .. }) = stack.last_mut() {
                    *want_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let (from, to, quoted) = token.unwrap_or_else(|| {
        let word = text[..offset].bytes().rev().take_while(|c| c.is_ascii_alphanumeric() || *c == b'_').count();
        (offset - word, offset, false)
    });
    let (last, outer) = stack.split_last()?;
    let fields = |frames: &[Frame]| -> Option<Vec<FieldOutline>> { outline(command, &path(frames)?) };
    let options: Vec<Choice> = match last {
        Frame::Object { want_key: true, seen, key } => fields(outer)?
            .into_iter()
            .filter(|f| !seen.contains(&f.name) && key.as_ref() != Some(&f.name))
            .map(|f| Choice {
                apply: if quoted { f.name.clone() } else { format!("\"{}\": ", f.name) },
                detail: format!("{} {}", if f.required { "required" } else { "optional" }, f.kind),
                label: f.name,
            })
            .collect(),
        Frame::Object { want_key: false, key: Some(k), .. } => values(fields(outer)?, k, quoted),
        Frame::Array { .. } => match outer.split_last()? {
            (Frame::Object { key: Some(k), .. }, above) => values(fields(above)?, k, quoted),
            _ => return None,
        },
        Frame::Object { .. } => return None,
    };
    (!options.is_empty()).then_some(Completion { from, to, options })
}

/// The enumeration values of member `name`, as a choice each (only strings inside quotes).
fn values(fields: Vec<FieldOutline>, name: &str, quoted: bool) -> Vec<Choice> {
    let Some(field) = fields.into_iter().find(|f| f.name == name) else { return Vec::new() };
    field
        .values
        .iter()
        .filter_map(|v| {
            let bare = v.strip_prefix('"').and_then(|v| v.strip_suffix('"'));
            if quoted && bare.is_none() {
                return None;
            }
            Some(Choice { label: bare.unwrap_or(v).to_owned(), apply: if quoted { bare.unwrap_or(v).to_owned() } else { v.clone() }, detail: format!("{name} value") })
        })
        .collect()
}

/// The path of the object or array the frames lead to, as violations name it.
fn path(frames: &[Frame]) -> Option<String> {
    let mut out = String::new();
    for f in frames {
        match f {
            Frame::Object { key: Some(k), want_key: false, .. } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Frame::Array { index } => out.push_str(&format!("[{index}]")),
            Frame::Object { .. } => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<(String, Vec<String>)> {
        let cmd = Command::from_wire("friend_add").unwrap();
        let cursor = text.find('|').unwrap();
        let text = text.replacen('|', "", 1);
        complete(cmd, &text, cursor).map(|c| (text[c.from..c.to].to_owned(), c.options.into_iter().map(|o| o.apply).collect()))
    }

    #[test]
    fn enum_values_inside_quotes_and_bare() {
        assert_eq!(at(r#"{"From_Account":"a","AddType":"Add|"#), Some(("Add".into(), vec!["Add_Type_Single".into(), "Add_Type_Both".into()])));
        assert_eq!(at(r#"{"AddType": "|x", "From_Account": "a"}"#), Some(("x".into(), vec!["Add_Type_Single".into(), "Add_Type_Both".into()])));
        assert_eq!(at(r#"{"AddType": A|"#), Some(("A".into(), vec!["\"Add_Type_Single\"".into(), "\"Add_Type_Both\"".into()])));
    }

    #[test]
    fn member_names_not_yet_given_in_nested_objects() {
        let (typed, names) = at(r#"{"From_Account":"a","AddFriendItem":[{"To_Account":"b"},{"To_Account":"c", "|"}]}"#).unwrap();
        assert_eq!(typed, "");
        assert!(names.contains(&"AddSource".to_owned()) && !names.contains(&"To_Account".to_owned()), "{names:?}");
        let (_, root) = at(r#"{"From_Account":"a", |"#).unwrap();
        assert!(root.contains(&"\"AddFriendItem\": ".to_owned()) && !root.iter().any(|n| n.contains("From_Account")));
    }

    #[test]
    fn every_prefix_and_every_cursor_of_a_body_being_typed() {
        // What typing produces: each prefix of a body, the cursor anywhere in it. No panic, and
        // the range always inside the text on character boundaries.
        let cmd = Command::from_wire("friend_add").unwrap();
        let body = r#"{"From_Account":"é","AddType":"Add_Type_Both","AddFriendItem":[{"To_Account":"b\"{","AddSource":"AddSource_Type_Web","GroupName":"x"},{"Remark":"😀"}]}"#;
        for end in (0..=body.len()).filter(|&e| body.is_char_boundary(e)) {
            let text = &body[..end];
            for cursor in 0..=end + 1 {
                if let Some(c) = complete(cmd, text, cursor) {
                    assert!(c.from <= c.to && c.to <= text.len() && text.is_char_boundary(c.from) && text.is_char_boundary(c.to), "{text:?} at {cursor}");
                }
            }
            for path in ["AddFriendItem[1].Remark", "AddType", "AddFriendItem[0].To_Account", "input"] {
                if let Some(l) = super::super::locate(text, path) {
                    assert!(l.start <= l.end && l.end <= text.len(), "{text:?} {path}");
                }
            }
        }
    }

    #[test]
    fn nothing_where_nothing_fits() {
        assert_eq!(at(r#"{"From_Account": "|"#), None);
        assert_eq!(at("|"), None);
        assert_eq!(at(r#"{"Nope": {"|"#), None);
        assert_eq!(at(r#"["|"#), None);
        for text in ["{\"a\\|", "{\"\\u00e9\":|", "[[[|", "}}]]|", "{\"AddType\":\"é|"] {
            let _ = at(text);
        }
    }
}
