//! `response_model_exclude_unset`, `_none` and `_defaults`, with nested
//! models and a computed field, and `Maybe` for partial updates. The
//! answers are FastAPI 0.165's for the same models (`Sub` with `a: int |
//! None = None`, `b: int = 1`; `Item` with defaults and a computed
//! `label`), copied here.

use fastrs::model::{updated, Maybe};
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

#[model]
struct Sub {
    a: Option<i64>,
    #[field(default = 1)]
    b: i64,
}

#[model(computed(label))]
struct Item {
    name: String,
    description: Option<String>,
    #[field(default = 10.5)]
    tax: f64,
    #[field(default = Vec::new())]
    tags: Vec<String>,
    sub: Option<Sub>,
}

impl Item {
    fn label(&self) -> String {
        self.name.to_uppercase()
    }
}

fn stored() -> Value {
    json!({"name": "Foo", "tax": 10.5, "tags": [], "sub": {"a": null, "b": 1}})
}

#[endpoint(GET "/defaults", response_model = Item, response_model_exclude_defaults)]
async fn defaults() -> Json<Value> {
    Json(stored())
}

#[endpoint(GET "/none", response_model = Item, response_model_exclude_none)]
async fn none() -> Json<Value> {
    Json(stored())
}

#[endpoint(GET "/unset", response_model = Item, response_model_exclude_unset)]
async fn unset() -> Json<Value> {
    Json(json!({"name": "Foo", "sub": {"b": 2}}))
}

#[endpoint(GET "/all", response_model = Item)]
async fn all() -> Json<Value> {
    Json(json!({"name": "Foo", "sub": {"b": 2}}))
}

async fn get(path: &str) -> Value {
    let app = App::new()
        .route(defaults)
        .route(none)
        .route(unset)
        .route(all);
    TestClient::new(app).get(path).await.json()
}

#[tokio::test]
async fn exclude_defaults_leaves_out_what_equals_its_default_at_every_depth() {
    assert_eq!(
        get("/defaults").await,
        json!({"name": "Foo", "sub": {}, "label": "FOO"})
    );
}

#[tokio::test]
async fn exclude_none_leaves_out_nulls_at_every_depth() {
    assert_eq!(
        get("/none").await,
        json!({"name": "Foo", "tax": 10.5, "tags": [], "sub": {"b": 1}, "label": "FOO"})
    );
}

#[tokio::test]
async fn exclude_unset_keeps_what_was_given_and_the_computed_fields() {
    assert_eq!(
        get("/unset").await,
        json!({"name": "Foo", "sub": {"b": 2}, "label": "FOO"})
    );
    assert_eq!(
        get("/all").await,
        json!({"name": "Foo", "description": null, "tax": 10.5, "tags": [], "sub": {"a": null, "b": 2}, "label": "FOO"})
    );
}

#[model]
struct Patch {
    name: Maybe<String>,
    description: Maybe<Option<String>>,
}

