//! What may go at a place in a request body, from the endpoint's field table: the members of the
//! object at a path, each with whether it is required, what kind of value it takes and, for an
//! enumeration, its values. The editor offers these as completions.

use super::locate::{Segment, segments};
use crate::model::Command;
use crate::validate::schema::{Field, Rule};
use serde::Serialize;
use tsify::Tsify;

/// One member an object may have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct FieldOutline {
    /// The member's name.
    pub name: String,
    /// Whether the endpoint requires it.
    pub required: bool,
    /// `string`, `integer`, `enum`, `array`, `object` or `any`.
    pub kind: String,
    /// The values an enumeration allows (as JSON text: strings quoted, integers bare).
    pub values: Vec<String>,
}

fn kind(rule: &Rule) -> &'static str {
    match rule {
        Rule::UserId | Rule::Bytes { .. } | Rule::Keyword { .. } => "string",
        Rule::UInt { .. } => "integer",
        Rule::Enum(_) | Rule::IntEnum(_) => "enum",
        Rule::List { .. } => "array",
        Rule::Object(_) => "object",
        Rule::Any | Rule::Custom(_) => "any",
    }
}

fn values(rule: &Rule) -> Vec<String> {
    match rule {
        Rule::Enum(v) => v.iter().map(|s| format!("\"{s}\"")).collect(),
        Rule::IntEnum(v) => v.iter().map(u64::to_string).collect(),
        Rule::List { item, .. } => values(item),
        _ => Vec::new(),
    }
}

/// The members the object at `path` (`""` for the body, `AddFriendItem[0]`) may have in a
/// `command` request; `None` when the path leads to no object of the schema.
pub fn outline(command: Command, path: &str) -> Option<Vec<FieldOutline>> {
    let mut fields: &'static [Field] = command.request_fields();
    let mut pending: Option<&'static Rule> = None;
    for seg in segments(path)? {
        let rule = match (seg, pending.take()) {
            (Segment::Key(k), None) => &fields.iter().find(|f| f.name == k)?.rule,
            (Segment::Index(_), Some(Rule::List { item, .. })) => item,
            _ => return None,
        };
        match rule {
            Rule::Object(f) => fields = f,
            Rule::List { .. } => pending = Some(rule),
            _ => return None,
        }
    }
    if pending.is_some() {
        return None;
    }
    Some(fields.iter().map(|f| FieldOutline { name: f.name.to_owned(), required: f.required, kind: kind(&f.rule).to_owned(), values: values(&f.rule) }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_and_enum_values_at_a_path() {
        let add = Command::from_wire("friend_add").unwrap();
        let root = outline(add, "").unwrap();
        let add_type = root.iter().find(|f| f.name == "AddType").unwrap();
        assert_eq!((add_type.kind.as_str(), add_type.values.clone()), ("enum", vec!["\"Add_Type_Single\"".to_owned(), "\"Add_Type_Both\"".to_owned()]));
        assert!(root.iter().any(|f| f.name == "From_Account" && f.required));
        let item = outline(add, "AddFriendItem[3]").unwrap();
        assert!(item.iter().any(|f| f.name == "AddSource" && f.required && f.kind == "string"));
        assert!(item.iter().any(|f| f.name == "To_Account"));
    }

    #[test]
    fn paths_that_lead_to_no_object() {
        let add = Command::from_wire("friend_add").unwrap();
        for path in ["AddFriendItem", "From_Account", "Nope", "AddFriendItem[0].To_Account", "[0]", "a[x]"] {
            assert_eq!(outline(add, path), None, "{path}");
        }
    }
}
