//! The endpoint future that every request allocates stays within glibc's
//! thread cache (allocations up to 1,032 bytes; larger ones take malloc's
//! slow path, a few hundred instructions per request): for a plain route,
//! and for a route with a chain of dependencies, which resolves in a box
//! of its own. Measured on the future `Endpoint::handle` returns, as the
//! app allocates it.

use std::sync::Arc;

use fastrs::extract::RequestContext;
use fastrs::pipeline::{Inherited, IntoEndpoint};
use fastrs::prelude::*;
use fastrs::response::Body;

/// What fits glibc's thread cache, less its 8-byte chunk header.
const THREAD_CACHE_LIMIT: usize = 1024;

#[endpoint(GET "/plain")]
async fn plain() -> &'static str {
    "Hello, World!"
}

#[endpoint(GET "/items/{id}")]
async fn read_item(id: i64, q: Option<String>) -> String {
    format!("{id} {q:?}")
}

pub struct Token(String);
pub struct User(String);
pub struct Greeting(String);

#[dependency]
async fn token(x_token: Header<String>) -> Token {
    Token(x_token.0)
}

#[dependency]
async fn user(token: Depends<Token>) -> User {
    User(format!("user-{}", token.0.len()))
}

#[dependency]
async fn greeting(token: Depends<Token>, user: Depends<User>) -> Greeting {
    Greeting(format!("hello {} ({})", user.0, token.0))
}

#[endpoint(GET "/deps")]
async fn deps(greeting: Depends<Greeting>) -> String {
    greeting.0.clone()
}

/// The size of the future the endpoint returns for one request.
fn future_size(endpoint: impl IntoEndpoint) -> usize {
    let endpoint = endpoint.into_endpoint();
    let (head, ()) = fastrs::http::Request::new(()).into_parts();
    let cx = RequestContext::new(head, Body::empty(), Arc::from(Vec::new()), Vec::new(), 0);
    let future = endpoint.handle(cx, Inherited::default());
    std::mem::size_of_val(&*future)
}

#[test]
fn the_endpoint_futures_fit_the_allocator_thread_cache() {
    for (route, size) in [
        ("GET /plain", future_size(plain())),
        ("GET /items/{id}", future_size(read_item())),
        ("GET /deps (three dependencies)", future_size(deps())),
    ] {
        println!("{route}: {size} bytes");
        assert!(
            size <= THREAD_CACHE_LIMIT,
            "{route}: the endpoint future is {size} bytes"
        );
    }
}
