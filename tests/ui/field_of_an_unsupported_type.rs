use fastrs::prelude::*;

pub struct Point {
    x: f64,
}

#[model]
pub struct Item {
    name: String,
    location: Point,
}

fn main() {}
