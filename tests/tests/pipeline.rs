//! The request pipeline seen from outside: what an argument is comes from
//! its type's `FromRequest` impl (type aliases keep their meaning, a user's
//! own extractor works and documents itself), and the pipeline's order.

use std::sync::Mutex;

use fastrs::extract::{Arg, ArgKind, FromRequest, RequestContext};
use fastrs::model::{Location, ValidationErrors};
use fastrs::openapi::OperationDoc;
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

// --- Type aliases ---------------------------------------------------------

struct Pool(&'static str);

#[dependency(scope = "app")]
async fn pool() -> Pool {
    Pool("the pool")
}

// ANCHOR: aliases
/// An alias of `Depends`: still a dependency.
type Db = Depends<Pool>;
/// An alias of `Json`: still the body.
type Body<T> = Json<T>;
// ANCHOR_END: aliases

#[model]
struct Item {
    name: String,
}

#[endpoint(POST "/items")]
async fn create(db: Db, item: Body<Item>, q: Option<i64>) -> Json<Value> {
    Json(json!({"db": db.0, "name": item.0.name, "q": q}))
}

#[tokio::test]
async fn type_aliases_of_depends_and_json_keep_their_meaning() {
    let client = TestClient::new(App::new().route(create));
    let response = client
        .post("/items?q=3")
        .json(&json!({"name": "hammer"}))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"db": "the pool", "name": "hammer", "q": 3})
    );
    let response = client.post("/items").json(&json!({"nom": "x"})).await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>()["detail"][0]["loc"],
        json!(["body", "name"])
    );
    let document = client.app().openapi().to_json();
    let op = &document["paths"]["/items"]["post"];
    assert_eq!(
        op["requestBody"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Item"})
    );
    assert_eq!(op["parameters"][0]["name"], "q");
}

// --- A user's own extractor -----------------------------------------------

/// The client's address: the first entry of `X-Forwarded-For`, else the
/// `X-Real-Ip` header, else "unknown".
struct ClientIp(String);

impl FromRequest for ClientIp {
    type Value = ClientIp;

    async fn from_request(
        cx: &mut RequestContext,
        arg: &Arg<ClientIp>,
        errors: &mut ValidationErrors,
    ) -> Result<Option<Self>, fastrs::response::Rejection> {
        let forwarded = cx.header_values("x-forwarded-for").next();
        let first = forwarded
            .as_deref()
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_owned());
        let real = cx.header_values("x-real-ip").next().map(|v| v.into_owned());
        match first.or(real) {
            Some(ip) if ip.parse::<std::net::IpAddr>().is_err() => {
                // A malformed address is the client's mistake: a 422 with
                // the others, at the header's place.
                errors.push(fastrs::model::ValidationError::new(
                    fastrs::model::ErrorKind::Other {
                        kind: "ip_address".into(),
                        msg: "Input is not a valid IP address".into(),
                        ctx: None,
                    },
                    Location::Header,
                    "x-forwarded-for",
                    Value::String(ip),
                ));
                Ok(None)
            }
            Some(ip) => Ok(Some(ClientIp(ip))),
            None => Ok(Some(
                arg.default.map_or(ClientIp("unknown".into()), |d| d()),
            )),
        }
    }

    fn describe(arg: &Arg<ClientIp>, doc: &mut OperationDoc<'_>) {
        doc.parameter::<Option<String>>(Location::Header, arg.spec, false, None);
    }
}

#[endpoint(GET "/ip")]
async fn ip(
    #[param(
        alias = "x-forwarded-for",
        description = "The client's address, from the proxy"
    )]
    client: ClientIp,
    q: Option<i64>,
) -> Json<Value> {
    Json(json!({"ip": client.0, "q": q}))
}

#[tokio::test]
async fn a_users_extractor_reads_the_request_and_documents_itself() {
    let client = TestClient::new(App::new().route(ip));
    let response = client
        .get("/ip")
        .header("x-forwarded-for", "203.0.113.7, 10.0.0.1")
        .await;
    assert_eq!(
        response.json::<Value>(),
        json!({"ip": "203.0.113.7", "q": null})
    );
    let response = client.get("/ip").header("x-real-ip", "192.0.2.1").await;
    assert_eq!(response.json::<Value>()["ip"], "192.0.2.1");
    assert_eq!(client.get("/ip").await.json::<Value>()["ip"], "unknown");

    // Its errors join the others in one 422.
    let response = client
        .get("/ip?q=x")
        .header("x-forwarded-for", "not-an-ip")
        .await;
    assert_eq!(response.status(), 422);
    let detail = response.json::<Value>()["detail"].clone();
    let locs: Vec<&Value> = detail
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["loc"])
        .collect();
    assert_eq!(
        locs,
        [
            &json!(["query", "q"]),
            &json!(["header", "x-forwarded-for"])
        ]
    );
    assert_eq!(detail[1]["type"], "ip_address");

    let document = client.app().openapi().to_json();
    let parameters = &document["paths"]["/ip"]["get"]["parameters"];
    assert_eq!(
        parameters[1],
        json!({
            "name": "x-forwarded-for",
            "in": "header",
            "required": false,
            "description": "The client's address, from the proxy",
            "schema": {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "title": "X-Forwarded-For",
                "description": "The client's address, from the proxy"
            }
        })
    );
}

// --- A user's extractor as a dependency argument --------------------------

struct Audit(Mutex<Vec<String>>);

#[dependency]
async fn audit(client: ClientIp) -> Audit {
    Audit(Mutex::new(vec![format!("from {}", client.0)]))
}

#[endpoint(GET "/audited")]
async fn audited(audit: Depends<Audit>) -> Json<Vec<String>> {
    Json(audit.0.lock().unwrap().clone())
}

#[tokio::test]
async fn a_users_extractor_works_as_a_provider_argument() {
    let client = TestClient::new(App::new().route(audited));
    let response = client
        .get("/audited")
        .header("x-real-ip", "192.0.2.9")
        .await;
    assert_eq!(response.json::<Value>(), json!(["from 192.0.2.9"]));
}

// --- The kind decides the order ---------------------------------------------

/// An extractor of kind `Dependency` runs before the parameters whatever
/// its place among the arguments.
struct Early;

impl FromRequest for Early {
    type Value = Early;
    const KIND: ArgKind = ArgKind::Dependency;

    async fn from_request(
        _: &mut RequestContext,
        _: &Arg<Early>,
        _: &mut ValidationErrors,
    ) -> Result<Option<Self>, fastrs::response::Rejection> {
        Err(HttpError::new(StatusCode::FORBIDDEN, "stopped before the parameters").into())
    }
}

#[endpoint(GET "/early")]
async fn early(n: i64, _early: Early) -> String {
    n.to_string()
}

#[tokio::test]
async fn an_extractor_of_dependency_kind_runs_before_the_parameters() {
    let client = TestClient::new(App::new().route(early));
    // `n` is missing, but the dependency-kind extractor ran first and ended
    // the request: its 403 wins over the 422.
    let response = client.get("/early").await;
    assert_eq!(response.status(), 403);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": "stopped before the parameters"})
    );
}
