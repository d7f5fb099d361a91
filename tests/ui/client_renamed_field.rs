// Server and caller share the model: a field renamed on the server
// (`title` is now `name`) breaks the caller's build.
use fastrs::client::Client;
use fastrs::prelude::*;

#[model]
pub struct ItemIn {
    pub name: String,
}

#[endpoint(POST "/items")]
async fn create_item(item: Json<ItemIn>) -> Json<ItemIn> {
    item
}

async fn caller(client: Client) {
    let _ = client
        .create_item((ItemIn {
            title: "Foo".to_owned(),
        },))
        .await;
}

fn main() {
    let _ = App::new().route(create_item);
    let _ = caller;
}
