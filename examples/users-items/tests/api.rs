//! The service through `TestClient`: registration, login, the current
//! user, items and who may see them, the tokens the service refuses, the
//! welcome email, bad input, restarts and two replicas on one database.
//!
//! Every test runs twice: on a SQLite file in a temporary directory, and on
//! a fresh PostgreSQL database when `TEST_DATABASE_URL` names a server
//! (`postgres://postgres@127.0.0.1:5432/test`; `.ci/run` sets it when one
//! answers). Without it the PostgreSQL runs print why they are skipped.

mod support;

use fastrs::testing::{TestClient, TestResponse};
use serde_json::{json, Value};
use support::{postgres_url, FreshDatabase};
use users_items::core::config::Settings;

/// Where a test's data lives.
#[derive(Clone, Copy, Debug)]
enum Backend {
    Sqlite,
    Postgres,
}

/// Where a service keeps its data: a directory (SQLite file, JWT secret)
/// and, on PostgreSQL, a database.
struct Data {
    dir: tempfile::TempDir,
    postgres: Option<FreshDatabase>,
}

impl Data {
    async fn new(backend: Backend) -> Data {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let postgres = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => {
                let admin = postgres_url().expect("checked by the test");
                Some(FreshDatabase::create(&admin).await)
            }
        };
        Data { dir, postgres }
    }

    fn settings(&self) -> Settings {
        let mut settings = Settings::in_dir(self.dir.path());
        settings.database_url = self.postgres.as_ref().map(|db| db.url.clone());
        settings
    }
}

/// A started service on its own data.
struct Service {
    client: TestClient,
    data: std::sync::Arc<Data>,
}

impl Service {
    async fn start(backend: Backend) -> Service {
        Service::start_on(std::sync::Arc::new(Data::new(backend).await)).await
    }

    /// A service on data another may use too (a restart, a replica).
    async fn start_on(data: std::sync::Arc<Data>) -> Service {
        let settings = data.settings();
        Service::start_with(data, settings).await
    }

    /// A service on `data` with settings of its own (`WORKER=off`, say).
    async fn start_with(data: std::sync::Arc<Data>, settings: Settings) -> Service {
        let client = TestClient::start(users_items::app(Some(settings)))
            .await
            .expect("the service starts");
        Service { client, data }
    }

    async fn register(&self, email: &str, password: &str) -> TestResponse {
        self.client
            .post("/users")
            .json(&json!({"email": email, "password": password}))
            .await
    }

    async fn login(&self, email: &str, password: &str) -> TestResponse {
        self.client
            .post("/token")
            .form(&[("username", email), ("password", password)])
            .await
    }

    /// Registers `email` and returns a bearer token for it.
    async fn user(&self, email: &str) -> String {
        assert_eq!(self.register(email, "correct horse").await.status(), 201);
        let token = self.login(email, "correct horse").await.json::<Value>();
        token["access_token"].as_str().expect("a token").to_owned()
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let method = fastrs::http::Method::from_bytes(method.as_bytes()).expect("a method");
        let mut request = self
            .client
            .request(method, path)
            .header("authorization", &format!("Bearer {token}"));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.await;
        let status = response.status().as_u16();
        let text = response.text();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    fn secret(&self) -> String {
        std::fs::read_to_string(self.data.dir.path().join("jwt-secret"))
            .expect("the generated secret")
    }
}

/// Each test, on SQLite and on PostgreSQL.
macro_rules! on_both_databases {
    ($($test:ident),* $(,)?) => {$(
        mod $test {
            #[tokio::test]
            async fn sqlite() {
                super::$test(super::Backend::Sqlite).await
            }

            #[tokio::test]
            async fn postgres() {
                if super::postgres_url().is_none() {
                    eprintln!("skipped: TEST_DATABASE_URL is not set (a PostgreSQL server to test on)");
                    return;
                }
                super::$test(super::Backend::Postgres).await
            }
        }
    )*};
}

on_both_databases!(
    registration_answers_the_user_without_the_password,
    an_email_is_registered_once_whatever_its_case,
    concurrent_registrations_of_one_email_make_one_user,
    bad_registrations_are_422_and_store_nothing,
    login_gives_a_bearer_token_and_refuses_a_wrong_password,
    bad_tokens_are_401_with_www_authenticate,
    items_are_created_listed_read_updated_and_deleted,
    another_users_item_is_not_found,
    listing_pages_and_filters_by_title,
    registering_records_the_user_and_the_welcome_email_in_one_transaction,
    the_servers_worker_delivers_the_welcome_email_once,
    with_the_worker_off_the_email_waits_for_a_worker,
    tokens_and_data_survive_a_restart,
    two_replicas_on_one_database_serve_the_same_users,
    hostile_input_is_4xx_and_changes_nothing,
    sql_in_a_title_is_stored_as_text,
    each_answer_has_an_id_and_the_metrics_count_routes,
    a_traced_request_shows_its_route_and_the_dependencies_that_ran,
    the_typed_client_makes_every_call_and_reads_every_documented_error,
);

/// Traces (what `OTEL_EXPORTER_OTLP_ENDPOINT` turns on in the binary),
/// read from the SDK's in-memory exporter: `/users/me` is a server span
/// named by its template, with the token's provider and the handler as
/// children; the app-scoped providers (the database, the token keys) were
/// built at startup, so they have no span of the request's.
async fn a_traced_request_shows_its_route_and_the_dependencies_that_ran(backend: Backend) {
    use fastrs::traces::opentelemetry::trace::SpanKind;
    use fastrs::traces::opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider};

    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    let data = std::sync::Arc::new(Data::new(backend).await);
    let app = users_items::app(Some(data.settings())).traces(provider);
    let service = Service {
        client: TestClient::start(app).await.expect("the service starts"),
        data,
    };
    let ann = service.user("ann@example.com").await;
    exporter.reset();
    let (status, _) = service.send("GET", "/users/me", &ann, None).await;
    assert_eq!(status, 200);
    let spans = exporter.get_finished_spans().unwrap();
    let mut names: Vec<_> = spans.iter().map(|s| s.name.to_string()).collect();
    names.sort();
    assert_eq!(names, ["GET /users/me", "current_user", "read_users_me"]);
    let server = spans
        .iter()
        .find(|s| s.span_kind == SpanKind::Server)
        .expect("the server span");
    for child in spans.iter().filter(|s| s.span_kind != SpanKind::Server) {
        assert_eq!(child.parent_span_id, server.span_context.span_id());
    }
    let route = server
        .attributes
        .iter()
        .find(|kv| kv.key.as_str() == "http.route");
    assert_eq!(
        route.map(|kv| kv.value.to_string()).as_deref(),
        Some("/users/me")
    );
}

