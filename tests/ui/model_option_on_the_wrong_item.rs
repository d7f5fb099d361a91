use fastrs::prelude::*;

#[model(discriminator = "kind")]
struct Cat {
    meows: i64,
}

fn main() {}
