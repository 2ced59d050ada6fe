//! Splitting a pasted curl command into words as a POSIX shell would (the form browsers' and
//! this package's "copy as curl" produce): blanks, backslash escapes and line continuations,
//! '…', "…" and $'…' quoting. The command ends at the first unquoted, unescaped newline; the
//! rest of the paste (a reply printed below it) is returned untouched.

/// The words of the command, and the byte offset where the text after it starts.
pub fn words(text: &str) -> (Vec<String>, usize) {
    let mut out = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\n' => {
                if let Some(w) = word.take() {
                    out.push(w);
                }
                return (out, i + 1);
            }
            ' ' | '\t' | '\r' => {
                if let Some(w) = word.take() {
                    out.push(w);
                }
            }
            '\\' => match chars.next() {
                // A line continuation joins the lines.
                Some((_, '\n')) => {}
                Some((_, '\r')) => {
                    chars.next_if(|&(_, c)| c == '\n');
                }
                Some((_, e)) => word.get_or_insert_with(String::new).push(e),
                None => {}
            },
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                for (_, q) in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    w.push(q);
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                while let Some((_, q)) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => match chars.peek() {
                            Some(&(_, e @ ('"' | '\\' | '$' | '`'))) => {
                                w.push(e);
                                chars.next();
                            }
                            Some(&(_, '\n')) => {
                                chars.next();
                            }
                            _ => w.push('\\'),
                        },
                        _ => w.push(q),
                    }
                }
            }
            '$' if chars.peek().is_some_and(|&(_, c)| c == '\'') => {
                chars.next();
                let w = word.get_or_insert_with(String::new);
                while let Some((_, q)) = chars.next() {
                    match q {
                        '\'' => break,
                        '\\' => match chars.next() {
                            Some((_, 'n')) => w.push('\n'),
                            Some((_, 't')) => w.push('\t'),
                            Some((_, 'r')) => w.push('\r'),
                            Some((_, e)) => w.push(e),
                            None => {}
                        },
                        _ => w.push(q),
                    }
                }
            }
            _ => word.get_or_insert_with(String::new).push(c),
        }
    }
    if let Some(w) = word {
        out.push(w);
    }
    (out, text.len())
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn quotes_escapes_and_continuations() {
        let (w, end) = words("curl -X POST 'https://h/v4?a=1&b=2' \\\n  -H \"Content-Type: application/json\" --data-raw '{\"A\":\"it'\\''s\"}' $'x\\ty'\n{\"reply\":1}");
        assert_eq!(w, ["curl", "-X", "POST", "https://h/v4?a=1&b=2", "-H", "Content-Type: application/json", "--data-raw", "{\"A\":\"it's\"}", "x\ty"]);
        assert_eq!(&"curl -X POST 'https://h/v4?a=1&b=2' \\\n  -H \"Content-Type: application/json\" --data-raw '{\"A\":\"it'\\''s\"}' $'x\\ty'\n{\"reply\":1}"[end..], "{\"reply\":1}");
    }

    #[test]
    fn unterminated_quotes_end_the_word() {
        assert_eq!(words("curl 'abc").0, ["curl", "abc"]);
        assert_eq!(words("a \"b\\").0, ["a", "b\\"]);
        assert_eq!(words("").0, Vec::<String>::new());
    }
}