/// Observability: every answer carries its request id, and `/metrics`
/// counts the requests by route template (an item's id is never a label).
async fn each_answer_has_an_id_and_the_metrics_count_routes(backend: Backend) {
    let service = Service::start(backend).await;
    let registered = service.register("ann@example.com", "correct horse").await;
    let id = registered.header("x-request-id").expect("an id").to_owned();
    assert!(
        id.len() == 32 && id.bytes().all(|c| c.is_ascii_hexdigit()),
        "{id}"
    );
    let ann = service.user("ann2@example.com").await;
    let (_, item) = service
        .send("POST", "/items", &ann, Some(json!({"title": "Ann's"})))
        .await;
    let path = format!("/items/{}", item["id"]);
    assert_eq!(service.send("GET", &path, &ann, None).await.0, 200);
    let metrics = service.client.get("/metrics").await.text();
    for series in [
        r#"http_server_request_duration_seconds_count{http_request_method="POST",http_route="/users",http_response_status_code="201"} 2"#,
        r#"http_server_request_duration_seconds_count{http_request_method="GET",http_route="/items/{item_id}",http_response_status_code="200"} 1"#,
    ] {
        assert!(
            metrics.lines().any(|line| line == series),
            "{series} in {metrics}"
        );
    }
    assert!(!metrics.contains(&path), "{metrics}");
}

async fn registration_answers_the_user_without_the_password(backend: Backend) {
    let service = Service::start(backend).await;
    let response = service.register("Ann@Example.com", "correct horse").await;
    assert_eq!(response.status(), 201);
    let user = response.json::<Value>();
    assert_eq!(user["email"], "ann@example.com");
    assert_eq!(user["id"], 1);
    assert!(user["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        user.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["id", "email", "created_at"]
    );
}

async fn an_email_is_registered_once_whatever_its_case(backend: Backend) {
    let service = Service::start(backend).await;
    assert_eq!(
        service
            .register("ann@example.com", "correct horse")
            .await
            .status(),
        201
    );
    let again = service
        .register("ANN@example.COM", "another password")
        .await;
    assert_eq!(again.status(), 409);
    assert_eq!(
        again.json::<Value>(),
        json!({"detail": "Email already registered"})
    );
}

async fn concurrent_registrations_of_one_email_make_one_user(backend: Backend) {
    let service = Service::start(backend).await;
    let attempts = (0..20).map(|i| {
        let service = &service;
        async move {
            let email = if i % 2 == 0 {
                "race@example.com"
            } else {
                "RACE@example.com"
            };
            service
                .register(email, "correct horse")
                .await
                .status()
                .as_u16()
        }
    });
    let mut statuses = futures_join_all(attempts).await;
    statuses.sort_unstable();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        19,
        "{statuses:?}"
    );
}

