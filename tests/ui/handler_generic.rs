use fastrs::prelude::*;

#[endpoint(GET "/items")]
async fn items<T: Default>(q: String) -> String {
    q
}

fn main() {}
