//! Checking the input of a bulk run: each item on its own, as the body of a call that holds
//! only it (with the run's extra fields and its user), so that a bad item fails alone and its
//! report names the rule it breaks, not its whole call.

use super::Operation;
use crate::model::Command;
use crate::validate::schema::Options;
use crate::validate::stream::Verdict;
use serde_json::{Map, Value};

/// Whether a call's whole body passes the streaming check as it stands (then each of its items
/// does too). When it does not, [`broken`] finds the items to take out.
pub fn passes(op: Operation, body: &str, opts: &Options) -> bool {
    Command::from_wire(op.command).is_none_or(|c| c.check_request_text(body, opts) == Verdict::Valid)
}

/// The items (given as JSON text, all of user `from`) that break a rule, by position, with the
/// report of their one-item body: [`check_items`] over the items read as trees.
pub fn broken<'t>(op: Operation, from: &str, items: impl Iterator<Item = &'t str>, extra: &Map<String, Value>, opts: &Options) -> Vec<(usize, String)> {
    let mut entries: Vec<(String, Value)> = items.map(|text| (from.to_owned(), serde_json::from_str(text).unwrap_or_default())).collect();
    check_items(op, &mut entries, extra, opts)
}

/// The items of `entries` that break a rule, by index, with the report of their one-item body.
/// One body is reused for every item: a user's `From_Account` is set when the user changes,
/// and each item is moved in for its check and back out (no copy of any item).
pub fn check_items(op: Operation, entries: &mut [(String, Value)], extra: &Map<String, Value>, opts: &Options) -> Vec<(usize, String)> {
    let Some(command) = Command::from_wire(op.command) else { return Vec::new() };
    let mut fields = extra.clone();
    let mut user: Option<&str> = None;
    let mut problems = Vec::new();
    for (i, (from, item)) in entries.iter_mut().enumerate() {
        if user != Some(from.as_str()) {
            fields.insert("From_Account".into(), Value::from(from.as_str()));
            user = Some(from.as_str());
        }
        fields.insert(op.items_field.into(), Value::Array(vec![std::mem::take(item)]));
        let body = Value::Object(fields);
        let found = command.validate_request(&body, opts);
        if !found.is_empty() {
            problems.push((i, found.to_string()));
        }
        // Moving the map in and out of the `Value` copies nothing.
        let Value::Object(back) = body else { return problems };
        fields = back;
        if let Some(Value::Array(mut one)) = fields.remove(op.items_field) {
            *item = one.pop().unwrap_or_default();
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::bulk::{BLOCK_USERS, IMPORT_FRIENDS};
    use serde_json::json;

    #[test]
    fn each_bad_item_is_reported_alone_and_every_item_is_left_as_it_was() {
        let mut entries: Vec<(String, Value)> = vec![
            ("alice".into(), json!({ "To_Account": "bob", "AddSource": "AddSource_Type_Web" })),
            ("alice".into(), json!({ "To_Account": "carol", "AddSource": "Web" })),
            ("dave".into(), json!({ "To_Account": "erin", "AddSource": "AddSource_Type_Web", "Remark": "x".repeat(97) })),
            ("".into(), json!({ "To_Account": "frank", "AddSource": "AddSource_Type_Web" })),
            ("gina".into(), json!({ "To_Account": "hal", "AddSource": "AddSource_Type_Web", "GroupName": [] })),
        ];
        let before = entries.clone();
        let problems = check_items(IMPORT_FRIENDS, &mut entries, &Map::new(), &Options::REQUEST);
        assert_eq!(entries, before);
        let at: Vec<usize> = problems.iter().map(|(i, _)| *i).collect();
        assert_eq!(at, [1, 2, 3], "{problems:?}");
        assert!(problems[0].1.contains("AddFriendItem[0].AddSource"), "{}", problems[0].1);
        assert!(problems[1].1.contains("AddFriendItem[0].Remark"), "{}", problems[1].1);
        assert!(problems[2].1.contains("From_Account"), "{}", problems[2].1);
    }

    #[test]
    fn the_extra_fields_are_checked_with_every_item() {
        let mut entries: Vec<(String, Value)> = vec![("alice".into(), json!("bob")), ("alice".into(), json!(""))];
        let mut extra = Map::new();
        extra.insert("x".into(), json!(1));
        let problems = check_items(BLOCK_USERS, &mut entries, &extra, &Options::REQUEST);
        assert_eq!(problems.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 1], "{problems:?}");
        assert_eq!(entries[1].1, json!(""));
    }
}
