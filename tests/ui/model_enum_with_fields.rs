use fastrs::prelude::*;

#[model]
enum Shape {
    Circle(f64),
    Square,
}

fn main() {}
