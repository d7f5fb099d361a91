use fastrs::prelude::*;

pub struct Db;

#[dependency]
async fn get_db() -> Db {
    Db
}

// FastAPI writes `db = Depends(get_db)`; fastrs names the provided type.
#[endpoint(GET "/items")]
async fn read_items(db: Depends<get_db>) -> &'static str {
    let _ = db;
    "items"
}

fn main() {
    let _ = App::new().route(read_items);
}
