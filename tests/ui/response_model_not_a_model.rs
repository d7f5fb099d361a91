use fastrs::prelude::*;

#[derive(serde::Serialize)]
pub struct ItemOut {
    name: String,
}

#[endpoint(GET "/item", response_model = ItemOut)]
async fn read_item() -> Json<serde_json::Value> {
    Json(serde_json::json!({"name": "x"}))
}

fn main() {
    let _ = App::new().route(read_item);
}
