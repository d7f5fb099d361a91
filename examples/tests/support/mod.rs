//! Shared by the example tests: checking the headers FastAPI's answers
//! carry (or do not carry).

use fastrs::testing::TestResponse;

/// Asserts each header's value, `None` meaning absent.
pub fn assert_headers(response: &TestResponse, expected: &[(&str, Option<&str>)]) {
    for (name, value) in expected {
        assert_eq!(response.header(name), *value, "header {name}");
    }
}
