use fastrs::prelude::*;

pub struct User(String);
#[derive(Clone)]
pub struct Item(String);

#[dependency]
async fn get_current_user(x_user: Header<String>) -> User {
    User(x_user.0)
}

// `get_current_user` gives a `User`, not an `Item`.
#[endpoint(GET "/me")]
async fn me(#[depends(get_current_user)] item: Item) -> String {
    item.0
}

fn main() {
    let _ = App::new().route(me);
}
