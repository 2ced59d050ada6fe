//! The reader's lexical layer: white space, single bytes, strings (with their escapes),
//! integers and numbers, and skipping a value it need not check. What those tokens must be is
//! decided in `mod.rs` from the schema.

use super::{MAX_DEPTH, Nulls, Read, Reader, Undecided};
use serde_json::Value;

/// The high bit of each of the eight bytes of `word` (little-endian) that is a quote, a
/// backslash or a control byte (below 0x20): the bytes that end a plain run of string bytes.
/// The classic SWAR test: a byte below `n` sets its high bit in `(w - n·0x01..) & !w & 0x80..`;
/// bits above the lowest may be false (borrows), so only the lowest is used.
#[inline]
fn run_stops(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |w: u64, n: u8| w.wrapping_sub(ONES * n as u64) & !w & HIGH;
    below(word ^ (ONES * b'"' as u64), 1) | below(word ^ (ONES * b'\\' as u64), 1) | below(word, 0x20)
}

impl<'t> Reader<'t, '_> {
    #[inline(always)]
    pub(super) fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.text.as_bytes().get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    #[inline(always)]
    pub(super) fn peek(&mut self) -> Read<u8> {
        self.ws();
        self.text.as_bytes().get(self.at).copied().ok_or(Undecided)
    }

    #[inline(always)]
    pub(super) fn eat(&mut self, byte: u8) -> Read<()> {
        if self.peek()? != byte {
            return Err(Undecided);
        }
        self.at += 1;
        Ok(())
    }

    /// After an item of an object or array: true at its end (`close`), false after a comma.
    #[inline(always)]
    pub(super) fn end_of(&mut self, close: u8) -> Read<bool> {
        match self.peek()? {
            b',' => {
                self.at += 1;
                Ok(false)
            }
            b if b == close => {
                self.at += 1;
                Ok(true)
            }
            _ => Err(Undecided),
        }
    }

    /// A string at the opening quote: `Some` borrowed from the text when it has no escapes,
    /// `None` when it has, with the decoded text in [`Reader::decoded`].
    #[inline]
    pub(super) fn string(&mut self) -> Read<Option<&'t str>> {
        let bytes = self.text.as_bytes();
        let start = self.at + 1;
        let mut i = start;
        // Eight bytes at a time to the first byte that ends the plain run.
        let stop = loop {
            match bytes.get(i..i + 8).map(<[u8; 8]>::try_from) {
                Some(Ok(word)) => match run_stops(u64::from_le_bytes(word)) {
                    0 => i += 8,
                    mask => break i + (mask.trailing_zeros() / 8) as usize,
                },
                // The last few bytes of the text, one at a time.
                _ => match bytes[i.min(bytes.len())..].iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20) {
                    Some(k) => break i + k,
                    None => return Err(Undecided),
                },
            }
        };
        match bytes[stop] {
            b'"' => {
                self.at = stop + 1;
                Ok(Some(&self.text[start..stop]))
            }
            b'\\' => self.escaped(start).map(|()| None),
            _ => Err(Undecided), // a control byte: not JSON
        }
    }

    /// A string with escapes (rare: JSON.stringify escapes only quotes, backslashes and
    /// control characters), decoded by serde_json into [`Reader::decoded`].
    pub(super) fn escaped(&mut self, start: usize) -> Read<()> {
        let bytes = self.text.as_bytes();
        let mut i = start;
        loop {
            match bytes.get(i) {
                None => return Err(Undecided),
                Some(b'"') => break,
                Some(b'\\') => i += 2,
                Some(_) => i += 1,
            }
        }
        // Read as a `Value`: the .wasm already holds that parser, and not one for `String`.
        let Ok(Value::String(s)) = serde_json::from_str(&self.text[start - 1..=i]) else {
            return Err(Undecided);
        };
        self.decoded = s;
        self.at = i + 1;
        Ok(())
    }

    /// A non-negative integer without fraction or exponent that surely fits a u64.
    pub(super) fn integer(&mut self) -> Read<u64> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut n: u64 = 0;
        let mut i = start;
        while let Some(&d @ b'0'..=b'9') = bytes.get(i) {
            n = n.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
            i += 1;
        }
        let digits = i - start;
        // A leading zero is not JSON; 19 digits always fit a u64; a fraction or an exponent
        // makes a float, which the tree walk judges.
        if digits == 0 || digits > 19 || (digits > 1 && bytes[start] == b'0') || matches!(bytes.get(i), Some(b'.' | b'e' | b'E')) {
            return Err(Undecided);
        }
        self.at = i;
        Ok(n)
    }

    /// A JSON number without exponent, checked against the grammar and skipped.
    pub(super) fn number(&mut self) -> Read<()> {
        let bytes = self.text.as_bytes();
        let mut i = self.at;
        let digits = |i: &mut usize| {
            let from = *i;
            while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i - from
        };
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        let first = i;
        let whole = digits(&mut i);
        // Past 19 digits or with an exponent a number may be out of f64's range, which
        // serde_json (the tree walk) refuses although JSON allows it: those are left to it.
        if whole == 0 || whole > 19 || (whole > 1 && bytes[first] == b'0') {
            return Err(Undecided);
        }
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            if digits(&mut i) == 0 {
                return Err(Undecided);
            }
        }
        if let Some(b'e' | b'E') = bytes.get(i) {
            return Err(Undecided);
        }
        self.at = i;
        Ok(())
    }

    /// Reads past any JSON value, checking only that it is JSON.
    pub(super) fn skip(&mut self, depth: usize, nulls: Nulls) -> Read<()> {
        if depth >= MAX_DEPTH {
            return Err(Undecided);
        }
        let word = |r: &mut Self, w: &str| {
            if !r.text.as_bytes()[r.at..].starts_with(w.as_bytes()) {
                return Err(Undecided);
            }
            r.at += w.len();
            Ok(())
        };
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' => {
                self.at += 1;
                if self.peek()? == b'}' {
                    self.at += 1;
                    return Ok(());
                }
                loop {
                    if self.peek()? != b'"' {
                        return Err(Undecided);
                    }
                    self.string()?;
                    self.eat(b':')?;
                    self.skip(depth + 1, nulls)?;
                    if self.end_of(b'}')? {
                        return Ok(());
                    }
                }
            }
            b'[' => {
                self.at += 1;
                if self.peek()? == b']' {
                    self.at += 1;
                    return Ok(());
                }
                loop {
                    self.skip(depth + 1, nulls)?;
                    if self.end_of(b']')? {
                        return Ok(());
                    }
                }
            }
            b't' => word(self, "true"),
            b'f' => word(self, "false"),
            b'n' if nulls == Nulls::Allowed => word(self, "null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(Undecided),
        }
    }
}
