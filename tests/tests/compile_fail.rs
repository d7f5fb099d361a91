//! Mistakes that must fail at compile time, each with a message that points
//! at the user's token and says what to do. One mistake per file in `ui/`,
//! with the expected compiler output beside it (`.stderr`).

#[test]
fn mistakes_are_compile_errors_in_plain_words() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
}
