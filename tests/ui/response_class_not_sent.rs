use fastrs::prelude::*;
use fastrs::response::Html;

// Text is sent as the class says (FastAPI's HTMLResponse(content=text)), but
// a JSON answer is not HTML: the documented media type would be wrong.
#[endpoint(GET "/html", response_class = Html)]
async fn html() -> Json<serde_json::Value> {
    Json(serde_json::json!({"title": "Hello"}))
}

fn main() {
    let _ = App::new().route(html);
}
