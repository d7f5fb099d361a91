#![no_main]
//! See `fastrs_tests::fuzz::cookie_header`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fastrs_tests::fuzz::cookie_header(data));
