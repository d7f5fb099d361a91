#!/usr/bin/env python3
"""Compile cost: generates the same app of N endpoints in fastrs and in axum
0.8 with utoipa 5 annotations (what axum users add for OpenAPI), then times
a clean debug build of each (dependencies included, own target directory)
and an incremental one after editing one handler. Several runs, the two
frameworks alternating within each, and the median of each is reported;
also the lines each endpoint expands to (rustc's `-Zunpretty=expanded`,
with RUSTC_BOOTSTRAP on stable), the whole crate's expansion divided by N.

    python3 bench/compile_cost.py            (100 endpoints, 3 runs)
    python3 bench/compile_cost.py 100 1000   (each size in turn)
    RUNS=5 python3 bench/compile_cost.py     (more runs)

Endpoints cycle through four shapes: path + query parameters; a JSON body
model with constraints; a header read through a dependency; constrained
query parameters with defaults.
"""
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent
OUT = ROOT / "target" / "compile"
RUNS = int(os.environ.get("RUNS", "3"))


def fastrs_app(n):
    parts = ["use fastrs::prelude::*;", "use serde_json::{json, Value};", ""]
    parts.append("struct Token(String);\n\n#[dependency]\nasync fn token(x_token: Header<String>) -> Token {\n    Token(x_token.0)\n}\n")
    routes = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            parts.append(f'#[endpoint(GET "/r{i}/{{id}}")]\nasync fn e{i}(id: i64, q: Option<String>) -> Json<Value> {{\n    Json(json!({{"id": id, "q": q, "n": {i}}}))\n}}\n')
        elif kind == 1:
            parts.append(f'#[model]\nstruct M{i} {{\n    #[field(min_length = 1, max_length = 50)]\n    name: String,\n    #[field(gt = 0)]\n    price: f64,\n    tags: Vec<String>,\n    note: Option<String>,\n}}\n')
            parts.append(f'#[endpoint(POST "/r{i}")]\nasync fn e{i}(item: Json<M{i}>) -> Json<M{i}> {{\n    item\n}}\n')
        elif kind == 2:
            parts.append(f'#[endpoint(GET "/r{i}")]\nasync fn e{i}(token: Depends<Token>) -> Json<Value> {{\n    Json(json!({{"token": token.0, "n": {i}}}))\n}}\n')
        else:
            parts.append(f'#[endpoint(GET "/r{i}")]\nasync fn e{i}(#[param(default = 0, ge = 0)] skip: i64, #[param(default = 10, le = 100)] limit: i64) -> Json<Value> {{\n    Json(json!({{"skip": skip, "limit": limit, "n": {i}}}))\n}}\n')
        routes.append(f"        .route(e{i})")
    parts.append("#[tokio::main]\nasync fn main() -> std::io::Result<()> {\n    App::new()\n" + "\n".join(routes) + "\n        .serve()\n        .await\n}\n")
    cargo = f"""[package]
name = "fastrs_app"
version = "0.1.0"
edition = "2021"

[dependencies]
fastrs = {{ path = "{ROOT.parent / 'fastrs'}" }}
serde_json = "1"
tokio = {{ version = "1", features = ["rt-multi-thread", "macros"] }}

[workspace]
"""
    return cargo, "\n".join(parts)


