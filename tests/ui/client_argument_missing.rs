// Every argument the endpoint reads is passed: leaving the query
// parameter out is an error at the call, not a 422 in production.
use fastrs::client::Client;
use fastrs::prelude::*;

#[endpoint(GET "/items/{item_id}")]
async fn read_item(item_id: i64, q: Option<String>) -> Json<i64> {
    let _ = q;
    Json(item_id)
}

async fn caller(client: Client) {
    let _ = client.read_item((5,)).await;
}

fn main() {
    let _ = App::new().route(read_item);
    let _ = caller;
}
