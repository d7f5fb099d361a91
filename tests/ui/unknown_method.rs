use fastrs::prelude::*;

#[endpoint(FETCH "/")]
async fn root() {}

fn main() {}
