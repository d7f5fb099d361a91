use fastrs::prelude::*;

// A name that is not one of StatusCode's constants.
#[endpoint(POST "/items", status = StatusCode::MADE)]
async fn create() {}

fn main() {
    let _ = App::new().route(create);
}
