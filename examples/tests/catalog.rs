//! The catalog example: the extra types and document options working
//! together in one app (each is pinned to FastAPI's answers on its own in
//! the workspace tests; here they meet).

#[path = "../catalog.rs"]
#[allow(dead_code)]
mod example;

use fastrs::testing::TestClient;
use serde_json::{json, Value};

#[tokio::test]
async fn a_product_is_listed_read_relabelled_and_imported() {
    let client = TestClient::new(example::app());
    let created = client
        .post("/products")
        .json(&json!({
            "name": "Plumbus",
            "site": "HTTPS://Plumbus.Example.COM",
            "warranty": "PT36H",
            "labels": ["home", "home", "garden"],
            "thumbnail": "aGVsbG8"
        }))
        .await;
    assert_eq!(created.status(), 201);
    let listed = json!({
        "id": 1,
        "name": "Plumbus",
        "site": "https://plumbus.example.com/",
        "feed": null,
        "warranty": "P1DT12H",
        "labels": ["garden", "home"],
        "thumbnail": "aGVsbG8="
    });
    assert_eq!(created.json::<Value>(), listed);
    assert_eq!(client.get("/products/1").await.json::<Value>(), listed);
    assert_eq!(
        client.get("/products?label=home").await.json::<Value>(),
        json!([listed])
    );
    assert_eq!(
        client.get("/products?label=kitchen").await.json::<Value>(),
        json!([])
    );

    let missing = client.get("/products/9").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.json::<Value>(),
        json!({"detail": "Product 9 not found"})
    );

    let relabelled = client
        .put("/products/1/labels")
        .json(&json!(["b", "a", "b"]))
        .await;
    assert_eq!(relabelled.json::<Value>(), json!(["a", "b"]));
    let too_many: Vec<String> = (0..11).map(|i| format!("l{i}")).collect();
    let refused = client
        .put("/products/1/labels")
        .json(&json!(too_many))
        .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(refused.json::<Value>()["detail"][0]["type"], "too_long");
    assert_eq!(refused.json::<Value>()["detail"][0]["loc"], json!(["body"]));

    let imported = client
        .post("/admin/import?warranty=P2Y")
        .header("content-type", "text/csv")
        .body("Portal gun, https://portal.example.com\nMeeseeks box,http://box.example.com/a\n")
        .send()
        .await;
    assert_eq!(
        imported.json::<Value>(),
        json!({"imported": 2, "skipped": []})
    );
    let third = client.get("/products/3").await.json::<Value>();
    assert_eq!(third["site"], "http://box.example.com/a");
    assert_eq!(third["warranty"], "P2Y");
    let partly = client
        .post("/admin/import?warranty=P1Y")
        .body("Fine,https://fine.example.com\nBroken,ftp://x.example.com\nno comma\n")
        .send()
        .await;
    assert_eq!(
        partly.json::<Value>(),
        json!({"imported": 1, "skipped": [2, 3]})
    );
    let empty = client.post("/admin/import?warranty=P1Y").send().await;
    assert_eq!(empty.status(), 400);
    assert_eq!(empty.json::<Value>(), json!({"detail": "The CSV is empty"}));
    assert_eq!(client.get("/products").await.json::<Vec<Value>>().len(), 4);
}

#[tokio::test]
async fn the_document_has_every_option_the_app_sets() {
    let client = TestClient::new(example::app());
    let document = client.get("/openapi.json").await.json::<Value>();
    assert_eq!(
        document["info"]["x-logo"],
        json!({"url": "https://catalog.example.com/logo.png"})
    );
    let create = &document["paths"]["/products"]["post"];
    assert_eq!(create["operationId"], "products-create_product");
    assert_eq!(create["tags"], json!(["products"]));
    assert!(create["callbacks"]["product_listed"]
        .get("{$callback_url}/listed/{$request.body.name}")
        .is_some());
    assert_eq!(
        create["responses"]["413"]["description"],
        "The request body is larger than the limit"
    );
    let import = &document["paths"]["/admin/import"]["post"];
    assert_eq!(import["x-internal"], json!(true));
    assert_eq!(
        import["requestBody"]["content"]["text/csv"]["schema"],
        json!({"type": "string", "minLength": 1})
    );
    assert_eq!(
        import["responses"]["400"]["description"],
        "The CSV is empty or not UTF-8"
    );
    assert!(import["responses"].get("413").is_some());
    assert!(!import["description"]
        .as_str()
        .unwrap_or_default()
        .contains("form feed"));
    assert!(document["webhooks"]["price-changed"]["post"].is_object());
    let schemas = &document["components"]["schemas"];
    assert_eq!(schemas["Labels"]["title"], "Labels");
    assert_eq!(
        schemas["Product"]["properties"]["warranty"]["format"],
        "duration"
    );
    assert_eq!(schemas["Product"]["properties"]["site"]["format"], "uri");
    assert_eq!(schemas["Product"]["examples"][0]["name"], json!("Plumbus"));
}
