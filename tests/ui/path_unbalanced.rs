use fastrs::prelude::*;

#[endpoint(GET "/items/{item_id")]
async fn read(item_id: i64, id: i64) -> Json<i64> {
    Json(item_id + id)
}

fn main() {}
