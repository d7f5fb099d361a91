use fastrs::prelude::*;

// A redirect class on a function that answers JSON: what is documented
// (a redirect, no content) would not be what is sent.
#[endpoint(GET "/go", response_class = Redirect)]
async fn go() -> Json<serde_json::Value> {
    Json(serde_json::json!({"to": "/elsewhere"}))
}

fn main() {
    let _ = App::new().route(go);
}
