use fastrs::prelude::*;

struct Report {
    lines: usize,
}

#[endpoint(GET "/")]
async fn root() -> Report {
    Report { lines: 1 }
}

fn main() {}
