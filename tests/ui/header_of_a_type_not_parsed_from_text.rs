use fastrs::prelude::*;

pub struct Version {
    major: u32,
}

#[endpoint(GET "/")]
async fn root(x_version: Header<Version>) -> String {
    x_version.0.major.to_string()
}

fn main() {
    let _ = App::new().route(root);
}
