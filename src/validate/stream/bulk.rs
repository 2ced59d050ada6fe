//! Bulk input read by the same reader: `{"From_Account": …, "items": […]}` or a list of those,
//! split into one span of the text per item (`src/client/bulk/input.rs` keeps the spans).

use super::{Nulls, Read, Reader, Undecided};
use crate::validate::schema::Options;
use std::ops::Range;

/// The items of bulk input text, `{"From_Account": …, "items": […]}` or a list of those, as
/// `JSON.stringify` writes them: each item's user and where the item's JSON is in `text`.
/// `None` for anything else (another shape, a key other than those two or one of them twice,
/// a `null` anywhere, JSON the reader leaves to the tree walk): the caller reads it as a tree.
pub fn bulk_items(text: &str) -> Option<Vec<(String, Range<usize>)>> {
    let opts = Options::REQUEST;
    let mut r = Reader::new(text, &opts, false);
    let mut items = Vec::new();
    r.bulk_input(&mut items).ok()?;
    Some(items)
}

impl Reader<'_, '_> {
    /// Bulk input: one entry or a list of them, then the end of the text.
    fn bulk_input(&mut self, items: &mut Vec<(String, Range<usize>)>) -> Read<()> {
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
    fn bulk_entry(&mut self, items: &mut Vec<(String, Range<usize>)>) -> Read<()> {
        self.eat(b'{')?;
        let (mut from, mut spans): (Option<String>, Option<Vec<Range<usize>>>) = (None, None);
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
                    from = Some(match self.string()? {
                        Some(s) => s.to_owned(),
                        None => std::mem::take(&mut self.decoded),
                    });
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
                            self.skip(2, Nulls::Undecided)?;
                            list.push(start..self.at);
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
        items.extend(spans.into_iter().map(|span| (from.clone(), span)));
        Ok(())
    }
}
