#![no_main]
//! See `fastrs_tests::fuzz::query_string`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fastrs_tests::fuzz::query_string(data));
