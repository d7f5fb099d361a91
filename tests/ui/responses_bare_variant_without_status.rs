use fastrs::prelude::*;

#[model]
struct Item {
    name: String,
}

// A variant without a value sends only a status: which one must be said.
#[responses]
enum ItemAnswer {
    Found(Item),
    Gone,
}

#[endpoint(GET "/item")]
async fn item() -> ItemAnswer {
    ItemAnswer::Gone
}

fn main() {
    let _ = App::new().route(item);
}
