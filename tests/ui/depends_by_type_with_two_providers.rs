use fastrs::prelude::*;

pub struct User(String);

#[dependency]
async fn get_current_user(x_user: Header<String>) -> User {
    User(x_user.0)
}

#[dependency]
async fn get_current_active_user(#[depends(get_current_user)] user: &User) -> User {
    User(user.0.clone())
}

// Two providers give a `User`: the argument must say which.
#[endpoint(GET "/me")]
async fn me(user: Depends<User>) -> String {
    user.0.clone()
}

fn main() {
    let _ = App::new().route(me);
}
