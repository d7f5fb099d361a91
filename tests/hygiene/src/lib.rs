//! The macros' output under `#![no_implicit_prelude]`, with fastrs renamed
//! to `web` in Cargo.toml: nothing the generated code names may come from
//! the prelude or from a crate called `fastrs`. Compiling is the test; the
//! unit test below also runs the app once.

#![no_implicit_prelude]

use ::std::string::String;
use ::std::vec::Vec;
use ::web::prelude::*;

/// An item.
#[model]
pub struct Item {
    #[field(min_length = 1, examples = ["Foo", "Bar"])]
    name: String,
    #[field(gt = 0)]
    price: f64,
    tags: Vec<String>,
    description: ::std::option::Option<String>,
}

/// A colour.
#[model]
pub enum Colour {
    Red,
    Green,
}

/// A pet, told apart by its kind.
#[model(discriminator = "kind")]
#[serde(rename_all = "lowercase")]
pub enum Pet {
    Cat(Cat),
    Dog(Dog),
}

/// A cat.
#[model]
pub struct Cat {
    #[field(ge = 0)]
    lives: i64,
}

/// A dog.
#[model]
pub struct Dog {
    good: bool,
}

/// Shared settings.
pub struct Settings {
    /// The greeting.
    pub greeting: String,
}

#[dependency(scope = "app")]
async fn settings() -> Settings {
    Settings {
        greeting: ::std::string::ToString::to_string("hello"),
    }
}

#[dependency]
async fn token(
    #[param(alias = "x-token")] x_token: Header<::std::option::Option<String>>,
) -> String {
    ::std::option::Option::unwrap_or_default(x_token.0)
}

/// A second provider of a `String`, named where it is used; a plain `fn`.
#[dependency]
fn shout(#[depends(token)] token: String, #[depends(settings)] settings: &Settings) -> String {
    ::std::format!("{token}{}", &settings.greeting[..0])
}

/// A value lent to the handler, given back to its cleanup.
pub struct Tally(pub u32);

#[dependency]
async fn tally() -> ::web::di::Yield<Tally> {
    ::web::di::Yield::lend(Tally(0), |tally, _outcome| async move {
        let _ = tally.0;
        ::std::result::Result::Ok(())
    })
}

/// A configured provider (FastAPI's callable instance).
pub struct Prefix(&'static str);

#[dependency]
impl Prefix {
    async fn call(&self, #[param(default = "x")] word: String) -> String {
        ::std::format!("{}{word}", self.0)
    }
}

#[dependency]
static PREFIX: Prefix = Prefix("pre-");

#[endpoint(GET "/named")]
fn named(
    #[depends(shout)] loud: String,
    #[depends(tally)] tally: &mut Tally,
    #[depends(PREFIX)] prefixed: String,
    plain: Depends<String, token>,
) -> String {
    tally.0 += 1;
    ::std::format!("{loud} {} {prefixed} {}", tally.0, *plain)
}

/// What `read_item` answers.
#[model]
pub struct ItemRead {
    item_id: i64,
    q: ::std::option::Option<String>,
    limit: u32,
    greeting: String,
    token: String,
}

#[endpoint(GET "/items/{item_id}", tags = ["items"], status = 200)]
async fn read_item(
    item_id: i64,
    q: ::std::option::Option<String>,
    #[param(default = 10, le = 100)] limit: u32,
    settings: Depends<Settings>,
    token: Depends<String, token>,
) -> ItemRead {
    ItemRead {
        item_id,
        q,
        limit,
        greeting: ::std::clone::Clone::clone(&settings.greeting),
        token: ::std::clone::Clone::clone(&*token),
    }
}

#[endpoint(POST "/items", status = 201, response_model = Item)]
async fn create_item(item: Json<Item>) -> Json<Item> {
    item
}

#[endpoint(POST "/pets")]
async fn create_pet(pet: Json<Pet>, colour: ::std::option::Option<Colour>) -> Json<Pet> {
    let _ = colour;
    pet
}

#[websocket("/ws/{room}")]
async fn chat(
    mut ws: ::web::websocket::WebSocket,
    room: String,
) -> ::std::result::Result<(), ::web::websocket::WebSocketError> {
    let text = ws.receive_text().await?;
    ws.send_text(::std::format!("{room}: {text}")).await
}

/// The app.
pub fn app() -> App {
    App::new()
        .route(read_item)
        .route(create_item)
        .route(create_pet)
        .route(chat)
        .route(named)
}

#[cfg(test)]
mod tests {
    use ::std::assert_eq;

    #[::web::tokio::test(crate = "::web::tokio")]
    async fn the_renamed_app_answers() {
        let client = ::web::testing::TestClient::new(super::app());
        let response = client.get("/items/3?limit=5").header("x-token", "t").await;
        assert_eq!(response.status(), 200);
        let response = client.get("/named?word=y").header("x-token", "t").await;
        assert_eq!(response.text(), "t 1 pre-y t");
    }
}