#[test]
fn maybe_tells_absent_from_null() {
    let absent: Patch = fastrs::model::fast::from_slice(b"{}").expect("valid");
    assert_eq!(
        (absent.name, absent.description),
        (Maybe::Unset, Maybe::Unset)
    );
    let null: Patch = fastrs::model::fast::from_slice(br#"{"description": null}"#).expect("valid");
    assert_eq!(null.description, Maybe::Set(None));
    assert!(fastrs::model::fast::from_slice::<Patch>(br#"{"name": null}"#).is_none());
    // Unset fields are not written: the patch dumps as exactly what was sent.
    let sent: Patch = fastrs::model::fast::from_slice(br#"{"description": "d"}"#).expect("valid");
    assert_eq!(
        serde_json::to_value(&sent).unwrap(),
        json!({"description": "d"})
    );
}

#[test]
fn maybe_fields_are_optional_in_the_schema() {
    #[endpoint(PATCH "/p")]
    async fn patch(p: Json<Patch>) -> Json<Patch> {
        p
    }
    let doc = App::new().route(patch).openapi().to_json();
    assert_eq!(
        doc["components"]["schemas"]["Patch"],
        json!({"properties": {"name": {"type": "string", "title": "Name"}, "description": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Description"}}, "type": "object", "title": "Patch"})
    );
}

#[test]
fn updated_applies_the_set_fields_and_validates_the_result() {
    let stored = Item {
        name: "Foo".into(),
        description: Some("d".into()),
        tax: 1.0,
        tags: vec![],
        sub: None,
    };
    let patch = Patch {
        name: Maybe::Unset,
        description: Maybe::Set(None),
    };
    let item = updated(&stored, &patch).expect("valid");
    assert_eq!((item.name.as_str(), item.description), ("Foo", None));
    #[model]
    struct BadPatch {
        name: Maybe<Option<String>>,
    }
    let bad = BadPatch {
        name: Maybe::Set(None),
    };
    let errors = updated(&stored, &bad)
        .err()
        .expect("a null name is refused");
    assert_eq!(
        serde_json::to_value(&errors).unwrap()["detail"],
        json!([{"type": "string_type", "loc": ["body", "name"], "msg": "Input should be a valid string", "input": null}])
    );
}

#[test]
fn computed_fields_split_the_schema_into_input_and_output() {
    #[endpoint(POST "/items")]
    async fn create(item: Json<Item>) -> Item {
        item.0
    }
    let doc = App::new().route(create).openapi().to_json();
    let schemas = &doc["components"]["schemas"];
    assert!(schemas.get("Item").is_none());
    assert!(schemas["Item-Input"]["properties"].get("label").is_none());
    assert_eq!(
        schemas["Item-Output"]["properties"]["label"],
        json!({"type": "string", "title": "Label", "readOnly": true})
    );
    assert_eq!(schemas["Item-Output"]["required"], json!(["name", "label"]));
    // Sub has no computed field: one schema, shared.
    assert!(schemas.get("Sub").is_some());
    let op = &doc["paths"]["/items"]["post"];
    assert_eq!(
        op["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Item-Input"
    );
    assert_eq!(
        op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Item-Output"
    );
}

// ---- response_model_include / response_model_exclude ----------------------
// FastAPI's tutorial (response_model/tutorial005), and a nested field.

#[model]
struct Priced {
    name: String,
    description: Option<String>,
    price: f64,
    #[field(default = 10.5)]
    tax: f64,
}

fn bar() -> Value {
    json!({"name": "Bar", "description": "The Bar fighters", "price": 62, "tax": 20.2})
}

// ANCHOR: include_exclude
#[endpoint(GET "/items/{item_id}/name", response_model = Priced,
    response_model_include = ["name", "description"])]
async fn read_item_name(item_id: String) -> Json<Value> {
    let _ = item_id;
    Json(bar())
}

#[endpoint(GET "/items/{item_id}/public", response_model = Priced,
    response_model_exclude = ["tax"])]
async fn read_item_public_data(item_id: String) -> Json<Value> {
    let _ = item_id;
    Json(bar())
}
// ANCHOR_END: include_exclude

#[model]
struct Owner {
    name: String,
    password: String,
}

#[model]
struct Shop {
    title: String,
    owners: Vec<Owner>,
}

#[endpoint(GET "/shop", response_model = Shop, response_model_exclude = ["owners.password"])]
async fn shop() -> Json<Value> {
    Json(json!({"title": "Tools", "owners": [
        {"name": "Ann", "password": "x"}, {"name": "Bob", "password": "y"}
    ]}))
}

#[endpoint(GET "/shop/titles", response_model = Vec<Shop>, response_model_include = ["title"])]
async fn shop_titles() -> Json<Value> {
    Json(json!([{"title": "Tools", "owners": []}, {"title": "Food", "owners": []}]))
}

async fn answer(app: App, path: &str) -> Value {
    TestClient::new(app).get(path).await.json()
}

#[tokio::test]
async fn include_and_exclude_keep_or_drop_fields_as_fastapi_does() {
    let app = || {
        App::new()
            .route(read_item_name)
            .route(read_item_public_data)
            .route(shop)
            .route(shop_titles)
    };
    assert_eq!(
        answer(app(), "/items/bar/name").await,
        json!({"name": "Bar", "description": "The Bar fighters"})
    );
    assert_eq!(
        answer(app(), "/items/bar/public").await,
        json!({"name": "Bar", "description": "The Bar fighters", "price": 62.0})
    );
    // A nested field, in every item of a list.
    assert_eq!(
        answer(app(), "/shop").await,
        json!({"title": "Tools", "owners": [{"name": "Ann"}, {"name": "Bob"}]})
    );
    assert_eq!(
        answer(app(), "/shop/titles").await,
        json!([{"title": "Tools"}, {"title": "Food"}])
    );
    // The document still shows the whole model, as FastAPI's does.
    let document = TestClient::new(app())
        .get("/openapi.json")
        .await
        .json::<Value>();
    let schema = &document["paths"]["/items/{item_id}/name"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    assert_eq!(schema, &json!({"$ref": "#/components/schemas/Priced"}));
}
