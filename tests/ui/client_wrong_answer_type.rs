// The call returns the endpoint's success model: reading it as another
// type is an error at the caller.
use fastrs::client::Client;
use fastrs::prelude::*;

#[model]
pub struct ItemOut {
    pub name: String,
}

#[endpoint(GET "/items/{item_id}")]
async fn read_item(item_id: i64) -> Result<ItemOut, HttpError> {
    Ok(ItemOut { name: item_id.to_string() })
}

async fn caller(client: Client) {
    let _name: Result<String, _> = client.read_item((1,)).await;
}

fn main() {
    let _ = App::new().route(read_item);
    let _ = caller;
}
