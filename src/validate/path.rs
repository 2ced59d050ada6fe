//! Field paths in the notation users see: `AddFriendItem[3].AddSource`.
//!
//! A path is a chain of borrowed segments on the stack: extending it costs nothing, and text
//! is only made when a violation is recorded, so checking a valid 1000-item body allocates
//! no paths at all.

use std::fmt;

/// A path from the root of an input to one field. Displayed in dotted form; the root alone
/// displays as `input`.
#[derive(Debug, Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Segment<'a> {
    Root,
    /// A root with a given display text (e.g. a path rebuilt from text).
    Named(&'a str),
    Key(&'a str),
    Index(usize),
}

impl Path<'static> {
    /// The root of the input.
    pub fn root() -> Self {
        Path { parent: None, segment: Segment::Root }
    }
}

impl<'a> Path<'a> {
    /// A root that displays as `text` (for paths kept as text and extended later).
    pub fn named(text: &'a str) -> Self {
        Path { parent: None, segment: if text.is_empty() { Segment::Root } else { Segment::Named(text) } }
    }

    /// The path of a named field below this one.
    pub fn key<'b>(&'b self, name: &'b str) -> Path<'b> {
        Path { parent: Some(self), segment: Segment::Key(name) }
    }

    /// The path of an array element below this one.
    pub fn index(&self, i: usize) -> Path<'_> {
        Path { parent: Some(self), segment: Segment::Index(i) }
    }

    /// True for the root path.
    pub fn is_root(&self) -> bool {
        self.parent.is_none() && matches!(self.segment, Segment::Root)
    }

    fn write_inner(&self, f: &mut fmt::Formatter<'_>) -> Result<bool, fmt::Error> {
        // Returns whether anything was written, so keys know whether to put a dot first.
        let wrote = match self.parent {
            Some(p) => p.write_inner(f)?,
            None => false,
        };
        match self.segment {
            Segment::Root => Ok(wrote),
            Segment::Named(text) => f.write_str(text).map(|_| true),
            Segment::Key(name) if wrote => write!(f, ".{name}").map(|_| true),
            Segment::Key(name) => f.write_str(name).map(|_| true),
            Segment::Index(i) => write!(f, "[{i}]").map(|_| true),
        }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_root() {
            return f.write_str("input");
        }
        self.write_inner(f).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::Path;

    #[test]
    fn builds_dotted_paths_with_indices() {
        let root = Path::root();
        let items = root.key("AddFriendItem");
        let third = items.index(3);
        assert_eq!(third.key("AddSource").to_string(), "AddFriendItem[3].AddSource");
        assert_eq!(Path::root().to_string(), "input");
        assert_eq!(Path::root().index(0).to_string(), "[0]");
        let named = Path::named("options");
        assert_eq!(named.key("softLimits").to_string(), "options.softLimits");
        assert_eq!(Path::named("a[1]").index(2).to_string(), "a[1][2]");
    }
}
