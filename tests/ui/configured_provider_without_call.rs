use fastrs::prelude::*;

pub struct Checker {
    content: &'static str,
}

// FastAPI's `__call__` is `call(&self, ...)` here.
#[dependency]
impl Checker {
    async fn check(&self, #[param(default = "")] q: String) -> bool {
        q.contains(self.content)
    }
}

fn main() {}
