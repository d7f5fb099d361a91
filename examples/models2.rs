//! Port of FastAPI's model and update tutorials: validators, reusable
//! constrained types, computed fields (with `Name-Input` and `Name-Output`
//! schemas), and PATCH with `exclude_unset`, `exclude_none` and partial
//! updates.
//!
//! Run it with `PORT=8001 cargo run --release --example models2`.

use std::collections::HashMap;
use std::sync::Mutex;

use fastrs::model::{from_json, updated, Maybe};
use fastrs::prelude::*;
use serde_json::{json, Value};

// ANCHOR: types
/// A stock-keeping unit: two capitals, a dash, digits.
#[model]
pub struct Sku(#[field(min_length = 3, max_length = 12, pattern = "^[A-Z]{2}-[0-9]+$")] String);

/// How many of a line's article are ordered.
#[model]
pub struct Qty(#[field(ge = 1, le = 99)] i64);
// ANCHOR_END: types

// ANCHOR: computed
/// One line of an order; `total` is computed, written out, never read.
#[model(computed(total))]
pub struct Line {
    sku: Sku,
    qty: Qty,
    #[field(gt = 0)]
    unit_price: f64,
}

impl Line {
    /// The line's price.
    pub fn total(&self) -> f64 {
        round2(*self.qty as f64 * self.unit_price)
    }
}

/// An order of at least one line.
#[model(computed(total))]
pub struct Order {
    #[field(min_length = 1)]
    lines: Vec<Line>,
    coupon: Option<String>,
}

impl Order {
    /// The order's price.
    pub fn total(&self) -> f64 {
        round2(self.lines.iter().map(Line::total).sum())
    }
}

/// Python's `round(x, 2)`.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[endpoint(POST "/orders")]
async fn create_order(order: Json<Order>) -> Order {
    order.0
}
// ANCHOR_END: computed

// ANCHOR: validators
/// A registration: the username is checked and lower-cased, and the two
/// passwords must match.
#[model(validate = passwords_match)]
pub struct Signup {
    #[field(min_length = 3, validate = username_alphanumeric)]
    username: String,
    password: String,
    password_repeat: String,
    birthday: Option<chrono::NaiveDate>,
}

fn username_alphanumeric(username: String) -> Result<String, &'static str> {
    if !username.chars().all(char::is_alphanumeric) {
        return Err("must be alphanumeric");
    }
    Ok(username.to_lowercase())
}

fn passwords_match(signup: Signup) -> Result<Signup, &'static str> {
    if signup.password != signup.password_repeat {
        return Err("passwords do not match");
    }
    Ok(signup)
}

/// What the API shows of a registration.
#[model]
pub struct SignupOut {
    username: String,
    birthday: Option<chrono::NaiveDate>,
}

#[endpoint(POST "/signup", response_model = SignupOut)]
async fn signup(body: Json<Signup>) -> Json<Signup> {
    body
}
// ANCHOR_END: validators

// ANCHOR: union
/// A cat; the union's tag (`pet_type: "cat"`) is not a field of its own.
#[model]
pub struct Cat {
    #[field(ge = 0)]
    meows: i64,
}

/// A dog.
#[model]
pub struct Dog {
    barks: f64,
}

/// A pet, told apart by `pet_type` (Pydantic's `Field(discriminator=...)`).
#[model(discriminator = "pet_type")]
#[serde(rename_all = "lowercase")]
pub enum Pet {
    Cat(Cat),
    Dog(Dog),
}

/// An owner and their pet.
#[model]
pub struct Owner {
    name: String,
    pet: Pet,
}

#[endpoint(POST "/owners")]
async fn create_owner(owner: Json<Owner>) -> Owner {
    owner.0
}
// ANCHOR_END: union

// ANCHOR: items
/// An item as stored and shown.
#[model]
pub struct Item {
    name: String,
    description: Option<String>,
    price: Option<f64>,
    #[field(default = 10.5)]
    tax: f64,
    #[field(default = Vec::new())]
    tags: Vec<String>,
}

/// A partial update: a field left out is [`Maybe::Unset`] and changes
/// nothing; `null` is `Set(None)`.
#[model(extra = "forbid")]
pub struct ItemPatch {
    name: Maybe<Option<String>>,
    description: Maybe<Option<String>>,
    #[field(gt = 0)]
    price: Maybe<Option<f64>>,
    tax: Maybe<Option<f64>>,
    tags: Maybe<Option<Vec<String>>>,
}

/// The stored items, kept as JSON as the FastAPI app keeps dicts.
pub struct Items(Mutex<HashMap<String, Value>>);

#[dependency(scope = "app")]
async fn items() -> Items {
    Items(Mutex::new(HashMap::from([
        ("foo".to_owned(), json!({"name": "Foo", "price": 50.2})),
        (
            "bar".to_owned(),
            json!({"name": "Bar", "description": "The bartenders", "price": 62, "tax": 20.2}),
        ),
        (
            "baz".to_owned(),
            json!({"name": "Baz", "description": null, "price": 50.2, "tax": 10.5, "tags": []}),
        ),
    ])))
}

impl Items {
    fn get(&self, id: &str) -> Result<Value, HttpError> {
        let items = self.0.lock().unwrap_or_else(|p| p.into_inner());
        items
            .get(id)
            .cloned()
            .ok_or_else(|| HttpError::new(StatusCode::NOT_FOUND, "Item not found"))
    }
}

// Only the fields the stored item has.
#[endpoint(GET "/items/{item_id}", response_model = Item, response_model_exclude_unset)]
async fn read_item(item_id: String, items: Depends<Items>) -> Result<Value, HttpError> {
    items.get(&item_id)
}

// Every field that is not `null`.
#[endpoint(GET "/items/{item_id}/public", response_model = Item, response_model_exclude_none)]
async fn read_item_public(item_id: String, items: Depends<Items>) -> Result<Value, HttpError> {
    items.get(&item_id)
}

// FastAPI's tutorial: `stored.model_copy(update=patch.model_dump(
// exclude_unset=True))`, except that the result is validated again.
#[endpoint(PATCH "/items/{item_id}", response_model = Item)]
async fn update_item(
    item_id: String,
    patch: Json<ItemPatch>,
    items: Depends<Items>,
) -> Result<Item, HttpError> {
    let stored: Item = from_json(&items.get(&item_id)?)?;
    let item = updated(&stored, &*patch)?;
    let json = serde_json::to_value(&item)
        .map_err(|_| HttpError::from_status(StatusCode::INTERNAL_SERVER_ERROR))?;
    items
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(item_id, json);
    Ok(item)
}
// ANCHOR_END: items

/// The app, as the tests build it.
pub fn app() -> App {
    App::new()
        .route(signup)
        .route(create_order)
        .route(create_owner)
        .route(read_item)
        .route(read_item_public)
        .route(update_item)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
