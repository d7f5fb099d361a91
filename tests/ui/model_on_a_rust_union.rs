use fastrs::prelude::*;

// A Rust `union` has no JSON shape; a union of models is an enum.
#[model]
pub union Number {
    int: i64,
    float: f64,
}

fn main() {}
