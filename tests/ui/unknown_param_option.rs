use fastrs::prelude::*;

#[endpoint(GET "/")]
async fn root(#[param(minimum = 3)] q: i64) -> Json<i64> {
    Json(q)
}

fn main() {}
