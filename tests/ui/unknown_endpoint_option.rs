use fastrs::prelude::*;

#[endpoint(GET "/", colour = "red", status = 42)]
async fn root() {}

fn main() {}
