use fastrs::prelude::*;

#[model]
struct Item {
    #[field(regex = "^[a-z]+$", max_lenght = 3, body)]
    name: String,
}

fn main() {}
