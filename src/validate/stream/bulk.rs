//! Bulk input read by the same reader: `{"From_Account": …, "items": […]}` or a list of those,
//! split into one span of the text per item, with the item's target read on the way
//! (`src/client/bulk/input.rs` keeps them).

use super::{Nulls, Read, Reader, Undecided};
use crate::validate::schema::Options;
use std::ops::Range;

/// One item of bulk input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Its user (`From_Account`).
    pub from: String,
    /// Where its JSON is in the text.
    pub span: Range<usize>,
    /// The item itself when it is a string, else its `To_Account` when that is a string, else
    /// empty: what `crate::client::bulk::input::target` reads from the span.
    pub target: String,
}

/// The items of bulk input text, `{"From_Account": …, "items": […]}` or a list of those, as
/// `JSON.stringify` writes them: each item's user, where the item's JSON is in `text`, and its
/// target. `None` for anything else (another shape, a key other than those two or one of them
/// twice, a `null` anywhere, an item that is a list or has `To_Account` twice, JSON the reader
/// leaves to the tree walk): the caller reads it as a tree.
pub fn bulk_items(text: &str) -> Option<Vec<Split>> {
    let opts = Options::REQUEST;
    let mut r = Reader::new(text, &opts, false);
    let mut items = Vec::new();
    r.bulk_input(&mut items).ok()?;
    Some(items)
}

impl Reader<'_, '_> {
    /// Bulk input: one entry or a list of them, then the end of the text.
    fn bulk_input(&mut self, items: &mut Vec<Split>) -> Read<()> {
        if self.peek()? == b'[' {
            self.at += 1;
            if self.peek()? == b']' {
                self.at += 1;
            } else {
                loop {
                    self.bulk_entry(items)?;
                    if self.end_of(b']')? {
                        break;
                    }
                }
            }
        } else {
            self.bulk_entry(items)?;
        }
        self.ws();
        if self.at == self.text.len() { Ok(()) } else { Err(Undecided) }
    }

    /// One `{"From_Account": string, "items": [...]}`, both members once, nothing else.
    fn bulk_entry(&mut self, items: &mut Vec<Split>) -> Read<()> {
        self.eat(b'{')?;
        let (mut from, mut spans): (Option<String>, Option<Vec<(Range<usize>, String)>>) = (None, None);
        loop {
            if self.peek()? != b'"' {
                return Err(Undecided);
            }
            // A key with escapes is left to the tree walk, which decodes it.
            let key = self.string()?.ok_or(Undecided)?;
            self.eat(b':')?;
            match key {
                "From_Account" if from.is_none() => {
                    if self.peek()? != b'"' {
                        return Err(Undecided);
                    }
                    from = Some(self.owned_string()?);
                }
                "items" if spans.is_none() => {
                    self.eat(b'[')?;
                    let mut list = Vec::new();
                    if self.peek()? == b']' {
                        self.at += 1;
                    } else {
                        loop {
                            self.peek()?;
                            let start = self.at;
                            let target = self.item_target()?;
                            list.push((start..self.at, target));
                            if self.end_of(b']')? {
                                break;
                            }
                        }
                    }
                    spans = Some(list);
                }
                _ => return Err(Undecided),
            }
            if self.end_of(b'}')? {
                break;
            }
        }
        let (Some(from), Some(spans)) = (from, spans) else { return Err(Undecided) };
        items.extend(spans.into_iter().map(|(span, target)| Split { from: from.clone(), span, target }));
        Ok(())
    }

    /// Reads past one item and returns its target (see [`Split::target`]).
    fn item_target(&mut self) -> Read<String> {
        match self.peek()? {
            b'"' => self.owned_string(),
            b'{' => {
                self.at += 1;
                let mut target: Option<String> = None;
                if self.peek()? == b'}' {
                    self.at += 1;
                    return Ok(String::new());
                }
                loop {
                    if self.peek()? != b'"' {
                        return Err(Undecided);
                    }
                    // A key with escapes is left to the tree walk, which decodes it.
                    let key = self.string()?.ok_or(Undecided)?;
                    self.eat(b':')?;
                    if key == "To_Account" {
                        // Twice: serde refuses the item and its target is empty; the tree walk says so.
                        if target.is_some() {
                            return Err(Undecided);
                        }
                        // Not a string: serde refuses the item, so its target is empty.
                        target = Some(if self.peek()? == b'"' { self.owned_string()? } else { self.skip(3, Nulls::Undecided).map(|()| String::new())? });
                    } else {
                        self.skip(3, Nulls::Undecided)?;
                    }
                    if self.end_of(b'}')? {
                        break;
                    }
                }
                Ok(target.unwrap_or_default())
            }
            // serde reads a struct from a list too (its first element): left to the tree walk.
            b'[' => Err(Undecided),
            _ => self.skip(2, Nulls::Undecided).map(|()| String::new()),
        }
    }

    /// A string at the opening quote, decoded and owned.
    fn owned_string(&mut self) -> Read<String> {
        Ok(match self.string()? {
            Some(s) => s.to_owned(),
            None => std::mem::take(&mut self.decoded),
        })
    }
}
