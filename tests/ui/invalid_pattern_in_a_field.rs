use fastrs::prelude::*;

#[model]
struct Item {
    #[field(pattern = "^(?=[a-z])[a-z0-9]+$")]
    code: String,
}

fn main() {}
