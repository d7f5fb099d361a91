use fastrs::prelude::*;

#[model]
struct Point(i64, i64);

fn main() {}
