use fastrs::prelude::*;

#[endpoint(GET "/items")]
async fn items(#[param(pattern = "[a-z")] q: String) -> String {
    q
}

fn main() {}
