use fastrs::prelude::*;

#[endpoint(GET "/")]
fn root() -> &'static str {
    "hello"
}

fn main() {}
