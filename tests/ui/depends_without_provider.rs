use fastrs::prelude::*;

struct Db;

#[endpoint(GET "/")]
async fn root(db: Depends<Db>) -> &'static str {
    let _ = &*db;
    "hello"
}

fn main() {}
