//! The docs pages as an app configures them: Swagger UI's parameters and
//! `initOAuth` (FastAPI's `swagger_ui_parameters`, `swagger_ui_init_oauth`),
//! the OAuth2 redirect page, a customised document
//! (`app.openapi = custom_openapi`), and the helpers for docs pages an app
//! serves itself (`get_swagger_ui_html`, `get_redoc_html`).

use fastrs::openapi::ui::{redoc_page, SwaggerUiPage};
use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

#[endpoint(GET "/users/{username}")]
async fn read_user(username: String) -> Json<Value> {
    Json(json!({"message": format!("Hello {username}")}))
}

// ANCHOR: configured
fn configured() -> App {
    App::new()
        .title("Custom title")
        .swagger_ui_parameters(json!({"syntaxHighlight": false, "deepLinking": false}))
        .swagger_ui_init_oauth(
            json!({"clientId": "docs", "usePkceWithAuthorizationCodeGrant": true}),
        )
        .customize_openapi(|document| {
            document["info"]["x-logo"] =
                json!({"url": "https://fastapi.tiangolo.com/img/logo-margin/logo-teal.png"});
        })
        .route(read_user)
}
// ANCHOR_END: configured

#[tokio::test]
async fn swagger_ui_gets_the_apps_parameters_as_json() {
    let client = TestClient::new(configured());
    let page = client.get("/docs").await.text();
    // Written as FastAPI writes them: each key and value JSON-quoted.
    assert!(page.contains(r#""syntaxHighlight": false,"#), "{page}");
    assert!(page.contains(r#""deepLinking": false,"#), "{page}");
    assert!(!page.contains(r#""deepLinking": true"#), "{page}");
    // The defaults the app did not change stay.
    assert!(page.contains(r##""dom_id": "#swagger-ui","##), "{page}");
    assert!(page.contains(r#""validatorUrl": null,"#), "{page}");
    assert!(
        page.contains(r#"oauth2RedirectUrl: window.location.origin + "/docs/oauth2-redirect","#)
    );
    assert!(page
        .contains(r#"ui.initOAuth({"clientId":"docs","usePkceWithAuthorizationCodeGrant":true})"#));
    assert!(page.contains("<title>Custom title - Swagger UI</title>"));
}

#[tokio::test]
async fn the_oauth2_redirect_page_is_served_offline() {
    let client = TestClient::new(configured());
    let page = client.get("/docs/oauth2-redirect").await;
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .contains(r#"<script src="/docs/oauth2-redirect.js"></script>"#));
    let script = client.get("/docs/oauth2-redirect.js").await;
    assert_eq!(script.status(), 200);
    assert!(script.text().contains("swaggerUIRedirectOauth2"));
}

#[tokio::test]
async fn the_served_document_is_the_customised_one() {
    let app = configured();
    assert!(app.openapi().to_json()["info"].get("x-logo").is_none());
    let client = TestClient::new(app);
    let document = client.get("/openapi.json").await.json::<Value>();
    assert_eq!(
        document["info"]["x-logo"]["url"],
        "https://fastapi.tiangolo.com/img/logo-margin/logo-teal.png"
    );
    assert_eq!(document["info"]["title"], "Custom title");
    assert!(document["paths"]["/users/{username}"].is_object());
}

// ANCHOR: own_pages
/// Docs pages served by the app itself, with assets from elsewhere
/// (FastAPI's `get_swagger_ui_html` and `get_redoc_html`).
#[endpoint(GET "/documentation", include_in_schema = false)]
async fn documentation() -> Html {
    Html(
        SwaggerUiPage::new("/openapi.json", "My API - Swagger UI")
            .assets("/static/swagger-ui-bundle.js", "/static/swagger-ui.css")
            .oauth2_redirect_url("/documentation/oauth2-redirect")
            .html(),
    )
}

#[endpoint(GET "/reference", include_in_schema = false)]
async fn reference() -> Html {
    Html(redoc_page(
        "My API",
        "/openapi.json",
        "/static/redoc.standalone.js",
    ))
}
// ANCHOR_END: own_pages

#[tokio::test]
async fn an_app_may_serve_its_own_docs_pages() {
    let client = TestClient::new(
        App::new()
            .docs_url(None)
            .redoc_url(None)
            .route(documentation)
            .route(reference),
    );
    assert_eq!(client.get("/docs").await.status(), 404);
    let page = client.get("/documentation").await.text();
    assert!(page.contains(r#"<script src="/static/swagger-ui-bundle.js"></script>"#));
    assert!(page.contains(r#"href="/static/swagger-ui.css""#));
    assert!(page.contains(r#"url: "/openapi.json","#));
    let redoc = client.get("/reference").await.text();
    assert!(redoc.contains(r#"<script src="/static/redoc.standalone.js"></script>"#));
    assert!(redoc.contains(r#"<redoc spec-url="/openapi.json"></redoc>"#));
}

#[test]
fn a_value_cannot_end_the_pages_script() {
    let page = SwaggerUiPage::new("/openapi.json", "t")
        .parameter("x", json!("</script><script>alert(1)</script>"))
        .html();
    assert!(!page.contains("</script><script>alert"), "{page}");
    assert!(page.contains(r#""x": "<\/script><script>alert(1)<\/script>","#));
}
