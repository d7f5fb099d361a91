use fastrs::prelude::*;

pub struct Db;

#[dependency]
fn db() -> Db {
    Db
}

fn main() {}
