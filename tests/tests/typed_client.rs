//! The typed client (feature `client`): each endpoint's call from the
//! declaration itself, against the app served on a socket. Path, query,
//! header, cookie, JSON and form arguments are sent where the server reads
//! them; dependencies and credentials are not arguments; the answer is the
//! success model, and 401, 404, 409 and 422 come back typed.

use fastrs::client::{Client, ClientError};
use fastrs::prelude::*;
use fastrs::security::{HttpAuthorizationCredentials, HttpBearerScheme, OAuth2PasswordRequestForm};
use serde_json::{json, Value};

// ANCHOR: declarations
#[model]
#[derive(Clone)]
pub struct ItemIn {
    pub name: String,
    #[field(max_length = 20)]
    pub description: Option<String>,
    pub price: f64,
}

#[model]
#[derive(Debug)]
pub struct ItemOut {
    pub id: i64,
    pub name: String,
    pub price: f64,
}

pub struct Bearer;

impl HttpBearerScheme for Bearer {}

/// The caller, from the bearer token: a dependency, so not an argument of
/// the typed call (the client's `bearer` setting sends the token).
#[dependency]
pub async fn current_user(
    credentials: Option<HttpAuthorizationCredentials<Bearer>>,
) -> Result<String, HttpError> {
    match credentials {
        Some(c) if c.credentials == "secret" => Ok("alice".to_owned()),
        _ => Err(
            HttpError::new(StatusCode::UNAUTHORIZED, "Not authenticated")
                .with_header("www-authenticate", "Bearer"),
        ),
    }
}

/// Reads an item, with one argument from each place of the request.
#[endpoint(GET "/items/{item_id}", tags = ["items"])]
pub async fn read_item(
    item_id: i64,
    q: Option<String>,
    #[param(ge = 1, le = 100, default = 20)] limit: i64,
    #[param(alias = "x-token")] token: Header<String>,
    ads_id: Cookie<Option<String>>,
    #[depends(current_user)] user: String,
) -> Result<Json<Value>, HttpError> {
    if item_id == 404 {
        return Err(HttpError::new(StatusCode::NOT_FOUND, "Item not found"));
    }
    Ok(Json(json!({
        "item_id": item_id, "q": q, "limit": limit, "token": token.0,
        "ads_id": ads_id.0, "user": user,
    })))
}

/// Creates an item: a JSON body in, a model out, 409 for a taken name.
#[endpoint(POST "/items", status = 201, tags = ["items"])]
pub async fn create_item(
    item: Json<ItemIn>,
    #[depends(current_user)] _user: String,
) -> Result<ItemOut, HttpError> {
    if item.name == "taken" {
        return Err(HttpError::new(StatusCode::CONFLICT, "Name taken"));
    }
    Ok(ItemOut {
        id: 1,
        name: item.0.name,
        price: item.0.price,
    })
}
// ANCHOR_END: declarations

/// Two body parts (an object of both) and a `response_model`: the call
/// returns the model, not what the function returns.
#[endpoint(PUT "/items/{item_id}", response_model = ItemOut)]
pub async fn replace_item(item_id: i64, item: Json<ItemIn>, importance: Json<i64>) -> Json<Value> {
    Json(json!({
        "id": item_id * 100 + importance.0, "name": item.0.name, "price": item.0.price,
        "secret": "left out by the response model",
    }))
}

/// A JSON body and a scalar body key (FastAPI's `Body()`): the body is
/// an object of both.
#[endpoint(PUT "/items/{item_id}/importance")]
pub async fn rate_item(
    item_id: i64,
    item: Json<ItemIn>,
    #[param(body)] importance: i64,
) -> Json<Value> {
    Json(json!({"item_id": item_id, "name": item.0.name, "importance": importance}))
}

/// A form, as OAuth2's password flow sends it.
#[endpoint(POST "/token")]
pub async fn login(form: OAuth2PasswordRequestForm) -> Json<Value> {
    Json(json!({"username": form.username, "scopes": form.scopes}))
}

/// No content.
#[endpoint(DELETE "/items/{item_id}", status = 204)]
pub async fn delete_item(item_id: i64) -> Result<(), HttpError> {
    if item_id == 404 {
        return Err(HttpError::new(StatusCode::NOT_FOUND, "Item not found"));
    }
    Ok(())
}

/// A `{name:path}` variable keeps its slashes; other characters are
/// escaped and arrive as they were.
#[endpoint(GET "/files/{file_path:path}")]
pub async fn read_file(file_path: String, tags: Vec<String>) -> Json<Value> {
    Json(json!({"file_path": file_path, "tags": tags}))
}

