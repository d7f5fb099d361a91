use fastrs::prelude::*;

// `pattern` matches text; the header is read as a number.
#[endpoint(GET "/")]
async fn root(#[param(pattern = "^[0-9]+$")] x_count: Header<u32>) -> String {
    x_count.0.to_string()
}

fn main() {
    let _ = App::new().route(root);
}
