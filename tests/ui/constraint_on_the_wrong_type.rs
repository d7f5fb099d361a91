use fastrs::prelude::*;

// `min_length` applies to text and lists, not to a number.
#[endpoint(GET "/items")]
async fn read_items(#[param(min_length = 3)] limit: i64) -> String {
    limit.to_string()
}

fn main() {
    let _ = App::new().route(read_items);
}