/// Runs the futures concurrently on this task.
async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let handles: Vec<_> = futures.map(Box::pin).collect();
    let mut out = Vec::new();
    let mut pending: Vec<_> = handles.into_iter().map(Some).collect();
    std::future::poll_fn(|cx| {
        let mut all_done = true;
        for slot in pending.iter_mut() {
            if let Some(future) = slot {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => {
                        out.push(value);
                        *slot = None;
                    }
                    std::task::Poll::Pending => all_done = false,
                }
            }
        }
        if all_done {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    out
}

async fn bad_registrations_are_422_and_store_nothing(backend: Backend) {
    let service = Service::start(backend).await;
    let short = service.register("ann@example.com", "short").await;
    assert_eq!(short.status(), 422);
    let error = &short.json::<Value>()["detail"][0];
    assert_eq!(error["type"], "string_too_short");
    assert_eq!(error["input"], "**********", "a password is never echoed");
    let no_email = service
        .client
        .post("/users")
        .json(&json!({"password": "correct horse"}))
        .await;
    assert_eq!(
        no_email.json::<Value>()["detail"][0]["input"],
        json!({"password": "**********"})
    );
    let not_an_email = service.register("ann at example", "correct horse").await;
    assert_eq!(not_an_email.status(), 422);
    assert_eq!(
        not_an_email.json::<Value>()["detail"][0]["loc"],
        json!(["body", "email"])
    );
    let huge = service
        .register("ann@example.com", &"x".repeat(1 << 20))
        .await;
    assert_eq!(huge.status(), 422);
    // Nothing was stored: the email is still free.
    assert_eq!(
        service
            .register("ann@example.com", "correct horse")
            .await
            .status(),
        201
    );
}

async fn login_gives_a_bearer_token_and_refuses_a_wrong_password(backend: Backend) {
    let service = Service::start(backend).await;
    service.register("ann@example.com", "correct horse").await;
    let ok = service.login("ANN@example.com", "correct horse").await;
    assert_eq!(ok.status(), 200);
    let token = ok.json::<Value>();
    assert_eq!(token["token_type"], "bearer");
    let wrong = service.login("ann@example.com", "wrong horse").await;
    assert_eq!(wrong.status(), 400);
    assert_eq!(
        wrong.json::<Value>(),
        json!({"detail": "Incorrect email or password"})
    );
    let unknown = service.login("bob@example.com", "correct horse").await;
    assert_eq!(unknown.status(), 400);
    let me = service
        .send(
            "GET",
            "/users/me",
            token["access_token"].as_str().unwrap(),
            None,
        )
        .await;
    assert_eq!((me.0, &me.1["email"]), (200, &json!("ann@example.com")));
}

/// Signs `claims` with `secret` by HS256.
fn sign(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("signing")
}

async fn bad_tokens_are_401_with_www_authenticate(backend: Backend) {
    use base64::Engine;
    let service = Service::start(backend).await;
    service.user("ann@example.com").await;
    let absent = service.client.get("/users/me").await;
    assert_eq!(absent.status(), 401);
    assert_eq!(
        absent.json::<Value>(),
        json!({"detail": "Not authenticated"})
    );
    assert_eq!(absent.header("www-authenticate"), Some("Bearer"));

    let now = chrono::Utc::now().timestamp();
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let tokens = [
        ("malformed", "not.a.token".to_owned()),
        (
            "expired",
            sign(&json!({"sub": "1", "exp": now - 10}), &service.secret()),
        ),
        (
            "foreign key",
            sign(&json!({"sub": "1", "exp": now + 600}), "someone else's key"),
        ),
        (
            "alg none",
            format!(
                "{}.{}.",
                b64(&json!({"alg": "none", "typ": "JWT"})),
                b64(&json!({"sub": "1", "exp": now + 600}))
            ),
        ),
        (
            "no such user",
            sign(&json!({"sub": "99", "exp": now + 600}), &service.secret()),
        ),
    ];
    for (what, token) in tokens {
        let response = service
            .client
            .get("/users/me")
            .header("authorization", &format!("Bearer {token}"))
            .await;
        assert_eq!(response.status(), 401, "{what}");
        assert_eq!(
            response.json::<Value>(),
            json!({"detail": "Could not validate credentials"}),
            "{what}"
        );
        assert_eq!(
            response.header("www-authenticate"),
            Some("Bearer"),
            "{what}"
        );
    }
}

async fn items_are_created_listed_read_updated_and_deleted(backend: Backend) {
    let service = Service::start(backend).await;
    let ann = service.user("ann@example.com").await;
    let (status, item) = service
        .send(
            "POST",
            "/items",
            &ann,
            Some(json!({"title": "Milk", "description": "2 litres"})),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(
        (item["id"].as_i64(), &item["title"]),
        (Some(1), &json!("Milk"))
    );
    let (status, read) = service.send("GET", "/items/1", &ann, None).await;
    assert_eq!((status, &read), (200, &item));

    // PATCH: what is absent stays; null clears.
    let (status, patched) = service
        .send(
            "PATCH",
            "/items/1",
            &ann,
            Some(json!({"title": "Oat milk"})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (&patched["title"], &patched["description"]),
        (&json!("Oat milk"), &json!("2 litres"))
    );
    let (_, cleared) = service
        .send(
            "PATCH",
            "/items/1",
            &ann,
            Some(json!({"description": null})),
        )
        .await;
    assert_eq!(
        (&cleared["title"], &cleared["description"]),
        (&json!("Oat milk"), &Value::Null)
    );
    let (status, _) = service
        .send("PATCH", "/items/1", &ann, Some(json!({"owner_id": 2})))
        .await;
    assert_eq!(status, 422, "unknown fields are refused");

    let (status, body) = service.send("DELETE", "/items/1", &ann, None).await;
    assert_eq!((status, body), (204, json!("")));
    let (status, body) = service.send("GET", "/items/1", &ann, None).await;
    assert_eq!((status, body), (404, json!({"detail": "Item not found"})));
}

async fn another_users_item_is_not_found(backend: Backend) {
    let service = Service::start(backend).await;
    let ann = service.user("ann@example.com").await;
    let bob = service.user("bob@example.com").await;
    let (_, item) = service
        .send("POST", "/items", &ann, Some(json!({"title": "Ann's"})))
        .await;
    let path = format!("/items/{}", item["id"]);
    let not_found = json!({"detail": "Item not found"});
    assert_eq!(
        service.send("GET", &path, &bob, None).await,
        (404, not_found.clone())
    );
    assert_eq!(
        service
            .send("PATCH", &path, &bob, Some(json!({"title": "Bob's now"})))
            .await,
        (404, not_found.clone())
    );
    assert_eq!(
        service.send("DELETE", &path, &bob, None).await,
        (404, not_found)
    );
    assert_eq!(
        service.send("GET", "/items", &bob, None).await,
        (200, json!([]))
    );
    // Ann's item is untouched.
    let (status, still) = service.send("GET", &path, &ann, None).await;
    assert_eq!((status, &still["title"]), (200, &json!("Ann's")));
}

async fn listing_pages_and_filters_by_title(backend: Backend) {
    let service = Service::start(backend).await;
    let ann = service.user("ann@example.com").await;
    for title in ["Milk", "Bread", "oat MILK", "100% juice", "under_score"] {
        service
            .send("POST", "/items", &ann, Some(json!({"title": title})))
            .await;
    }
    let titles = |items: &Value| -> Vec<String> {
        items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, all) = service.send("GET", "/items", &ann, None).await;
    assert_eq!(titles(&all).len(), 5);
    let (_, page) = service
        .send("GET", "/items?skip=1&limit=2", &ann, None)
        .await;
    assert_eq!(titles(&page), ["Bread", "oat MILK"]);
    let (_, milk) = service.send("GET", "/items?q=milk", &ann, None).await;
    assert_eq!(titles(&milk), ["Milk", "oat MILK"]);
    // Pattern characters and SQL are searched for as text.
    let (_, percent) = service.send("GET", "/items?q=%25", &ann, None).await;
    assert_eq!(titles(&percent), ["100% juice"]);
    let (_, underscore) = service.send("GET", "/items?q=_", &ann, None).await;
    assert_eq!(titles(&underscore), ["under_score"]);
    let (status, none) = service
        .send("GET", "/items?q=%27%20OR%201%3D1%20--", &ann, None)
        .await;
    assert_eq!((status, none), (200, json!([])));
    for bad in [
        "/items?limit=0",
        "/items?limit=101",
        "/items?skip=-1",
        "/items?limit=x",
    ] {
        assert_eq!(service.send("GET", bad, &ann, None).await.0, 422, "{bad}");
    }
}

async fn registering_records_the_user_and_the_welcome_email_in_one_transaction(backend: Backend) {
    let service = Service::start(backend).await;
    service.register("ann@example.com", "correct horse").await;
    let db = users_items::repositories::connect(&service.data.settings().database_url(), 4)
        .await
        .expect("the database");
    // Committed before the response: there as soon as it is answered.
    let sent = users_items::repositories::outbox::sent(&db)
        .await
        .expect("the outbox");
    assert_eq!(sent, [("ann@example.com".to_owned(), "Welcome".to_owned())]);

    // A registration that fails (the email is taken, whatever its case)
    // is rolled back: no second email.
    let (status, body) = service
        .send(
            "POST",
            "/users",
            "",
            Some(json!({"email": "ANN@example.com", "password": "another one"})),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    let sent = users_items::repositories::outbox::sent(&db)
        .await
        .expect("the outbox");
    assert_eq!(sent.len(), 1);
}

/// Waits until every outbox email is delivered, at most ten seconds, and
/// returns how each stands: `(id, delivered, attempts, times sent)`.
async fn delivered(db: &users_items::repositories::Db) -> Vec<(i64, bool, i64, i64)> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let deliveries = users_items::repositories::outbox::deliveries(db)
            .await
            .expect("the outbox");
        if !deliveries.is_empty() && deliveries.iter().all(|(_, done, _, _)| *done) {
            return deliveries;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not delivered within 10 s: {deliveries:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn the_servers_worker_delivers_the_welcome_email_once(backend: Backend) {
    let service = Service::start(backend).await;
    assert_eq!(
        service
            .register("ann@example.com", "correct horse")
            .await
            .status(),
        201
    );
    assert_eq!(
        service
            .register("bob@example.com", "correct horse")
            .await
            .status(),
        201
    );
    let db = users_items::repositories::connect(&service.data.settings().database_url(), 4)
        .await
        .expect("the database");
    // Each delivered, tried once, sent once.
    assert_eq!(delivered(&db).await, [(1, true, 1, 1), (2, true, 1, 1)]);
}

async fn with_the_worker_off_the_email_waits_for_a_worker(backend: Backend) {
    let data = std::sync::Arc::new(Data::new(backend).await);
    let mut settings = data.settings();
    settings.worker = false;
    let service = Service::start_with(data, settings).await;
    let registered = service.register("ann@example.com", "correct horse").await;
    assert_eq!(registered.status(), 201);
    let db = users_items::repositories::connect(&service.data.settings().database_url(), 4)
        .await
        .expect("the database");
    // Longer than a worker's poll: nobody delivers.
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let outbox = users_items::repositories::outbox::deliveries(&db).await;
    assert_eq!(outbox.expect("the outbox"), [(1, false, 0, 0)]);

    // A worker elsewhere (here, in the test) takes the job.
    let queue = users_items::worker::queue(&db).await.expect("the queue");
    let worker = users_items::worker::worker(&queue, &db).spawn();
    assert_eq!(delivered(&db).await, [(1, true, 1, 1)]);
    worker.stop().await;
}

async fn tokens_and_data_survive_a_restart(backend: Backend) {
    let first = Service::start(backend).await;
    let token = first.user("ann@example.com").await;
    first
        .send("POST", "/items", &token, Some(json!({"title": "Kept"})))
        .await;
    first.client.shutdown().await;
    let Service { data, .. } = first;
    let second = Service::start_on(data).await;
    let (status, items) = second.send("GET", "/items", &token, None).await;
    assert_eq!(status, 200, "the token of the first start is still valid");
    assert_eq!(items[0]["title"], "Kept");
}

// ANCHOR: replicas
/// How the service scales out: replicas share the database and the
/// secret, and hold no state of their own.
async fn two_replicas_on_one_database_serve_the_same_users(backend: Backend) {
    let one = Service::start(backend).await;
    let two = Service::start_on(one.data.clone()).await;
    assert_eq!(
        one.register("ann@example.com", "correct horse")
            .await
            .status(),
        201
    );
    let login = two.login("ann@example.com", "correct horse").await;
    let token = login.json::<Value>()["access_token"]
        .as_str()
        .expect("a token from the other replica")
        .to_owned();
    let (status, _) = one
        .send("POST", "/items", &token, Some(json!({"title": "Shared"})))
        .await;
    assert_eq!(status, 201);
    let (status, items) = two.send("GET", "/items", &token, None).await;
    assert_eq!((status, &items[0]["title"]), (200, &json!("Shared")));
    assert_eq!(
        two.register("ANN@example.com", "correct horse")
            .await
            .status(),
        409
    );
}
// ANCHOR_END: replicas

/// Wrong types, huge strings, unknown fields, bad ids and bad tokens on
/// every endpoint: each a 4xx, and the database as it was.
async fn hostile_input_is_4xx_and_changes_nothing(backend: Backend) {
    let service = Service::start(backend).await;
    let ann = service.user("ann@example.com").await;
    let (_, item) = service
        .send("POST", "/items", &ann, Some(json!({"title": "Milk"})))
        .await;
    let huge = "x".repeat(1 << 20);
    let requests: Vec<(&str, String, Option<Value>)> = vec![
        (
            "POST",
            "/users".into(),
            Some(json!({"email": 5, "password": ["x"]})),
        ),
        (
            "POST",
            "/users".into(),
            Some(json!({"email": format!("{huge}@example.com"), "password": "correct horse"})),
        ),
        (
            "POST",
            "/users".into(),
            Some(json!("'; DROP TABLE users; --")),
        ),
        ("POST", "/items".into(), Some(json!({"title": huge}))),
        (
            "POST",
            "/items".into(),
            Some(json!({"title": 5, "description": {"a": 1}})),
        ),
        ("POST", "/items".into(), Some(json!({"title": ""}))),
        ("PATCH", "/items/1".into(), Some(json!({"title": null}))),
        (
            "PATCH",
            "/items/1".into(),
            Some(json!({"owner_id": 2, "id": 9})),
        ),
        ("PATCH", "/items/1".into(), Some(json!([1, 2]))),
        ("GET", "/items/abc".into(), None),
        ("GET", "/items/99999999999999999999".into(), None),
        ("DELETE", "/items/1%20OR%201=1".into(), None),
        ("GET", format!("/items?q={}", "x".repeat(300)), None),
    ];
    for (method, path, body) in requests {
        let (status, answer) = service.send(method, &path, &ann, body).await;
        assert!(
            (400..500).contains(&status),
            "{method} {path}: {status} {answer}"
        );
    }
    for (method, path) in [
        ("GET", "/items"),
        ("DELETE", "/items/1"),
        ("PATCH", "/items/1"),
    ] {
        let (status, _) = service
            .send(method, path, "'; DROP TABLE users; --", Some(json!({})))
            .await;
        assert_eq!(status, 401, "{method} {path} with a bad token");
    }
    let (_, items) = service.send("GET", "/items", &ann, None).await;
    assert_eq!(items, json!([item]), "the items are as they were");
    assert_eq!(
        service
            .login("ann@example.com", "correct horse")
            .await
            .status(),
        200,
        "the users are as they were"
    );
    assert_eq!(
        service
            .register("x@example.com", "correct horse")
            .await
            .json::<Value>()["id"],
        2,
        "no user was added"
    );
}

async fn sql_in_a_title_is_stored_as_text(backend: Backend) {
    let service = Service::start(backend).await;
    let ann = service.user("ann@example.com").await;
    let title = "Robert'); DROP TABLE items; --";
    let (status, item) = service
        .send("POST", "/items", &ann, Some(json!({"title": title})))
        .await;
    assert_eq!((status, &item["title"]), (201, &json!(title)));
    let (_, items) = service
        .send("GET", "/items?q=drop%20table", &ann, None)
        .await;
    assert_eq!(items[0]["title"], title);
}

#[test]
fn each_operation_documents_the_domain_errors_it_can_return() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let doc = users_items::app(Some(Settings::in_dir(dir.path())))
        .openapi()
        .to_json();
    let statuses = |path: &str, method: &str| -> Vec<String> {
        doc["paths"][path][method]["responses"]
            .as_object()
            .expect("responses")
            .keys()
            .cloned()
            .collect()
    };
    // The domain errors first, then what fastrs answers itself (400, 413
    // for a body, 401 for a token), then the validation error.
    assert_eq!(
        statuses("/users", "post"),
        ["201", "409", "400", "413", "422"]
    );
    assert_eq!(statuses("/token", "post"), ["200", "400", "413", "422"]);
    assert_eq!(
        statuses("/items", "post"),
        ["201", "400", "413", "401", "422"]
    );
    // A generated client can read the 401 of a request without a token.
    assert_eq!(statuses("/users/me", "get"), ["200", "401"]);
    assert_eq!(
        doc["paths"]["/users/me"]["get"]["responses"]["401"]["content"]["application/json"]
            ["schema"],
        json!({"$ref": "#/components/schemas/HTTPError"})
    );
    for method in ["get", "patch", "delete"] {
        assert!(
            statuses("/items/{item_id}", method).contains(&"404".to_owned()),
            "{method}"
        );
    }
    assert_eq!(
        doc["paths"]["/items/{item_id}"]["delete"]["responses"]["404"]["content"]
            ["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/ErrorDetail"})
    );
    assert_eq!(
        doc["paths"]["/users/me"]["get"]["security"],
        json!([{"OAuth2PasswordBearer": []}])
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]["password"]
            ["tokenUrl"],
        "token"
    );
}

/// The service on a socket, as `main` serves it; its address, and the
/// means to stop it.
async fn serve(data: &Data) -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let address = listener.local_addr().expect("an address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = users_items::app(Some(data.settings()));
    tokio::spawn(app.serve_with(listener, async {
        let _ = stopped.await;
    }));
    (format!("http://{address}"), stop)
}

// ANCHOR: typed_client
/// The typed client, from the service's own endpoints and models: every
/// call over a socket, 401, 404, 409 and 422 read as their types, and
/// what it wrote seen through `TestClient` by a second replica.
async fn the_typed_client_makes_every_call_and_reads_every_documented_error(backend: Backend) {
    use fastrs::client::{Client, ClientError};
    use fastrs::http::StatusCode;
    use fastrs::model::{Email, Maybe};
    use fastrs::security::OAuth2PasswordRequestForm;
    use users_items::api::routes::items::{
        create_item, delete_item, list_items, read_item, update_item,
    };
    use users_items::api::routes::users::{login, read_users_me, register};
    use users_items::models::item::{ItemCreate, ItemUpdate};
    use users_items::models::user::UserCreate;

    let data = std::sync::Arc::new(Data::new(backend).await);
    let (base, _stop) = serve(&data).await;
    let anonymous = Client::new(&base);

    let ann = UserCreate {
        email: Email::parse("ann@example.com").expect("an email"),
        password: "correct horse".to_owned(),
    };
    let user = anonymous
        .register((ann.clone(),))
        .await
        .expect("registered");
    assert_eq!(user.email, "ann@example.com");
    let taken = anonymous.register((ann,)).await.expect_err("a second time");
    assert!(
        matches!(&taken, ClientError::Http(e) if e.status() == StatusCode::CONFLICT && e.detail() == "Email already registered"),
        "{taken:?}"
    );

    let form = |password: &str| OAuth2PasswordRequestForm {
        grant_type: None,
        username: "ann@example.com".to_owned(),
        password: password.to_owned(),
        scopes: Vec::new(),
        client_id: None,
        client_secret: None,
    };
    let refused = anonymous
        .login((form("wrong"),))
        .await
        .expect_err("a wrong password");
    assert_eq!(refused.status(), Some(StatusCode::BAD_REQUEST));
    let token = anonymous
        .login((form("correct horse"),))
        .await
        .expect("a token");
    assert_eq!(token.token_type, "bearer");
    let client = anonymous.clone().bearer(&token.access_token);

    // 401: no token, with the header that says how to authenticate.
    match anonymous.read_users_me(()).await {
        Err(ClientError::Http(error)) => {
            assert_eq!(error.status(), StatusCode::UNAUTHORIZED);
            assert_eq!(error.headers()["www-authenticate"], "Bearer");
        }
        other => panic!("expected a 401, got {other:?}"),
    }
    assert_eq!(client.read_users_me(()).await.expect("me").id, user.id);

    let milk = ItemCreate {
        title: "Milk".to_owned(),
        description: Some("2 litres".to_owned()),
    };
    let item = client.create_item((milk,)).await.expect("created");
    assert_eq!((item.title.as_str(), item.owner_id), ("Milk", user.id));
    assert_eq!(client.read_item((item.id,)).await.expect("read"), item);

    // PATCH with `Maybe`: what is unset is not sent and stays.
    let update = ItemUpdate {
        title: Maybe::Set("Oat milk".to_owned()),
        description: Maybe::Unset,
    };
    let patched = client
        .update_item((item.id, update))
        .await
        .expect("patched");
    assert_eq!(
        (patched.title.as_str(), patched.description.as_deref()),
        ("Oat milk", Some("2 litres"))
    );

    // 422: a constraint the types do not carry (`le = 100`).
    match client.list_items((0, 1000, None)).await {
        Err(ClientError::Validation(issues)) => {
            assert_eq!(issues[0].loc, [json!("query"), json!("limit")]);
            assert_eq!(issues[0].kind, "less_than_equal");
        }
        other => panic!("expected a 422, got {other:?}"),
    }
    let found = client
        .list_items((0, 20, Some("oat".to_owned())))
        .await
        .expect("listed");
    assert_eq!(found, [patched]);

    // What the typed client wrote, read by a replica through TestClient.
    let replica = Service::start_on(data.clone()).await;
    let (status, listed) = replica
        .send("GET", "/items", &token.access_token, None)
        .await;
    assert_eq!((status, &listed[0]["title"]), (200, &json!("Oat milk")));

    client.delete_item((item.id,)).await.expect("deleted");
    let gone = client.read_item((item.id,)).await.expect_err("deleted");
    assert!(
        matches!(&gone, ClientError::Http(e) if e.status() == StatusCode::NOT_FOUND && e.detail() == "Item not found"),
        "{gone:?}"
    );
}
// ANCHOR_END: typed_client

/// SQLite has one writer: reads have connections of their own, several at
/// once (as many as the pool size), which see what the writer committed
/// and refuse to write.
#[tokio::test]
async fn sqlite_reads_run_side_by_side_and_never_write() {
    use std::time::Duration;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}/app.db?mode=rwc", dir.path().display());
    let db = users_items::repositories::connect(&url, 3)
        .await
        .expect("the database");
    // Three readers at once (a one-connection pool would wait here).
    let mut readers = Vec::new();
    for _ in 0..3 {
        let lent = tokio::time::timeout(Duration::from_secs(5), db.reader()).await;
        readers.push(lent.expect("a free read connection").expect("a connection"));
    }
    // A fourth waits for one of them.
    let waited = tokio::time::timeout(Duration::from_millis(200), db.reader()).await;
    assert!(waited.is_err(), "a fourth read connection was lent");
    readers.pop();
    let fourth = tokio::time::timeout(Duration::from_secs(5), db.reader()).await;
    readers.push(fourth.expect("the freed connection").expect("a connection"));
    drop(readers);
    // A write sent to a reader fails; the writer's commit is seen by readers.
    let insert =
        "INSERT INTO users (email, password_hash, created_at) VALUES ('a@example.com', 'x', 'now')";
    let mut reader = db.reader().await.expect("a reader");
    let refused = sqlx::query(insert).execute(reader.conn()).await;
    let message = reader
        .done(refused)
        .expect_err("a read connection writes nothing")
        .to_string();
    assert!(message.contains("readonly"), "{message}");
    sqlx::query(insert)
        .execute(db.writes())
        .await
        .expect("the writer writes");
    let found = users_items::repositories::users::by_email(&db, "a@example.com")
        .await
        .expect("a read");
    assert_eq!(
        found.map(|user| user.email).as_deref(),
        Some("a@example.com")
    );
}

/// A read connection goes back to the readers as it is, with no round
/// trip; one the server ended fails its next query, and is then replaced.
#[tokio::test]
async fn a_read_connection_is_reused_and_a_broken_one_replaced() {
    let Some((_fresh, db)) = postgres_db().await else {
        return;
    };
    let backend = || async { backend_pid(db.reader().await.expect("a reader")).await };
    let first = backend().await.expect("a read");
    assert_eq!(backend().await.expect("a read"), first, "reused");
    terminate(db.writes(), first).await;
    let failed = users_items::repositories::users::by_id(&db, 1).await;
    assert!(failed.is_err(), "a query on the ended connection failed");
    let replaced = backend().await.expect("a read on a new connection");
    assert_ne!(replaced, first);
}

/// A read connection that waited idle long enough is pinged before it is
/// lent: one the server ended meanwhile is replaced, and no query fails.
#[tokio::test]
async fn an_idle_read_connection_is_pinged_before_it_is_lent() {
    use users_items::repositories::readers::Readers;
    let Some((fresh, db)) = postgres_db().await else {
        return;
    };
    // Every connection counts as idle long enough.
    let readers = Readers::connect(&fresh.url, 1, false)
        .await
        .expect("the readers")
        .ping_after_idle(std::time::Duration::ZERO);
    let backend = || async { backend_pid(readers.get().await.expect("a reader")).await };
    let first = backend().await.expect("a read");
    assert_eq!(backend().await.expect("a read"), first, "reused");
    terminate(db.writes(), first).await;
    let replaced = backend().await.expect("a read, on a new connection");
    assert_ne!(replaced, first);
}

/// A fresh PostgreSQL database and the service's connections to it (one
/// read connection); `None`, said why, without `TEST_DATABASE_URL`.
async fn postgres_db() -> Option<(FreshDatabase, users_items::repositories::Db)> {
    let Some(admin) = postgres_url() else {
        eprintln!("skipped: TEST_DATABASE_URL is not set (a PostgreSQL server to test on)");
        return None;
    };
    let fresh = FreshDatabase::create(&admin).await;
    let db = users_items::repositories::connect(&fresh.url, 1)
        .await
        .expect("the database");
    Some((fresh, db))
}

/// The PostgreSQL backend behind `reader`'s connection, read on it.
async fn backend_pid(
    mut reader: users_items::repositories::readers::Reader<'_>,
) -> Result<i64, sqlx::Error> {
    let row = sqlx::query("SELECT CAST(pg_backend_pid() AS BIGINT) AS pid")
        .fetch_one(reader.conn())
        .await;
    reader
        .done(row)
        .map(|row| sqlx::Row::get::<i64, _>(&row, "pid"))
}

/// Ends the PostgreSQL backend `pid`, and waits until it is gone.
async fn terminate(pool: &sqlx::AnyPool, pid: i64) {
    let ended =
        sqlx::query("SELECT CAST(pg_terminate_backend(CAST($1 AS INT), 5000) AS INT) AS ended")
            .bind(pid)
            .fetch_one(pool)
            .await
            .expect("the backend ended");
    assert_eq!(sqlx::Row::get::<i32, _>(&ended, "ended"), 1);
}