/// A file upload: the typed client does not send files, and the endpoint
/// still compiles with the feature on (only calling it would not).
#[endpoint(POST "/upload")]
pub async fn upload(file: UploadFile) -> String {
    file.filename().unwrap_or_default().to_owned()
}

/// Form fields, one argument each.
#[endpoint(POST "/form")]
pub async fn form_fields(username: Form<String>, tags: Form<Vec<String>>) -> Json<Value> {
    Json(json!({"username": username.0, "tags": tags.0}))
}

#[model]
pub struct Filters {
    pub q: Option<String>,
    pub tags: Vec<String>,
}

#[model]
pub struct CommonHeaders {
    pub x_tag: String,
}

#[model]
pub struct Session {
    pub session_id: String,
}

/// Parameter models: a query model, a header model (`x_tag` is the
/// header `x-tag`) and a cookie model; and a body embedded under its name.
#[endpoint(POST "/search")]
pub async fn search(
    filters: Query<Filters>,
    headers: Headers<CommonHeaders>,
    cookies: Cookies<Session>,
    #[param(embed)] item: Json<ItemIn>,
) -> Json<Value> {
    Json(json!({
        "q": filters.0.q, "tags": filters.0.tags, "x_tag": headers.0.x_tag,
        "session_id": cookies.0.session_id, "item": item.0.name,
    }))
}

fn app() -> App {
    App::new()
        .route(form_fields)
        .route(search)
        .route(read_item)
        .route(create_item)
        .route(replace_item)
        .route(rate_item)
        .route(login)
        .route(delete_item)
        .route(read_file)
        .route(upload)
}

/// Serves the app on a socket; the address and the means to stop it.
async fn serve() -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app().serve_with(listener, async {
        let _ = stopped.await;
    }));
    (format!("http://{address}"), stop)
}

#[tokio::test]
async fn each_argument_goes_where_the_server_reads_it_and_dependencies_are_not_arguments() {
    let (base, _stop) = serve().await;
    // ANCHOR: calls
    let client = Client::new(&base).bearer("secret");
    let item: Value = client
        .read_item((
            5,
            Some("a b&c".to_owned()),
            7,
            "tok".to_owned(),
            Some("ad".to_owned()),
        ))
        .await
        .unwrap();
    // ANCHOR_END: calls
    assert_eq!(
        item,
        json!({"item_id": 5, "q": "a b&c", "limit": 7, "token": "tok", "ads_id": "ad", "user": "alice"})
    );
    // `None` sends nothing: the server's own default or absence.
    let bare: Value = client
        .read_item((6, None, 20, "t".to_owned(), None))
        .await
        .unwrap();
    assert_eq!(bare["q"], Value::Null);
    assert_eq!(bare["ads_id"], Value::Null);

    let files = client
        .read_file((
            "dir/a b?.txt".to_owned(),
            vec!["x".to_owned(), "y".to_owned()],
        ))
        .await
        .unwrap();
    assert_eq!(
        files,
        json!({"file_path": "dir/a b?.txt", "tags": ["x", "y"]})
    );
}

#[tokio::test]
async fn bodies_forms_and_response_models_come_back_as_their_models() {
    let (base, _stop) = serve().await;
    let client = Client::new(&base).bearer("secret");
    // ANCHOR: models
    let created: ItemOut = client
        .create_item((ItemIn {
            name: "Foo".to_owned(),
            description: None,
            price: 3.5,
        },))
        .await
        .unwrap();
    // ANCHOR_END: models
    assert_eq!(
        (created.id, created.name.as_str(), created.price),
        (1, "Foo", 3.5)
    );

    let item = ItemIn {
        name: "Bar".to_owned(),
        description: Some("short".to_owned()),
        price: 2.0,
    };
    let replaced: ItemOut = client.replace_item((7, item.clone(), 3)).await.unwrap();
    assert_eq!((replaced.id, replaced.name.as_str()), (703, "Bar"));
    let rated = client.rate_item((7, item, 5)).await.unwrap();
    assert_eq!(rated, json!({"item_id": 7, "name": "Bar", "importance": 5}));

    let form = OAuth2PasswordRequestForm {
        grant_type: Some("password".to_owned()),
        username: "alice".to_owned(),
        password: "p&ss word".to_owned(),
        scopes: vec!["items:read".to_owned(), "me".to_owned()],
        client_id: None,
        client_secret: None,
    };
    let login = client.login((form,)).await.unwrap();
    assert_eq!(
        login,
        json!({"username": "alice", "scopes": ["items:read", "me"]})
    );

    let deleted: () = client.delete_item((1,)).await.unwrap();
    assert_eq!(deleted, ());
}

