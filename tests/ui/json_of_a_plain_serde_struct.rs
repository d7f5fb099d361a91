use fastrs::prelude::*;

#[derive(serde::Deserialize, serde::Serialize)]
pub struct Item {
    name: String,
}

#[endpoint(POST "/items")]
async fn create_item(item: Json<Item>) -> &'static str {
    let _ = item;
    "ok"
}

fn main() {
    let _ = App::new().route(create_item);
}
