#![no_main]
//! See `fastrs_tests::fuzz::form_body`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fastrs_tests::fuzz::form_body(data));
