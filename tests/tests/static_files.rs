//! Static files and mounts beyond the `mount` example: symbolic links out
//! of the directory, conditional GETs (304 with only the headers Starlette
//! keeps), ranges, precompressed files, `404.html`, HEAD; any tower
//! service mounted; mounts within mounts.

use std::convert::Infallible;

use fastrs::prelude::*;
use fastrs::static_files::StaticFiles;
use fastrs::testing::TestClient;

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("public")).unwrap();
    std::fs::write(root.join("public/app.js"), "console.log('plain');\n").unwrap();
    std::fs::write(root.join("public/app.js.gz"), b"\x1f\x8bnot really gzip").unwrap();
    std::fs::write(root.join("public/404.html"), "<p>lost</p>").unwrap();
    std::fs::write(root.join("secret.txt"), "do not serve").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("secret.txt"), root.join("public/link.txt")).unwrap();
    dir
}

#[tokio::test]
async fn a_symbolic_link_out_of_the_directory_is_not_served() {
    let dir = site();
    let app = App::new().mount("/s", StaticFiles::new(dir.path().join("public")));
    let client = TestClient::new(app);
    assert_eq!(client.get("/s/app.js").await.status(), 200);
    let response = client.get("/s/link.txt").await;
    assert_eq!(response.status(), 404);
    assert!(!response.text().contains("do not serve"));
    // An absolute path in the request, encoded.
    let absolute = format!("/s/%2F{}", dir.path().join("secret.txt").display());
    assert_eq!(client.get(&absolute).await.status(), 404);
}

#[tokio::test]
async fn a_current_copy_gets_304_with_only_its_etag() {
    let dir = site();
    let app = App::new().mount("/s", StaticFiles::new(dir.path().join("public")));
    let client = TestClient::new(app);
    let first = client.get("/s/app.js").await;
    let etag = first.header("etag").unwrap().to_owned();
    let modified = first.header("last-modified").unwrap().to_owned();

    let response = client.get("/s/app.js").header("if-none-match", &etag).await;
    assert_eq!(response.status(), 304);
    assert_eq!(response.text(), "");
    let names: Vec<&str> = response.headers().keys().map(|k| k.as_str()).collect();
    assert_eq!(names, ["etag"]);

    let response = client
        .get("/s/app.js")
        .header("if-modified-since", &modified)
        .await;
    assert_eq!(response.status(), 304);
    let response = client
        .get("/s/app.js")
        .header("if-none-match", "\"other\"")
        .await;
    assert_eq!(response.status(), 200);
    // A range of a static file.
    let response = client.get("/s/app.js").header("range", "bytes=0-6").await;
    assert_eq!(response.status(), 206);
    assert_eq!(response.text(), "console");
    assert_eq!(response.header("content-range"), Some("bytes 0-6/22"));
}

#[tokio::test]
async fn a_client_that_accepts_gzip_gets_the_precompressed_file() {
    let dir = site();
    let files = StaticFiles::new(dir.path().join("public"));
    let client = TestClient::new(App::new().mount("/s", files.clone()));
    let response = client
        .get("/s/app.js")
        .header("accept-encoding", "gzip, br")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().as_ref(), b"\x1f\x8bnot really gzip");
    assert_eq!(response.header("content-encoding"), Some("gzip"));
    assert_eq!(response.header("vary"), Some("Accept-Encoding"));
    assert_eq!(
        response.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    // Not accepted, or turned off: the file itself.
    let response = client.get("/s/app.js").await;
    assert_eq!(response.text(), "console.log('plain');\n");
    assert_eq!(response.header("content-encoding"), None);
    let client = TestClient::new(App::new().mount("/s", files.precompressed(false)));
    let response = client
        .get("/s/app.js")
        .header("accept-encoding", "gzip")
        .await;
    assert_eq!(response.text(), "console.log('plain');\n");
}

#[tokio::test]
async fn html_mode_serves_404_html_and_head_has_no_body() {
    let dir = site();
    let html = StaticFiles::new(dir.path().join("public")).html(true);
    let client = TestClient::new(App::new().mount("/s", html));
    let response = client.get("/s/missing").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.text(), "<p>lost</p>");
    assert_eq!(
        response.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let response = client
        .request(fastrs::http::Method::HEAD, "/s/app.js")
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text(), "");
    assert_eq!(response.header("content-length"), Some("22"));
}

#[endpoint(GET "/leaf")]
async fn leaf() -> &'static str {
    "leaf"
}

#[tokio::test]
async fn any_tower_service_and_mounts_within_mounts() {
    // A tower service that is not fastrs: it answers with the path it saw.
    let echo = tower::service_fn(
        |request: fastrs::http::Request<fastrs::response::Body>| async move {
            let seen = format!("saw {}", request.uri());
            Ok::<_, Infallible>(fastrs::http::Response::new(seen))
        },
    );
    let inner = App::new().route(leaf);
    let middle = App::new().mount("/inner", inner);
    let app = App::new().mount("/tower", echo).mount("/outer", middle);
    let client = TestClient::new(app);
    assert_eq!(client.get("/tower/a/b?x=1").await.text(), "saw /a/b?x=1");
    assert_eq!(client.get("/outer/inner/leaf").await.text(), "leaf");
    assert_eq!(client.get("/outer/inner/nope").await.status(), 404);
    // A prefix is a whole segment: /towers is not under /tower.
    assert_eq!(client.get("/towers").await.status(), 404);
}

#[test]
#[should_panic(expected = "a mount's prefix starts with `/` and does not end with one")]
fn a_prefix_with_a_trailing_slash_is_refused() {
    let _ = App::new().mount("/static/", StaticFiles::new("."));
}

#[tokio::test]
async fn redirects_under_a_mount_use_the_trusted_proxys_scheme_and_host() {
    let dir = site();
    std::fs::create_dir(dir.path().join("public/docs")).unwrap();
    std::fs::write(dir.path().join("public/docs/index.html"), "docs").unwrap();
    let files = StaticFiles::new(dir.path().join("public")).html(true);
    let client = TestClient::new(App::new().mount("/s", files).trust_proxies(["*"]));
    let forwarded = |path: &'static str| {
        client
            .get(path)
            .header("x-forwarded-proto", "https")
            .header("x-forwarded-host", "api.example.com")
    };
    // The mount's prefix alone, and a directory without its slash.
    let response = forwarded("/s").await;
    assert_eq!(response.status(), 307);
    assert_eq!(
        response.header("location"),
        Some("https://api.example.com/s/")
    );
    let response = forwarded("/s/docs").await;
    assert_eq!(response.status(), 307);
    assert_eq!(
        response.header("location"),
        Some("https://api.example.com/s/docs/")
    );
}
