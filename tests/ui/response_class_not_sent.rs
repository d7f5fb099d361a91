use fastrs::prelude::*;
use fastrs::response::Html;

// FastAPI wraps a returned str in the response_class; fastrs asks for the
// class itself, so that what is documented is what is sent.
#[endpoint(GET "/html", response_class = Html)]
async fn html() -> &'static str {
    "<h1>Hello</h1>"
}

fn main() {
    let _ = App::new().route(html);
}
