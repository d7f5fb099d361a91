use fastrs::prelude::*;

#[model]
pub struct Item {
    name: String,
}

#[endpoint(POST "/items")]
async fn create_item(item: Option<Json<Item>>) -> &'static str {
    let _ = item;
    "ok"
}

fn main() {
    let _ = App::new().route(create_item);
}
