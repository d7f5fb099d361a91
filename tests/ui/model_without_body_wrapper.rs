use fastrs::prelude::*;

#[model]
pub struct Item {
    name: String,
}

// FastAPI reads a bare `item: Item` from the body; fastrs asks for Json<Item>.
#[endpoint(POST "/items")]
async fn create_item(item: Item) -> &'static str {
    let _ = item;
    "ok"
}

fn main() {
    let _ = App::new().route(create_item);
}
