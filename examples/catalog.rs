//! A product catalog that uses the document options and the extra types of
//! the guides in one app, so that the OpenAPI validator and schemathesis
//! check them together: URLs, a duration, a set, binary data (base64) and a
//! root model as fields and bodies; model examples; tags from an enum;
//! operation ids made by the app's function; a declared 404; an operation
//! whose request body is written by hand (`openapi_extra`); a callback; a
//! webhook; the statuses the framework answers on its own; and a document
//! post-processed before it is served.
//!
//! Run it with `PORT=8001 cargo run --example catalog`, then open
//! `http://127.0.0.1:8001/docs`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use fastrs::decl::EndpointInfo;
use fastrs::extract::RawBody;
use fastrs::model::{AnyUrl, Binary, HttpUrl};
use fastrs::openapi::ResponseDecl;
use fastrs::prelude::*;
use serde_json::json;

/// The document's tags, one spelling for every route.
#[model]
#[serde(rename_all = "lowercase")]
pub enum Tags {
    Products,
    Admin,
}

/// A product as it is listed.
#[model(examples = [{
    "name": "Plumbus",
    "site": "https://plumbus.example.com",
    "warranty": "P1Y",
    "labels": ["home"]
}])]
pub struct Product {
    #[field(min_length = 1, max_length = 80)]
    pub name: String,
    /// The product's page: `http` or `https`.
    pub site: HttpUrl,
    /// Where its news are published, any scheme (`mailto:`, `ftp:`).
    pub feed: Option<AnyUrl>,
    /// How long the warranty lasts (ISO 8601, `P1Y`, or seconds).
    pub warranty: chrono::TimeDelta,
    #[field(default_factory = BTreeSet::new())]
    pub labels: BTreeSet<String>,
    /// A thumbnail, base64.
    pub thumbnail: Option<Binary>,
}

/// A product with the id the catalog gave it.
#[model]
#[derive(Clone)]
pub struct Listed {
    pub id: i64,
    pub name: String,
    pub site: HttpUrl,
    pub feed: Option<AnyUrl>,
    pub warranty: chrono::TimeDelta,
    pub labels: BTreeSet<String>,
    pub thumbnail: Option<Binary>,
}

/// A product's labels, sent and answered as a bare list (a root model).
#[model]
pub struct Labels(#[field(max_length = 10)] BTreeSet<String>);

/// Why a product could not be found.
#[model]
pub struct Missing {
    pub detail: String,
}

/// What is posted to the lister's `callback_url` once a product is listed.
#[model]
pub struct ListedEvent {
    pub id: i64,
    pub name: String,
}

/// What the lister's callback answers.
#[model]
pub struct Acknowledged {
    pub ok: bool,
}

/// A price change, posted to the URL subscribers register for
/// `price-changed`.
#[model]
pub struct PriceChange {
    pub id: i64,
    pub price: f64,
}

/// The products, kept in memory for the life of the process.
#[derive(Default)]
pub struct Catalog(Mutex<BTreeMap<i64, Listed>>);

impl Catalog {
    fn add(&self, product: Product) -> Listed {
        let mut products = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let id = products.keys().next_back().map_or(1, |last| last + 1);
        let listed = Listed {
            id,
            name: product.name,
            site: product.site,
            feed: product.feed,
            warranty: product.warranty,
            labels: product.labels,
            thumbnail: product.thumbnail,
        };
        products.insert(id, listed.clone());
        listed
    }

    fn get(&self, id: i64) -> Option<Listed> {
        let products = self.0.lock().unwrap_or_else(|e| e.into_inner());
        products.get(&id).cloned()
    }

    fn relabel(&self, id: i64, labels: BTreeSet<String>) -> Option<BTreeSet<String>> {
        let mut products = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let product = products.get_mut(&id)?;
        product.labels = labels;
        Some(product.labels.clone())
    }

    fn all(&self) -> Vec<Listed> {
        let products = self.0.lock().unwrap_or_else(|e| e.into_inner());
        products.values().cloned().collect()
    }
}

/// The catalog, one for the app.
#[dependency(scope = "app")]
async fn catalog() -> Catalog {
    Catalog::default()
}

/// What the routes of one product declare (FastAPI's shared `responses`).
const NOT_FOUND: &[ResponseDecl] = &[ResponseDecl::json::<Missing>(
    404,
    "The product is not in the catalog",
)];

fn missing(id: i64) -> HttpError {
    HttpError::new(StatusCode::NOT_FOUND, format!("Product {id} not found"))
}

// What the app posts to the lister's `callback_url` once a product is
// listed (documented under the operation, never routed).
#[endpoint(POST "{$callback_url}/listed/{$request.body.name}")]
async fn product_listed(event: Json<ListedEvent>) -> Json<Acknowledged> {
    let _ = event;
    Json(Acknowledged { ok: true })
}

/// List a product.
///
/// When `callback_url` is given, the catalog posts the listing to it.
#[endpoint(
    POST "/products",
    status = 201,
    tags = [Tags::Products],
    callbacks = [product_listed],
)]
async fn create_product(
    product: Json<Product>,
    callback_url: Option<HttpUrl>,
    catalog: Depends<Catalog>,
) -> Json<Listed> {
    let _ = callback_url;
    Json(catalog.add(product.0))
}

