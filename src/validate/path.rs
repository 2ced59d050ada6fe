//! Field paths in the notation users see: `AddFriendItem[3].AddSource`.

use std::fmt;

/// A path from the root of an input to one field. Cheap to extend; displayed in dotted form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path(String);

impl Path {
    /// The root of the input (displays as `input` when nothing was appended).
    pub fn root() -> Self {
        Self(String::new())
    }

    /// The path of a named field below this one.
    pub fn key(&self, name: &str) -> Self {
        if self.0.is_empty() {
            Self(name.to_owned())
        } else {
            Self(format!("{}.{name}", self.0))
        }
    }

    /// The path of an array element below this one.
    pub fn index(&self, i: usize) -> Self {
        Self(format!("{}[{i}]", self.0))
    }

    /// True for the root path.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() { f.write_str("input") } else { f.write_str(&self.0) }
    }
}

#[cfg(test)]
mod tests {
    use super::Path;

    #[test]
    fn builds_dotted_paths_with_indices() {
        let p = Path::root().key("AddFriendItem").index(3).key("AddSource");
        assert_eq!(p.to_string(), "AddFriendItem[3].AddSource");
        assert_eq!(Path::root().to_string(), "input");
        assert_eq!(Path::root().index(0).to_string(), "[0]");
    }
}