#[tokio::test]
async fn form_fields_parameter_models_and_an_embedded_body_are_sent_as_the_server_reads_them() {
    let (base, _stop) = serve().await;
    let client = Client::new(&base);
    let form = client
        .form_fields(("ann".to_owned(), vec!["a b".to_owned(), "c&d".to_owned()]))
        .await
        .unwrap();
    assert_eq!(form, json!({"username": "ann", "tags": ["a b", "c&d"]}));

    let filters = Filters {
        q: Some("milk".to_owned()),
        tags: vec!["x".to_owned(), "y".to_owned()],
    };
    let headers = CommonHeaders {
        x_tag: "t1".to_owned(),
    };
    let session = Session {
        session_id: "s1".to_owned(),
    };
    let item = ItemIn {
        name: "Foo".to_owned(),
        description: None,
        price: 1.0,
    };
    let found = client
        .search((filters, headers, session, item))
        .await
        .unwrap();
    assert_eq!(
        found,
        json!({"q": "milk", "tags": ["x", "y"], "x_tag": "t1", "session_id": "s1", "item": "Foo"})
    );
}

#[tokio::test]
async fn error_statuses_come_back_typed() {
    let (base, _stop) = serve().await;
    let client = Client::new(&base).bearer("secret");

    // ANCHOR: errors
    // 401: no token. The client's error is the HttpError the server sent.
    let anonymous = Client::new(&base);
    match anonymous
        .read_item((5, None, 20, "t".to_owned(), None))
        .await
    {
        Err(ClientError::Http(error)) => {
            assert_eq!(error.status(), StatusCode::UNAUTHORIZED);
            assert_eq!(error.detail(), "Not authenticated");
            assert_eq!(error.headers()["www-authenticate"], "Bearer");
        }
        other => panic!("expected a 401, got {other:?}"),
    }
    // 422: a constraint the types do not carry (`le = 100`).
    match client
        .read_item((5, None, 1000, "t".to_owned(), None))
        .await
    {
        Err(ClientError::Validation(issues)) => {
            assert_eq!(issues[0].kind, "less_than_equal");
            assert_eq!(issues[0].loc, [json!("query"), json!("limit")]);
            assert_eq!(issues[0].ctx, Some(json!({"le": 100})));
        }
        other => panic!("expected a 422, got {other:?}"),
    }
    // ANCHOR_END: errors

    let not_found = client
        .read_item((404, None, 20, "t".to_owned(), None))
        .await;
    assert!(
        matches!(&not_found, Err(ClientError::Http(e)) if e.status() == StatusCode::NOT_FOUND && e.detail() == "Item not found"),
        "{not_found:?}"
    );
    let gone = client.delete_item((404,)).await;
    assert_eq!(gone.unwrap_err().status(), Some(StatusCode::NOT_FOUND));

    let taken = ItemIn {
        name: "taken".to_owned(),
        description: None,
        price: 1.0,
    };
    let conflict = client.create_item((taken,)).await.unwrap_err();
    assert_eq!(conflict.status(), Some(StatusCode::CONFLICT));
    assert_eq!(conflict.to_string(), "409 Conflict: \"Name taken\"");

    // A body field over its max_length: the 422's loc is in the body.
    let long = ItemIn {
        name: "Baz".to_owned(),
        description: Some("x".repeat(30)),
        price: 1.0,
    };
    let ClientError::Validation(issues) = client.create_item((long,)).await.unwrap_err() else {
        panic!("a description over 20 characters is a 422");
    };
    assert_eq!(issues[0].loc, [json!("body"), json!("description")]);
    assert_eq!(issues[0].kind, "string_too_long");
}

#[tokio::test]
async fn a_service_that_is_down_or_answers_another_shape_is_an_error_not_a_panic() {
    // Nothing listens on the port a dropped listener had.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let down = Client::new(format!("http://{address}")).bearer("secret");
    let error = down.delete_item((1,)).await.unwrap_err();
    assert!(matches!(error, ClientError::Transport(_)), "{error:?}");
    assert_eq!(error.status(), None);

    // A server whose `/items` answers a list where the model is declared.
    #[endpoint(POST "/items", status = 201)]
    async fn other_shape() -> Json<Value> {
        Json(json!([1, 2]))
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(App::new().route(other_shape).serve_with(listener, async {
        let _ = stopped.await;
    }));
    let client = Client::new(format!("http://{address}")).bearer("secret");
    let item = ItemIn {
        name: "Foo".to_owned(),
        description: None,
        price: 1.0,
    };
    match client.create_item((item,)).await {
        Err(ClientError::Decode { status, reason }) => {
            assert_eq!(status, StatusCode::CREATED);
            assert!(reason.contains("model_attributes_type"), "{reason}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}
