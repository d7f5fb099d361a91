use fastrs::prelude::*;

#[endpoint(GET "/items/{item_id}")]
async fn read_item(q: Option<String>) -> Json<Option<String>> {
    Json(q)
}

fn main() {}
