#![no_main]
//! See `fastrs_tests::fuzz::path`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fastrs_tests::fuzz::path(data));