def axum_app(n):
    parts = [
        "use axum::extract::{FromRequestParts, Path, Query};",
        "use axum::http::{request::Parts, StatusCode};",
        "use axum::routing::{get, post};",
        "use axum::{Json, Router};",
        "use serde::{Deserialize, Serialize};",
        "use serde_json::{json, Value};",
        "use utoipa::{IntoParams, OpenApi, ToSchema};",
        "",
        "struct Token(String);",
        "",
        "impl<S: Send + Sync> FromRequestParts<S> for Token {",
        "    type Rejection = StatusCode;",
        "    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, StatusCode> {",
        '        let value = parts.headers.get("x-token").and_then(|v| v.to_str().ok());',
        "        value.map(|v| Token(v.to_owned())).ok_or(StatusCode::UNPROCESSABLE_ENTITY)",
        "    }",
        "}",
        "",
    ]
    routes, paths = [], []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            parts.append(f'#[derive(Deserialize, IntoParams)]\nstruct Q{i} {{\n    q: Option<String>,\n}}\n')
            parts.append(f'#[utoipa::path(get, path = "/r{i}/{{id}}", params(("id" = i64, Path), Q{i}), responses((status = 200, body = Value)))]\nasync fn e{i}(Path(id): Path<i64>, Query(query): Query<Q{i}>) -> Json<Value> {{\n    Json(json!({{"id": id, "q": query.q, "n": {i}}}))\n}}\n')
            routes.append(f'        .route("/r{i}/{{id}}", get(e{i}))')
        elif kind == 1:
            parts.append(f'#[derive(Serialize, Deserialize, ToSchema)]\nstruct M{i} {{\n    #[schema(min_length = 1, max_length = 50)]\n    name: String,\n    #[schema(exclusive_minimum = 0.0)]\n    price: f64,\n    tags: Vec<String>,\n    note: Option<String>,\n}}\n')
            parts.append(f'#[utoipa::path(post, path = "/r{i}", request_body = M{i}, responses((status = 200, body = M{i})))]\nasync fn e{i}(Json(item): Json<M{i}>) -> Json<M{i}> {{\n    Json(item)\n}}\n')
            routes.append(f'        .route("/r{i}", post(e{i}))')
        elif kind == 2:
            parts.append(f'#[utoipa::path(get, path = "/r{i}", params(("x-token" = String, Header)), responses((status = 200, body = Value)))]\nasync fn e{i}(token: Token) -> Json<Value> {{\n    Json(json!({{"token": token.0, "n": {i}}}))\n}}\n')
            routes.append(f'        .route("/r{i}", get(e{i}))')
        else:
            parts.append(f'#[derive(Deserialize, IntoParams)]\nstruct P{i} {{\n    #[param(minimum = 0)]\n    #[serde(default)]\n    skip: i64,\n    #[param(maximum = 100)]\n    #[serde(default = "ten")]\n    limit: i64,\n}}\n')
            parts.append(f'#[utoipa::path(get, path = "/r{i}", params(P{i}), responses((status = 200, body = Value)))]\nasync fn e{i}(Query(p): Query<P{i}>) -> Json<Value> {{\n    Json(json!({{"skip": p.skip, "limit": p.limit, "n": {i}}}))\n}}\n')
            routes.append(f'        .route("/r{i}", get(e{i}))')
        paths.append(f"e{i}")
    parts.append("fn ten() -> i64 {\n    10\n}\n")
    parts.append(f"#[derive(OpenApi)]\n#[openapi(paths({', '.join(paths)}))]\nstruct ApiDoc;\n")
    parts.append("#[tokio::main]\nasync fn main() {\n    let app = Router::new()\n" + "\n".join(routes)
                 + '\n        .route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }));\n'
                 + '    let listener = tokio::net::TcpListener::bind("127.0.0.1:8000").await.unwrap();\n'
                 + "    axum::serve(listener, app).await.unwrap();\n}\n")
    cargo = """[package]
name = "axum_app"
version = "0.1.0"
edition = "2021"

[dependencies]
axum = "0.8"
serde = { version = "1", features = ["derive"] }
serde_json = "1"
tokio = { version = "1", features = ["rt-multi-thread", "macros"] }
utoipa = { version = "5", features = ["axum_extras"] }

[workspace]
"""
    return cargo, "\n".join(parts)


def build(project):
    start = time.monotonic()
    result = subprocess.run(["cargo", "build", "--quiet"], cwd=project, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{project.name} failed to build:\n{result.stderr[-3000:]}")
    return time.monotonic() - start


def expanded_lines(project):
    """The crate's source after macro expansion, in lines (the dependencies
    are already built by then)."""
    env = dict(os.environ, RUSTC_BOOTSTRAP="1")
    result = subprocess.run(["cargo", "rustc", "--quiet", "--", "-Zunpretty=expanded"],
                            cwd=project, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"{project.name} failed to expand:\n{result.stderr[-3000:]}")
    return result.stdout.count("\n")


def measure(n):
    apps = (("fastrs", fastrs_app(n)), ("axum + utoipa", axum_app(n)))
    times = {name: ([], []) for name, _ in apps}
    lines = {}
    for run in range(RUNS):
        for name, (cargo, source) in apps:
            project = OUT / f"{name.split()[0]}-{n}"
            shutil.rmtree(project, ignore_errors=True)
            (project / "src").mkdir(parents=True)
            (project / "Cargo.toml").write_text(cargo)
            main_rs = project / "src" / "main.rs"
            main_rs.write_text(source)
            clean = build(project)
            main_rs.write_text(source.replace('"n": 2}', '"n": 2, "edited": true}'))
            incremental = build(project)
            times[name][0].append(clean)
            times[name][1].append(incremental)
            print(f"run {run + 1}/{RUNS}, {n} endpoints, {name}: clean {clean:.1f} s, incremental {incremental:.1f} s",
                  file=sys.stderr)
            if run == 0:
                lines[name] = expanded_lines(project)
    print(f"| {n} endpoints, debug build, median of {RUNS} | clean (with dependencies) | incremental (one handler edited) | expanded lines per endpoint |")
    print("|---|---:|---:|---:|")
    for name, (clean, incremental) in times.items():
        print(f"| {name} | {statistics.median(clean):.1f} s ({min(clean):.1f}-{max(clean):.1f}) "
              f"| {statistics.median(incremental):.1f} s ({min(incremental):.1f}-{max(incremental):.1f}) "
              f"| {lines[name] / n:.0f} |")
    print()


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [100]
    for n in sizes:
        measure(n)


if __name__ == "__main__":
    main()
