use fastrs::prelude::*;

struct Api;

impl Api {
    #[endpoint(GET "/items")]
    async fn items(&self, q: String) -> String {
        q
    }
}

fn main() {}
