#![no_main]
//! See `fastrs_tests::fuzz::multipart`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fastrs_tests::fuzz::multipart(data));
