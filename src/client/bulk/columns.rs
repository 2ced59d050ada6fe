//! A stretch of item reports packed for the JS side: numbers in one `u32` block, strings in one
//! text. The executor hands both to a small JS function that builds the report's objects in
//! one loop. Before, each stretch went out as JSON text for `JSON.parse`: serializing,
//! decoding and parsing it was close to half of a 10 000-item run's own time.
//!
//! Every item takes [`WIDTH`] numbers:
//!
//! | slot | holds |
//! | --- | --- |
//! | 0 | `index` |
//! | 1 | bits: the outcome's number (its place in [`Outcome::ALL`]), then the [`NEW_FROM`], [`HAS_CODE`], [`HAS_INFO`], [`HAS_RELATION`] and [`RECONCILED`] flags |
//! | 2 | length of `From_Account` (only with [`NEW_FROM`]: otherwise the previous item's) |
//! | 3 | length of `To_Account` |
//! | 4 | length of `info` |
//! | 5 | length of `relation` |
//! | 6 | `code` |
//! | 7 | `attempts` |
//!
//! The text holds each item's strings in the order `From_Account` (when new), `To_Account`,
//! `info`, `relation`; lengths are in UTF-16 code units, so the JS
//! side cuts the text with `slice`. A user's name is written once for a run of its items.

use super::{ItemReport, Outcome};

/// Numbers per item.
pub const WIDTH: usize = 8;
/// Mask of the outcome's number in the bits.
pub const OUTCOME_MASK: u32 = 7;
/// `From_Account` differs from the previous item's and is in the text.
pub const NEW_FROM: u32 = 8;
/// `code` is present.
pub const HAS_CODE: u32 = 16;
/// `info` is present (it may be empty).
pub const HAS_INFO: u32 = 32;
/// `relation` is present.
pub const HAS_RELATION: u32 = 64;
/// `reconciled: true`.
pub const RECONCILED: u32 = 128;

/// Item reports in the packed form.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Columns {
    /// [`WIDTH`] numbers an item.
    pub numbers: Vec<u32>,
    /// The items' strings, one after another.
    pub text: String,
}

