//! The benchmark routes in raw hyper 1.x: a hand-written service with
//! hand-written routing and parsing, the floor the frameworks are measured
//! against.

use std::convert::Infallible;

use bytes::Bytes;
use fastrs_bench::models::Item;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::CONTENT_TYPE;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde::Serialize;
use serde_json::json;

fn respond(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, content_type.parse().expect("valid"));
    response
}

fn json(value: &impl Serialize) -> Response<Full<Bytes>> {
    respond(
        StatusCode::OK,
        "application/json",
        serde_json::to_vec(value).unwrap_or_default(),
    )
}

pub async fn handle(request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = request.uri().path().to_owned();
    let response = match (request.method(), path.as_str()) {
        (&Method::GET, "/plaintext") => respond(
            StatusCode::OK,
            "text/plain; charset=utf-8",
            b"Hello, World!".to_vec(),
        ),
        (&Method::GET, "/json") => json(&json!({"message": "Hello, World!"})),
        (&Method::GET, "/state") => respond(
            StatusCode::OK,
            "text/plain; charset=utf-8",
            b"Hello, state!".to_vec(),
        ),
        (&Method::GET, "/deps") => match request
            .headers()
            .get("x-token")
            .and_then(|v| v.to_str().ok())
        {
            Some(token) => {
                json(&json!({"greeting": format!("hello user-{} ({token})", token.len())}))
            }
            None => respond(StatusCode::UNPROCESSABLE_ENTITY, "text/plain", Vec::new()),
        },
        (&Method::POST, "/items") => {
            let body = request
                .into_body()
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            match serde_json::from_slice::<Item>(&body) {
                Ok(item) => json(&item),
                Err(_) => respond(StatusCode::UNPROCESSABLE_ENTITY, "text/plain", Vec::new()),
            }
        }
        (&Method::GET, p) if p.starts_with("/items/") => {
            match p["/items/".len()..].parse::<i64>() {
                Ok(id) => {
                    let q = request.uri().query().and_then(|query| {
                        form_urlencoded::parse(query.as_bytes())
                            .find(|(k, _)| k == "q")
                            .map(|(_, v)| v.into_owned())
                    });
                    json(&json!({"id": id, "q": q}))
                }
                Err(_) => respond(StatusCode::UNPROCESSABLE_ENTITY, "text/plain", Vec::new()),
            }
        }
        _ => respond(StatusCode::NOT_FOUND, "text/plain", Vec::new()),
    };
    Ok(response)
}

fn main() -> std::io::Result<()> {
    fastrs_bench::run(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", fastrs_bench::port())).await?;
        loop {
            let (stream, _) = listener.accept().await?;
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service_fn(handle))
                    .await;
            });
        }
    })
}
