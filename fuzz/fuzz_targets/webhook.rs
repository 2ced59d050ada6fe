//! libFuzzer entry point; the checks themselves are in `fuzz/src/checks.rs`, shared with the
//! regression tests in `tests/fuzz_regressions.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tim_sns_fuzz::checks::webhook(data));
