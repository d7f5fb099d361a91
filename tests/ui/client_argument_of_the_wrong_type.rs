// The typed client's arguments are the endpoint's types: a path
// parameter declared `i64` cannot be called with text.
use fastrs::client::Client;
use fastrs::prelude::*;

#[endpoint(GET "/items/{item_id}")]
async fn read_item(item_id: i64, q: Option<String>) -> Json<i64> {
    let _ = q;
    Json(item_id)
}

async fn caller(client: Client) {
    let _ = client.read_item(("5", None)).await;
}

fn main() {
    let _ = App::new().route(read_item);
    let _ = caller;
}
