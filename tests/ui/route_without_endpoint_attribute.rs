use fastrs::prelude::*;

// The #[endpoint] attribute is missing.
async fn read_items() -> &'static str {
    "items"
}

fn main() {
    let _ = App::new().route(read_items);
}
