//! Types fastrs does not know, as fields and parameters through
//! `fastrs::model::Serde<T>`: read by serde, documented by schemars
//! (issue 13, item 9).

use std::net::IpAddr;

use fastrs::model::Serde;
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

/// A user's own serde type, with a schemars schema.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum Shape {
    Circle { radius: f64 },
    Square { side: f64 },
}

// ANCHOR: foreign
#[model]
struct Host {
    name: String,
    address: Serde<IpAddr>,
    shapes: Vec<Serde<Shape>>,
}

#[endpoint(POST "/hosts")]
async fn create_host(host: Json<Host>) -> Host {
    host.0
}

#[endpoint(GET "/ping/{address}")]
async fn ping(address: Serde<IpAddr>, via: Option<Serde<IpAddr>>) -> Json<Value> {
    Json(
        json!({"address": address.to_string(), "ipv6": address.is_ipv6(), "via": via.map(|v| v.to_string())}),
    )
}
// ANCHOR_END: foreign

fn client() -> TestClient {
    TestClient::new(App::new().route(create_host).route(ping))
}

#[tokio::test]
async fn foreign_fields_are_read_and_written_by_serde() {
    let body =
        json!({"name": "db", "address": "10.0.0.1", "shapes": [{"kind": "circle", "radius": 1.5}]});
    let response = client().post("/hosts").json(&body).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>(), body);
}

#[tokio::test]
async fn a_refusal_is_a_value_error_at_the_fields_loc_with_every_other_error() {
    let body = json!({"name": 5, "address": "10.0.0.300", "shapes": [{"kind": "triangle"}]});
    let response = client().post("/hosts").json(&body).await;
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
            &json!(["body", "name"]),
            &json!(["body", "address"]),
            &json!(["body", "shapes", 0])
        ]
    );
    assert_eq!(
        detail[1],
        json!({"type": "value_error", "loc": ["body", "address"], "msg": "Value error, invalid IP address syntax", "input": "10.0.0.300", "ctx": {"error": {}}})
    );
    assert_eq!(detail[2]["type"], "value_error");
    assert!(
        detail[2]["msg"]
            .as_str()
            .unwrap()
            .contains("unknown variant `triangle`"),
        "{detail}"
    );
}

#[tokio::test]
async fn foreign_parameters_are_read_from_their_text() {
    let response = client().get("/ping/::1?via=10.0.0.1").await;
    assert_eq!(
        response.json::<Value>(),
        json!({"address": "::1", "ipv6": true, "via": "10.0.0.1"})
    );
    let response = client().get("/ping/nope").await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>()["detail"][0],
        json!({"type": "value_error", "loc": ["path", "address"], "msg": "Value error, invalid IP address syntax", "input": "nope", "ctx": {"error": {}}})
    );
}

#[test]
fn foreign_types_are_documented_by_their_schemars_schema() {
    let doc = App::new()
        .route(create_host)
        .route(ping)
        .openapi()
        .to_json();
    let host = &doc["components"]["schemas"]["Host"]["properties"];
    assert_eq!(
        host["address"],
        json!({"type": "string", "format": "ip", "title": "Address"})
    );
    // A named schemars type is a component, referred to as the others are.
    assert_eq!(
        host["shapes"]["items"],
        json!({"$ref": "#/components/schemas/Shape"})
    );
    let shape = &doc["components"]["schemas"]["Shape"];
    assert_eq!(shape["oneOf"][0]["properties"]["kind"]["const"], "circle");
    let parameters = &doc["paths"]["/ping/{address}"]["get"]["parameters"];
    assert_eq!(parameters[0]["schema"]["format"], "ip");
    assert_eq!(parameters[1]["required"], false);
    fastrs_no_dangling_refs(&doc);
}

/// Every `$ref` in the document points at a component that exists.
fn fastrs_no_dangling_refs(doc: &Value) {
    fn walk(value: &Value, doc: &Value) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    let name = r.trim_start_matches("#/components/schemas/");
                    assert!(
                        doc["components"]["schemas"].get(name).is_some(),
                        "dangling {r}"
                    );
                }
                map.values().for_each(|v| walk(v, doc));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, doc)),
            _ => {}
        }
    }
    walk(doc, doc);
}
