"use strict";
// A bulk report's item objects from the packed stretch the Rust core writes: the layout, its
// slots and flags are documented in src/client/bulk/columns.rs, which this must match.
// CommonJS, because wasm-bindgen's Node (CommonJS) glue loads it with require(); the ESM glue
// imports it, which Node allows for CommonJS.

const WIDTH = 8;
// Outcome::ALL, in order (a Rust test checks that they agree).
const OUTCOMES = ["ok", "pending", "already", "failed", "unknown"];
const OUTCOME_MASK = 7, NEW_FROM = 8, HAS_CODE = 16, HAS_INFO = 32, HAS_RELATION = 64, RECONCILED = 128;

/** One object per item, in order, keys in the order of `BulkItem`. */
exports.reportItems = function reportItems(numbers, text) {
  const items = [];
  let at = 0, from = "";
  for (let c = 0; c < numbers.length; c += WIDTH) {
    const bits = numbers[c + 1];
    if (bits & NEW_FROM) from = text.slice(at, (at += numbers[c + 2]));
    const to = text.slice(at, (at += numbers[c + 3]));
    const item = { index: numbers[c], From_Account: from, To_Account: to, outcome: OUTCOMES[bits & OUTCOME_MASK] };
    if (bits & HAS_CODE) item.code = numbers[c + 6];
    if (bits & HAS_INFO) item.info = text.slice(at, (at += numbers[c + 4]));
    if (bits & HAS_RELATION) item.relation = text.slice(at, (at += numbers[c + 5]));
    if (bits & RECONCILED) item.reconciled = true;
    item.attempts = numbers[c + 7];
    items.push(item);
  }
  return items;
};