/// Every product, with the labels asked for.
#[endpoint(GET "/products", tags = [Tags::Products])]
async fn list_products(label: Option<Vec<String>>, catalog: Depends<Catalog>) -> Json<Vec<Listed>> {
    let wanted = label.unwrap_or_default();
    let products = catalog.all();
    Json(
        products
            .into_iter()
            .filter(|p| wanted.iter().all(|l| p.labels.contains(l)))
            .collect(),
    )
}

/// One product.
#[endpoint(
    GET "/products/{product_id}",
    tags = [Tags::Products],
    responses = [..NOT_FOUND],
)]
async fn read_product(
    product_id: i64,
    catalog: Depends<Catalog>,
) -> Result<Json<Listed>, HttpError> {
    catalog
        .get(product_id)
        .map(Json)
        .ok_or_else(|| missing(product_id))
}

/// Replace a product's labels.
#[endpoint(
    PUT "/products/{product_id}/labels",
    tags = [Tags::Products],
    responses = [..NOT_FOUND],
)]
async fn relabel_product(
    product_id: i64,
    labels: Json<Labels>,
    catalog: Depends<Catalog>,
) -> Result<Json<Labels>, HttpError> {
    let Labels(labels) = labels.0;
    catalog
        .relabel(product_id, labels)
        .map(|labels| Json(Labels(labels)))
        .ok_or_else(|| missing(product_id))
}

/// Import products from CSV lines, `name,site`, each with the warranty
/// given. A line that is not a product is skipped and reported.
///
/// The body is read as text and documented by hand.
/// \f
/// (Below the form feed: for the code's readers, not the document.)
#[endpoint(
    POST "/admin/import",
    tags = [Tags::Admin],
    responses = [(400, "The CSV is empty or not UTF-8", Missing)],
    openapi_extra = {
        "requestBody": {
            "required": true,
            "content": {"text/csv": {"schema": {"type": "string", "minLength": 1}}}
        },
        "x-internal": true
    },
)]
async fn import_products(
    body: RawBody,
    warranty: chrono::TimeDelta,
    catalog: Depends<Catalog>,
) -> Result<Json<Imported>, HttpError> {
    let bad = |what: &str| HttpError::new(StatusCode::BAD_REQUEST, what.to_owned());
    let text = std::str::from_utf8(&body.0).map_err(|_| bad("The CSV is not UTF-8"))?;
    if text.is_empty() {
        return Err(bad("The CSV is empty"));
    }
    let mut imported = Imported {
        imported: 0,
        skipped: Vec::new(),
    };
    for (number, line) in text.lines().enumerate() {
        let Some(product) = product_line(line, warranty) else {
            imported.skipped.push(number + 1);
            continue;
        };
        catalog.add(product);
        imported.imported += 1;
    }
    Ok(Json(imported))
}

/// How an import went.
#[model]
pub struct Imported {
    pub imported: usize,
    /// The numbers of the lines that were not products (from 1).
    pub skipped: Vec<usize>,
}

/// A product from a line `name,site`, when it is one.
fn product_line(line: &str, warranty: chrono::TimeDelta) -> Option<Product> {
    let (name, site) = line.split_once(',')?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return None;
    }
    Some(Product {
        name: name.to_owned(),
        site: HttpUrl::parse(site.trim()).ok()?,
        feed: None,
        warranty,
        labels: BTreeSet::new(),
        thumbnail: None,
    })
}

/// Posted to subscribers when a product's price changes.
#[endpoint(POST "price-changed", webhook)]
async fn price_changed(change: Json<PriceChange>) {
    let _ = change;
}

/// Operation ids for generated clients: `products-read_product`
/// (FastAPI's recipe, the first tag and the function's name).
fn tag_and_name(info: &EndpointInfo) -> String {
    match info.tags.first() {
        Some(tag) => format!("{tag}-{}", info.name),
        None => info.name.to_owned(),
    }
}

/// The app, as the tests build it.
pub fn app() -> App {
    App::new()
        .title("Catalog")
        .version("1.0.0")
        .generate_unique_id_function(tag_and_name)
        .document_framework_answers()
        .customize_openapi(|document| {
            document["info"]["x-logo"] = json!({"url": "https://catalog.example.com/logo.png"});
        })
        .webhook(price_changed)
        .route(create_product)
        .route(list_products)
        .route(read_product)
        .route(relabel_product)
        .route(import_products)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    app().serve().await
}
