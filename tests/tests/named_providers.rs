//! Dependencies asked for by naming their provider, as FastAPI's
//! `Depends(get_current_active_user)` does: two providers of one type in
//! one crate, each argument naming the one it wants, with FastAPI's cache,
//! `use_cache=False`, overrides per provider and the providers' parameters
//! in the document.

use std::sync::atomic::{AtomicUsize, Ordering};

use fastrs::prelude::*;
use fastrs::testing::TestClient;
use serde_json::{json, Value};

/// How many times each provider ran, app-scoped so that each app (each
/// test) counts its own.
#[derive(Default)]
pub struct Runs {
    current: AtomicUsize,
    active: AtomicUsize,
}

#[dependency(scope = "app")]
async fn new_runs() -> Runs {
    Runs::default()
}

#[derive(Clone, Debug, PartialEq)]
pub struct User {
    name: String,
    disabled: bool,
}

/// The user the `x-user` header names (`x-disabled: 1` for a disabled one).
#[dependency]
async fn get_current_user(
    runs: Depends<Runs>,
    x_user: Header<String>,
    #[param(default = false)] x_disabled: Header<bool>,
) -> User {
    runs.current.fetch_add(1, Ordering::SeqCst);
    User {
        name: x_user.0,
        disabled: x_disabled.0,
    }
}

/// A second provider of `User`, built on the first.
#[dependency]
async fn get_current_active_user(
    runs: Depends<Runs>,
    #[depends(get_current_user)] user: User,
) -> Result<User, HttpError> {
    runs.active.fetch_add(1, Ordering::SeqCst);
    if user.disabled {
        return Err(HttpError::new(StatusCode::BAD_REQUEST, "Inactive user"));
    }
    Ok(user)
}

/// FastAPI's `CurrentUser = Annotated[User, Depends(get_current_user)]`.
type CurrentUser = Depends<User, get_current_user>;

#[endpoint(GET "/me")]
async fn me(#[depends(get_current_active_user)] user: User) -> Json<Value> {
    Json(json!({"name": user.name}))
}

#[endpoint(GET "/status")]
async fn status(user: CurrentUser) -> Json<Value> {
    Json(json!({"name": user.name, "disabled": user.disabled}))
}

/// Both providers in one request, the second built on the first: each runs
/// once.
#[endpoint(GET "/both")]
async fn both(
    #[depends(get_current_user)] current: &User,
    #[depends(get_current_active_user)] active: User,
    runs: Depends<Runs>,
) -> Json<Value> {
    Json(json!({
        "current": current.name,
        "active": active.name,
        "runs": [runs.current.load(Ordering::SeqCst), runs.active.load(Ordering::SeqCst)],
    }))
}

/// `use_cache = false`: the provider runs again for this argument.
#[endpoint(GET "/again")]
async fn again(
    #[depends(get_current_active_user)] _active: User,
    #[depends(get_current_user, use_cache = false)] _current: User,
    runs: Depends<Runs>,
) -> Json<Value> {
    Json(json!([
        runs.current.load(Ordering::SeqCst),
        runs.active.load(Ordering::SeqCst)
    ]))
}

fn app() -> App {
    App::new().route(me).route(status).route(both).route(again)
}

#[tokio::test]
async fn each_argument_gets_the_provider_it_names() {
    let client = TestClient::new(app());
    let response = client.get("/me").header("x-user", "ann").await;
    assert_eq!(response.status(), 200, "{}", response.text());
    assert_eq!(response.json::<Value>(), json!({"name": "ann"}));

    // A disabled user: the active user's provider refuses, the other not.
    let response = client
        .get("/me")
        .header("x-user", "bob")
        .header("x-disabled", "true")
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(response.json::<Value>(), json!({"detail": "Inactive user"}));
    let response = client
        .get("/status")
        .header("x-user", "bob")
        .header("x-disabled", "true")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>(),
        json!({"name": "bob", "disabled": true})
    );
}

#[tokio::test]
async fn a_provider_named_twice_in_a_request_runs_once() {
    let response = TestClient::new(app())
        .get("/both")
        .header("x-user", "ann")
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    assert_eq!(
        response.json::<Value>(),
        json!({"current": "ann", "active": "ann", "runs": [1, 1]})
    );
}

#[tokio::test]
async fn use_cache_false_runs_the_named_provider_again() {
    let response = TestClient::new(app())
        .get("/again")
        .header("x-user", "ann")
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    // Once for the active user, once more for the uncached argument.
    assert_eq!(response.json::<Value>(), json!([2, 1]));
}

#[tokio::test]
async fn a_missing_header_of_the_named_provider_is_a_422_at_its_name() {
    let response = TestClient::new(app()).get("/me").await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>(),
        json!({"detail": [{"type": "missing", "loc": ["header", "x-user"], "msg": "Field required", "input": null}]})
    );
}

