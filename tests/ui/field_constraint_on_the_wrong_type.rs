use fastrs::prelude::*;

// `gt` compares numbers, not text.
#[model]
pub struct Item {
    #[field(gt = 0)]
    name: String,
}

fn main() {}
