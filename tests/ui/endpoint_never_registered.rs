// An endpoint nobody registers is a function nobody calls: rustc's
// dead_code lint names it (denied here so that the test sees it).
#![deny(dead_code)]

use fastrs::prelude::*;

#[endpoint(GET "/items")]
async fn read_items() -> &'static str {
    "items"
}

#[endpoint(GET "/users")]
async fn read_users() -> &'static str {
    "users"
}

fn main() {
    let _ = App::new().route(read_users);
}