/// A replacement of `get_current_user` in tests.
#[dependency(for_override)]
async fn fake_current_user() -> User {
    User {
        name: "fake".into(),
        disabled: false,
    }
}

#[tokio::test]
async fn an_override_replaces_one_provider_of_a_type_and_not_the_other() {
    let app = app().dependency_override(get_current_user, fake_current_user);
    let client = TestClient::new(app);
    // `get_current_active_user` is built on the replaced provider...
    let response = client.get("/me").await;
    assert_eq!(response.status(), 200, "{}", response.text());
    assert_eq!(response.json::<Value>(), json!({"name": "fake"}));
    let response = client.get("/status").await;
    assert_eq!(response.json::<Value>()["name"], "fake");

    // ...and replacing the active user's provider leaves the other as is.
    let app = self::app().dependency_override(get_current_active_user, fake_current_user);
    let client = TestClient::new(app);
    let response = client.get("/me").await;
    assert_eq!(response.json::<Value>(), json!({"name": "fake"}));
    let response = client.get("/status").header("x-user", "ann").await;
    assert_eq!(response.json::<Value>()["name"], "ann");
}

#[test]
fn the_named_providers_parameters_are_documented_once() {
    let doc = serde_json::to_value(app().openapi()).unwrap();
    let names = |path: &str| -> Vec<String> {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                format!(
                    "{} {}",
                    p["in"].as_str().unwrap(),
                    p["name"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(names("/me"), ["header x-user", "header x-disabled"]);
    assert_eq!(names("/both"), ["header x-user", "header x-disabled"]);
    assert_eq!(names("/status"), ["header x-user", "header x-disabled"]);
}

/// Two modules, each with its own provider of one type (two apps in one
/// binary): both compile, and each app uses the one it names.
mod billing {
    use fastrs::prelude::*;

    pub struct Session(pub &'static str);

    #[dependency]
    pub async fn get_session() -> Session {
        Session("billing")
    }

    #[endpoint(GET "/session")]
    async fn which(session: Depends<Session, get_session>) -> &'static str {
        session.0
    }

    pub fn app() -> App {
        App::new().route(which)
    }
}

mod shipping {
    use super::billing::Session;
    use fastrs::prelude::*;

    #[dependency]
    pub async fn get_session() -> Session {
        Session("shipping")
    }

    #[endpoint(GET "/session")]
    async fn which(#[depends(get_session)] session: &Session) -> &'static str {
        session.0
    }

    pub fn app() -> App {
        App::new().route(which)
    }
}

#[tokio::test]
async fn two_providers_of_one_type_in_two_modules_serve_two_apps() {
    let billing = TestClient::new(billing::app()).get("/session").await;
    assert_eq!(billing.text(), "billing");
    let shipping = TestClient::new(shipping::app()).get("/session").await;
    assert_eq!(shipping.text(), "shipping");
}

#[test]
fn depends_by_type_still_finds_the_one_provider_of_a_type() {
    // `Runs` has one provider: `Depends<Runs>` (used above) needs no name,
    // and the app resolves it by type outside any request too.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let runs = runtime
        .block_on(app().resolve::<Runs, _>())
        .unwrap_or_else(|_| panic!("the app-scoped Runs resolves"));
    assert_eq!(runs.current.load(Ordering::SeqCst), 0);
}

/// A per-request transaction (FastAPI's session with `yield`): written to
/// by a provider and by the handler in turn, committed by its cleanup when
/// the handler succeeded, rolled back when it failed.
mod transactions {
    use std::sync::Mutex;

    use fastrs::di::Yield;
    use fastrs::prelude::*;

    /// What the "database" holds, and what each request's cleanup did.
    #[derive(Default)]
    pub struct Store {
        pub rows: Mutex<Vec<String>>,
        pub log: Mutex<Vec<String>>,
    }

    #[dependency(scope = "app")]
    pub async fn store() -> Store {
        Store::default()
    }

    /// The rows a request writes, until its cleanup commits them.
    pub struct Tx {
        pending: Vec<String>,
    }

    #[dependency]
    async fn transaction(store: Depends<Store>) -> Yield<Tx> {
        let store = store.into_arc();
        Yield::lend(
            Tx {
                pending: Vec::new(),
            },
            move |tx, outcome| {
                let commit = !outcome.failed();
                async move {
                    let word = if commit { "commit" } else { "rollback" };
                    store
                        .log
                        .lock()
                        .unwrap()
                        .push(format!("{word} {}", tx.pending.len()));
                    if commit {
                        store.rows.lock().unwrap().extend(tx.pending);
                    }
                    Ok(())
                }
            },
        )
    }

    /// A provider that writes in the transaction before the handler does.
    #[dependency]
    async fn audited(#[depends(transaction)] tx: &mut Tx, x_user: Header<String>) -> String {
        tx.pending.push(format!("audit {}", x_user.0));
        x_user.0
    }

    #[endpoint(POST "/rows")]
    async fn add_row(
        #[depends(audited)] user: String,
        #[depends(transaction)] tx: &mut Tx,
        row: String,
        #[param(default = false)] fail: bool,
    ) -> Result<String, HttpError> {
        tx.pending.push(format!("{row} by {user}"));
        if fail {
            return Err(HttpError::new(StatusCode::CONFLICT, "refused"));
        }
        Ok(format!("{} pending", tx.pending.len()))
    }

    /// Reads the transaction, then a later user changes it.
    #[dependency]
    async fn pending_count(#[depends(transaction)] tx: &Tx) -> usize {
        tx.pending.len()
    }

    #[endpoint(POST "/count-then-add")]
    async fn count_then_add(
        #[depends(pending_count)] before: usize,
        mut tx: DependsMut<Tx, transaction>,
    ) -> String {
        tx.pending.push("row".into());
        format!("{before} then {}", tx.pending.len())
    }

    /// A provider that keeps the transaction in its value: the handler's
    /// `&mut` cannot be served while it does.
    pub struct Keeper(#[allow(dead_code)] Depends<Tx, transaction>);

    #[dependency]
    async fn keeper(tx: Depends<Tx, transaction>) -> Keeper {
        Keeper(tx)
    }

    #[endpoint(POST "/kept")]
    async fn kept(_keeper: Depends<Keeper>, #[depends(transaction)] tx: &mut Tx) -> String {
        tx.pending.len().to_string()
    }

    #[endpoint(GET "/rows")]
    async fn rows(store: Depends<Store>) -> Json<Vec<String>> {
        Json(store.rows.lock().unwrap().clone())
    }

    #[endpoint(GET "/log")]
    async fn log(store: Depends<Store>) -> Json<Vec<String>> {
        Json(store.log.lock().unwrap().clone())
    }

    pub fn app() -> App {
        App::new()
            .route(add_row)
            .route(count_then_add)
            .route(kept)
            .route(rows)
            .route(log)
    }
}

#[tokio::test]
async fn a_lent_transaction_is_written_in_turn_and_committed_when_the_handler_succeeds() {
    let client = TestClient::new(transactions::app());
    let response = client.post("/rows?row=milk").header("x-user", "ann").await;
    assert_eq!(response.status(), 200, "{}", response.text());
    assert_eq!(response.text(), "2 pending");
    assert_eq!(
        client.get("/rows").await.json::<Value>(),
        json!(["audit ann", "milk by ann"])
    );
    assert_eq!(
        client.get("/log").await.json::<Value>(),
        json!(["commit 2"])
    );
}

#[tokio::test]
async fn a_lent_transaction_is_rolled_back_when_the_handler_fails() {
    let client = TestClient::new(transactions::app());
    let response = client
        .post("/rows?row=milk&fail=true")
        .header("x-user", "ann")
        .await;
    assert_eq!(response.status(), 409);
    assert_eq!(client.get("/rows").await.json::<Value>(), json!([]));
    assert_eq!(
        client.get("/log").await.json::<Value>(),
        json!(["rollback 2"])
    );
}

#[tokio::test]
async fn a_value_read_first_is_lent_to_a_later_user_that_changes_it() {
    let client = TestClient::new(transactions::app());
    let response = client.post("/count-then-add").await;
    assert_eq!(response.status(), 200, "{}", response.text());
    assert_eq!(response.text(), "0 then 1");
    assert_eq!(client.get("/rows").await.json::<Value>(), json!(["row"]));
}

#[tokio::test]
async fn a_lent_value_still_held_by_another_user_is_a_500_not_a_hang() {
    let client = TestClient::new(transactions::app());
    let response = client.post("/kept").await;
    assert_eq!(response.status(), 500);
    assert_eq!(response.text(), "Internal Server Error");
}

/// Parametrised dependencies (FastAPI's callable instances): a type whose
/// `call(&self, ...)` provides, and statics of it, each a provider.
mod configured {
    use std::cell::Cell;

    use fastrs::prelude::*;
    use serde_json::{json, Value};

    thread_local! {
        /// The checkers' runs on this thread: each test runs its app on a
        /// thread of its own, so tests running at once do not mix counts.
        static CALLS: Cell<usize> = const { Cell::new(0) };
    }

    /// The checkers' runs so far on this thread.
    pub fn calls() -> usize {
        CALLS.with(Cell::get)
    }

    /// Whether `q` holds the fixed content (FastAPI's
    /// `FixedContentQueryChecker`).
    pub struct FixedContentQueryChecker {
        fixed_content: &'static str,
    }

    #[dependency]
    impl FixedContentQueryChecker {
        async fn call(&self, #[param(default = "")] q: String) -> bool {
            CALLS.with(|calls| calls.set(calls.get() + 1));
            !q.is_empty() && q.contains(self.fixed_content)
        }
    }

    #[dependency]
    pub static CHECKER: FixedContentQueryChecker = FixedContentQueryChecker {
        fixed_content: "bar",
    };

    #[dependency]
    pub static FOO_CHECKER: FixedContentQueryChecker = FixedContentQueryChecker {
        fixed_content: "foo",
    };

    #[endpoint(GET "/query-checker")]
    async fn read_query_check(#[depends(CHECKER)] fixed_content_included: bool) -> Json<Value> {
        Json(json!({"fixed_content_in_query": fixed_content_included}))
    }

    /// Two configurations in one request: each its own cache entry; the
    /// same one twice: one run.
    #[endpoint(GET "/both-checkers")]
    async fn both_checkers(
        #[depends(CHECKER)] bar: bool,
        #[depends(FOO_CHECKER)] with_foo: bool,
        bar_again: Depends<bool, CHECKER>,
    ) -> Json<Value> {
        Json(json!({"bar": bar, "foo": with_foo, "bar_again": *bar_again}))
    }

    /// A plain `fn` call works as well, on the blocking pool.
    pub struct Prefix(&'static str);

    #[dependency]
    impl Prefix {
        fn call(&self, name: String) -> String {
            format!("{}{name}", self.0)
        }
    }

    #[dependency]
    static MR: Prefix = Prefix("Mr. ");

    #[endpoint(GET "/greet")]
    async fn greet(#[depends(MR)] name: String) -> String {
        name
    }

    /// A configured provider run for its effect, named by its value.
    #[endpoint(GET "/guarded", dependencies = [&CHECKER])]
    async fn guarded() -> &'static str {
        "guarded"
    }

    pub fn app() -> App {
        App::new()
            .route(read_query_check)
            .route(both_checkers)
            .route(greet)
            .route(guarded)
    }

    #[dependency(for_override)]
    pub async fn always() -> bool {
        true
    }
}

#[tokio::test]
async fn a_configured_provider_answers_as_fastapis_callable_instance() {
    let client = TestClient::new(configured::app());
    // FastAPI's tutorial answers.
    let response = client.get("/query-checker?q=foo").await;
    assert_eq!(
        response.json::<Value>(),
        json!({"fixed_content_in_query": false})
    );
    let response = client.get("/query-checker?q=foobar").await;
    assert_eq!(
        response.json::<Value>(),
        json!({"fixed_content_in_query": true})
    );
    let response = client.get("/query-checker").await;
    assert_eq!(
        response.json::<Value>(),
        json!({"fixed_content_in_query": false})
    );

    let response = client.get("/greet?name=Smith").await;
    assert_eq!(response.text(), "Mr. Smith");
}

#[tokio::test]
async fn each_configuration_is_its_own_cache_entry() {
    let client = TestClient::new(configured::app());
    let before = configured::calls();
    let response = client.get("/both-checkers?q=foo").await;
    assert_eq!(
        response.json::<Value>(),
        json!({"bar": false, "foo": true, "bar_again": false})
    );
    // CHECKER once (cached for its second use), FOO_CHECKER once.
    assert_eq!(configured::calls() - before, 2);
}

#[tokio::test]
async fn an_override_replaces_one_configuration_only() {
    let app = configured::app().dependency_override(&configured::CHECKER, configured::always);
    let response = TestClient::new(app).get("/both-checkers?q=zzz").await;
    assert_eq!(
        response.json::<Value>(),
        json!({"bar": true, "foo": false, "bar_again": true})
    );
}

#[test]
fn a_configured_providers_parameters_are_documented() {
    let doc = serde_json::to_value(configured::app().openapi()).unwrap();
    let q = &doc["paths"]["/query-checker"]["get"]["parameters"][0];
    assert_eq!(q["name"], "q");
    assert_eq!(q["in"], "query");
    assert_eq!(q["required"], false);
    assert_eq!(q["schema"]["default"], "");
    // Two configurations reading the same `q`: documented once.
    let both = doc["paths"]["/both-checkers"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(both, 1);
}

#[tokio::test]
async fn a_configured_provider_runs_as_a_route_and_an_app_dependency() {
    let before = configured::calls();
    let app = configured::app().dependency(&configured::FOO_CHECKER);
    let client = TestClient::new(app);
    let response = client.get("/guarded?q=bar").await;
    assert_eq!(response.text(), "guarded");
    // FOO_CHECKER for the app, CHECKER for the route.
    assert_eq!(configured::calls() - before, 2);
    let doc = serde_json::to_value(client.app().openapi()).unwrap();
    assert_eq!(
        doc["paths"]["/guarded"]["get"]["parameters"][0]["name"],
        "q"
    );
}
