use fastrs::prelude::*;
use std::rc::Rc;

pub struct Count(i32);

async fn audit() {}

#[dependency]
async fn count() -> Count {
    let counter = Rc::new(1);
    audit().await;
    Count(*counter)
}

#[endpoint(GET "/count")]
async fn read_count(count: Depends<Count>) -> String {
    count.0.to_string()
}

fn main() {
    let _ = App::new().route(read_count);
}
