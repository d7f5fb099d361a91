use fastrs::prelude::*;

#[endpoint(POST "/items", status = "201")]
async fn create() {}

fn main() {}
