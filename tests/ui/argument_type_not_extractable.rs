use fastrs::prelude::*;

struct Settings {
    debug: bool,
}

#[endpoint(GET "/")]
async fn root(settings: Settings) -> String {
    settings.debug.to_string()
}

fn main() {}
