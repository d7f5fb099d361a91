use fastrs::prelude::*;
use std::rc::Rc;

async fn audit() {}

#[endpoint(GET "/count")]
async fn count() -> String {
    let counter = Rc::new(1);
    audit().await;
    counter.to_string()
}

fn main() {
    let _ = App::new().route(count);
}
