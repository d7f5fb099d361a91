use fastrs::prelude::*;

#[endpoint(POST "/items", status_code = 201)]
async fn create() {}

fn main() {}
