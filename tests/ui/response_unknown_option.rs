use fastrs::prelude::*;

// A response takes `media_type`, `example` and `examples`.
#[endpoint(GET "/items", responses = [(404, "Not here", content = "image/png")])]
async fn items() -> Json<i64> {
    Json(1)
}

fn main() {
    let _ = App::new().route(items);
}
