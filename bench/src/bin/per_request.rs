//! Runs N requests of one scenario through fastrs, axum, poem-openapi or
//! actix-web in-process (no socket), for counting instructions per request
//! with callgrind:
//!
//!     per_request FRAMEWORK SCENARIO N
//!
//! `instructions.sh` runs it under `valgrind --tool=callgrind` for two
//! values of N and divides the difference, which cancels start-up costs.
//! Instruction counts do not depend on machine load, so regressions show
//! without noise.

use fastrs::response::Body;

#[path = "../fastrs_app.rs"]
mod fastrs_app;

#[path = "../scenarios.rs"]
mod scenarios;

use scenarios::request;

#[path = "axum_server.rs"]
#[allow(dead_code)]
mod axum_app;

#[path = "poem_server.rs"]
#[allow(dead_code)]
mod poem_app;

#[path = "actix_server.rs"]
#[allow(dead_code)]
mod actix_app;

fn main() {
    let mut args = std::env::args().skip(1);
    let framework = args.next().expect("framework: fastrs, axum, poem or actix");
    let scenario = args.next().expect("scenario");
    let n: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .expect("number of requests");
    if framework == "actix" {
        // actix-web runs on its own runtime (a tokio runtime per worker).
        return actix_web::rt::System::new().block_on(actix(&scenario, n));
    }
    // With a timer, as every server runtime has (the body read timeout
    // uses it).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        match framework.as_str() {
            "fastrs" => {
                let app = if scenario == "middleware" {
                    fastrs_app::app_with_middleware()
                } else {
                    fastrs_app::app()
                };
                for _ in 0..n {
                    let response = app
                        .handle(request(&scenario).map(Body::full))
                        .await
                        .expect("infallible");
                    let body = response.into_body().collect_bytes().await.expect("body");
                    assert!(!body.is_empty());
                }
            }
            "axum" => {
                use tower::ServiceExt;
                let app = if scenario == "middleware" {
                    axum_app::app_with_middleware()
                } else {
                    axum_app::app()
                };
                for _ in 0..n {
                    let response = app
                        .clone()
                        .oneshot(request(&scenario).map(axum::body::Body::from))
                        .await
                        .expect("infallible");
                    let body = http_body_util::BodyExt::collect(response.into_body())
                        .await
                        .expect("body")
                        .to_bytes();
                    assert!(!body.is_empty());
                }
            }
            "poem" => {
                if scenario == "middleware" {
                    poem_requests(&poem_app::app_with_middleware(), &scenario, n).await;
                } else {
                    poem_requests(&poem_app::app(), &scenario, n).await;
                }
            }
            other => panic!("unknown framework {other}"),
        }
    });
}

/// The scenario through poem's endpoint, as its server calls it.
async fn poem_requests<E: poem::Endpoint>(app: &E, scenario: &str, n: usize) {
    for _ in 0..n {
        let (parts, body) = request(scenario).into_parts();
        let mut builder = poem::Request::builder().method(parts.method).uri(parts.uri);
        for (name, value) in &parts.headers {
            builder = builder.header(name, value);
        }
        let response = app.get_response(builder.body(body)).await;
        assert!(response.status().is_success(), "poem {scenario}");
        let body = response.into_body().into_bytes().await.expect("body");
        assert!(!body.is_empty());
    }
}

/// The scenario through actix-web's own test service (the app as
/// `HttpServer` runs it, without the socket).
async fn actix(scenario: &str, n: usize) {
    use actix_web::test::init_service;
    let app = actix_web::App::new().configure(actix_app::routes);
    if scenario == "middleware" {
        let app = app
            .wrap(actix_app::cors())
            .wrap(actix_web::middleware::from_fn(actix_app::mark));
        actix_requests(&init_service(app).await, scenario, n).await;
    } else {
        actix_requests(&init_service(app).await, scenario, n).await;
    }
}

async fn actix_requests<S, B>(app: &S, scenario: &str, n: usize)
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    use actix_web::test;
    for _ in 0..n {
        let (parts, body) = request(scenario).into_parts();
        // actix-web is on the `http` crate's 0.2 types: the method by name.
        let method = actix_web::http::Method::from_bytes(parts.method.as_str().as_bytes())
            .expect("a method");
        let mut builder = test::TestRequest::default()
            .method(method)
            .uri(&parts.uri.to_string());
        for (name, value) in &parts.headers {
            builder = builder.insert_header((name.as_str(), value.to_str().expect("ASCII")));
        }
        let response = test::call_service(app, builder.set_payload(body).to_request()).await;
        assert!(response.status().is_success(), "actix {scenario}");
        let body = test::read_body(response).await;
        assert!(!body.is_empty());
    }
}
