use fastrs::prelude::*;

// A mistake in the attribute is one error: registering the endpoint and
// using its dependency add none.
struct Db;

#[dependency(scope = "everywhere")]
async fn db() -> Db {
    Db
}

#[endpoint(GET "/items/{item_id}", status_code = 201)]
async fn read_item(item_id: i64, db: Depends<Db>) -> Json<i64> {
    let _ = db;
    Json(item_id)
}

fn main() {
    let _app = App::new().route(read_item);
}