impl Columns {
    /// Packs `items`, in order.
    pub fn pack<'a>(items: impl IntoIterator<Item = &'a ItemReport>) -> Self {
        let items = items.into_iter();
        let mut out = Columns { numbers: Vec::with_capacity(items.size_hint().0 * WIDTH), text: String::new() };
        let mut from: Option<&str> = None;
        for item in items {
            out.push(item, &mut from);
        }
        out
    }

    fn push<'a>(&mut self, item: &'a ItemReport, from: &mut Option<&'a str>) {
        let mut bits = item.outcome as u32;
        let mut slots = [0u32; WIDTH];
        slots[0] = item.index as u32;
        if *from != Some(item.from_account.as_str()) {
            bits |= NEW_FROM;
            slots[2] = self.write(&item.from_account);
            *from = Some(&item.from_account);
        }
        slots[3] = self.write(&item.to_account);
        if let Some(info) = &item.info {
            bits |= HAS_INFO;
            slots[4] = self.write(info);
        }
        if let Some(relation) = &item.relation {
            bits |= HAS_RELATION;
            slots[5] = self.write(relation);
        }
        if let Some(code) = item.code {
            bits |= HAS_CODE;
            slots[6] = code;
        }
        if item.reconciled {
            bits |= RECONCILED;
        }
        slots[7] = item.attempts;
        slots[1] = bits;
        self.numbers.extend_from_slice(&slots);
    }

    /// Appends `s` to the text and returns its length in UTF-16 code units.
    fn write(&mut self, s: &str) -> u32 {
        self.text.push_str(s);
        let units = if s.is_ascii() { s.len() } else { s.chars().map(char::len_utf16).sum() };
        units as u32
    }

    /// How many items are packed.
    pub fn len(&self) -> usize {
        self.numbers.len() / WIDTH
    }

    /// Whether no item is packed.
    pub fn is_empty(&self) -> bool {
        self.numbers.is_empty()
    }

    /// Reads the items back, as the JS side does (for tests, and to document the layout in
    /// code). `None` when the numbers do not fit the text.
    pub fn unpack(&self) -> Option<Vec<ItemReport>> {
        let units: Vec<u16> = self.text.encode_utf16().collect();
        let mut at = 0usize;
        let mut take = |len: u32| -> Option<String> {
            let end = at.checked_add(len as usize)?;
            let s = String::from_utf16(units.get(at..end)?).ok()?;
            at = end;
            Some(s)
        };
        let mut from = String::new();
        let mut items = Vec::with_capacity(self.len());
        for slots in self.numbers.chunks_exact(WIDTH) {
            let bits = slots[1];
            if bits & NEW_FROM != 0 {
                from = take(slots[2])?;
            }
            let to_account = take(slots[3])?;
            let outcome = *Outcome::ALL.get((bits & OUTCOME_MASK) as usize)?;
            let info = if bits & HAS_INFO != 0 { Some(take(slots[4])?) } else { None };
            let relation = if bits & HAS_RELATION != 0 { Some(take(slots[5])?) } else { None };
            items.push(ItemReport {
                index: slots[0] as usize,
                from_account: from.clone(),
                to_account,
                outcome,
                code: (bits & HAS_CODE != 0).then_some(slots[6]),
                info,
                relation,
                reconciled: bits & RECONCILED != 0,
                attempts: slots[7],
            });
        }
        (at == units.len()).then_some(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(index: usize, from: &str, to: &str, outcome: &str) -> ItemReport {
        let outcome = Outcome::from_name(outcome).unwrap();
        ItemReport { index, from_account: from.into(), to_account: to.into(), outcome, code: Some(0), info: None, relation: None, reconciled: false, attempts: 1 }
    }

    #[test]
    fn packs_and_reads_back_every_field() {
        let mut items = vec![
            item(0, "u1", "t0", "ok"),
            item(1, "u1", "好友😀", "pending"),
            ItemReport { info: Some("bad To_Account".into()), code: Some(30001), ..item(2, "u1", "t2", "failed") },
            ItemReport { code: None, info: Some(String::new()), attempts: 3, ..item(3, "用户", "t3", "unknown") },
            ItemReport { reconciled: true, ..item(4, "用户", "t4", "ok") },
            ItemReport { relation: Some("CheckResult_Type_BothWay".into()), ..item(5, "u1", "", "ok") },
            item(6, "", "t6", "already"),
        ];
        items[0].code = None;
        let packed = Columns::pack(&items);
        assert_eq!(packed.len(), items.len());
        assert_eq!(packed.unpack().unwrap(), items);
    }

    #[test]
    fn writes_a_user_once_for_a_run_of_its_items() {
        let items: Vec<_> = (0..3).map(|i| item(i, "someone", &format!("t{i}"), "ok")).collect();
        let packed = Columns::pack(&items);
        assert_eq!(packed.text, "someonet0t1t2");
        let flags: Vec<u32> = packed.numbers.chunks_exact(WIDTH).map(|s| s[1] & NEW_FROM).collect();
        assert_eq!(flags, [NEW_FROM, 0, 0]);
    }

    #[test]
    fn lengths_count_utf16_units() {
        let packed = Columns::pack(&[item(0, "😀", "é", "ok")]);
        assert_eq!((packed.numbers[2], packed.numbers[3]), (2, 1));
    }

    /// The JS side that builds the objects (`src/wasm/report_items.cjs`) names the outcomes by
    /// number: its list must be `Outcome::ALL`'s, in order.
    #[test]
    fn the_js_reader_numbers_the_outcomes_as_the_core_does() {
        let js = include_str!("../../wasm/report_items.cjs");
        let names: Vec<String> = Outcome::ALL.iter().map(|o| format!("\"{}\"", o.as_str())).collect();
        assert!(js.contains(&format!("const OUTCOMES = [{}];", names.join(", "))), "report_items.cjs OUTCOMES differ from Outcome::ALL");
        assert!(js.contains(&format!("const WIDTH = {WIDTH};")));
    }

    #[test]
    fn nothing_packs_to_nothing() {
        let packed = Columns::pack(&[]);
        assert!(packed.is_empty());
        assert_eq!(packed.unpack(), Some(Vec::new()));
    }
}
