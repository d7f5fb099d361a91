#!/usr/bin/env bash
# A new project from scratch, as the README's "A new project" section
# says, on the crates `cargo package` makes (what a registry would serve):
# `cargo new` in a temporary directory, the README's dependency lines (the
# fastrs path pointed at the packaged crate), the README's first example as
# src/main.rs, then the example's requests over a socket, compared with
# the answers the README shows.
#
# Also checks what each crate ships against tools/package/*.files (its
# code, the docs pages' assets, README and licences; no tests or docs site).
#
#     tools/new_project.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

# What each crate ships, then the packages themselves, each verified by a
# build of its own (no file outside the crate may be needed).
for crate in fastrs-macros fastrs; do
  cargo package -p "$crate" --list --allow-dirty 2>/dev/null | sort > "target/$crate.files"
  if ! diff -u "tools/package/$crate.files" "target/$crate.files"; then
    echo "new project: $crate ships other files than tools/package/$crate.files lists" >&2
    exit 1
  fi
done
# As a release would publish them, macros first (a dry run: nothing is
# uploaded; the .crate files stay in target/package).
cargo publish --dry-run -p fastrs-macros -p fastrs --allow-dirty --quiet
# The dry run keeps its .crate files in a directory of cargo's own; `cargo
# package` writes them where its documentation says (target/package), and
# the dry run has already verified them.
cargo package --no-verify -p fastrs-macros -p fastrs --allow-dirty --quiet

work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/vendor"
for crate in fastrs-macros fastrs; do
  tar -xzf "target/package/$crate-$version.crate" -C "$work/vendor"
done

# `cargo new`, then the README's lines.
cd "$work"
cargo new --quiet hello
cd hello
block() { # the first fenced block of README.md after the line $1, of kind $2
  awk -v start="$1" -v kind="$2" '
    $0 == start { found = 1; next }
    found && !inside && $0 == "```" kind { inside = 1; next }
    inside && $0 == "```" { exit }
    inside { print }' "$root/README.md"
}
dependencies=$(block "## A new project" "toml")
[ -n "$dependencies" ] || { echo "new project: no toml block under the README's 'A new project'" >&2; exit 1; }
# The README points at a clone's crate; here, at the packaged one.
echo "$dependencies" \
  | sed "s|path = \"[^\"]*fastrs\"|path = \"../vendor/fastrs-$version\"|" \
  | grep -v '^\[dependencies\]' >> Cargo.toml
cat >> Cargo.toml <<EOF

# The packaged fastrs names fastrs-macros by version, as a registry would.
[patch.crates-io]
fastrs-macros = { path = "../vendor/fastrs-macros-$version" }
EOF
block "# fastrs" "rust,no_run" > src/main.rs
grep -q '#\[endpoint' src/main.rs || { echo "new project: no first example in the README" >&2; exit 1; }
# The crate's page (its rustdoc) and its README start with the same example.
crate_doc=$(awk '/^\/\/! ```no_run$/ { on = 1; next } on && /^\/\/! ```$/ { exit } on { sub(/^\/\/! ?/, ""); print }' "$root/fastrs/src/lib.rs")
crate_readme=$(cd "$root/fastrs" && awk '$0 == "```rust,no_run" { on = 1; next } on && $0 == "```" { exit } on { print }' README.md)
for copy in "fastrs/src/lib.rs:$crate_doc" "fastrs/README.md:$crate_readme"; do
  if [ "${copy#*:}" != "$(cat src/main.rs)" ]; then
    echo "new project: ${copy%%:*} does not start with the README's first example" >&2
    exit 1
  fi
done
# The workspace's versions of the shared dependencies, so that the build
# reuses what the workspace built.
cp "$root/Cargo.lock" .
# No warning either: the README's example is what a new user copies.
CARGO_TARGET_DIR="$root/target/new-project" RUSTFLAGS="-D warnings" cargo build --quiet

# The example serves; its requests answer as the README says.
PORT=0 "$root/target/new-project/debug/hello" > access.log 2> server.log &
server=$!
address=""
for _ in $(seq 100); do
  address=$(sed -n 's|.*listening on http://\([^ ]*\) .*|\1|p' server.log)
  [ -n "$address" ] && break
  sleep 0.1
done
[ -n "$address" ] || { echo "new project: the example did not start" >&2; cat server.log >&2; exit 1; }
expect() { # path, status, body
  local answer status body
  answer=$(curl -s -w '\n%{http_code}' "http://$address$1")
  status=${answer##*$'\n'}
  body=${answer%$'\n'*}
  if [ "$status" != "$2" ] || [ "$body" != "$3" ]; then
    printf 'new project: GET %s answered %s %s, not %s %s\n' "$1" "$status" "$body" "$2" "$3" >&2
    exit 1
  fi
}
expect '/users/5/items/foo?q=x' 200 '{"item_id":"foo","owner_id":5,"q":"x","short":false,"token":null}'
expect '/users/5/items/foo?short=true' 200 '{"item_id":"foo","owner_id":5,"q":null,"short":true,"token":null}'
# The README's 422, its two lines joined.
shown=$(awk '/^\$ curl -s .localhost:8000\/users\/x\/items\/foo\?short=maybe./ { getline a; getline b; gsub(/^ +/, "", b); print a b; exit }' "$root/README.md")
[ -n "$shown" ] || { echo "new project: the README's 422 example is gone" >&2; exit 1; }
expect '/users/x/items/foo?short=maybe' 422 "$shown"
kill "$server" 2>/dev/null || true
server=""

# The items of the features a FastAPI app most often needs are off by
# default: using them is a compile error that names the feature.
cat > src/main.rs <<'EOF'
use fastrs::prelude::*;

#[endpoint(POST "/tickets")]
async fn upload(ticket: UploadFile, name: Form<String>) -> Json<bool> {
    Json(true)
}

#[endpoint(GET "/items")]
async fn items(#[param(pattern = "^[a-z]+$")] q: String) -> String {
    q
}

#[endpoint(GET "/file")]
async fn file() -> FileResponse {
    FileResponse::open("Cargo.toml").await.unwrap()
}

#[websocket("/ws")]
async fn chat() {}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    App::new()
        .route(upload)
        .route(items)
        .route(file)
        .route(chat)
        .layer(fastrs::middleware::Cors::new().allow_origin_regex("x"))
        .serve()
        .await
}
EOF
if CARGO_TARGET_DIR="$root/target/new-project" cargo build --quiet 2> errors.txt; then
  echo "new project: an app using off features compiled" >&2
  exit 1
fi
for said in \
  'error[E0277]: forms and file uploads need fastrs'"'"'s cargo feature `forms`, which is off' \
  'note: turn it on in Cargo.toml: fastrs = { version = "...", features = ["forms"] }' \
  'error: `pattern` needs fastrs'"'"'s cargo feature `patterns` (the regex engine), which is off' \
  'error[E0277]: files from disk need fastrs'"'"'s cargo feature `static-files`, which is off' \
  'error: #[websocket] needs fastrs'"'"'s cargo feature `websockets`, which is off' \
  'error[E0277]: regular expressions need fastrs'"'"'s cargo feature `patterns`, which is off'; do
  if ! grep -qF -- "$said" errors.txt; then
    printf 'new project: the compiler did not say: %s\n' "$said" >&2
    cat errors.txt >&2
    exit 1
  fi
done
echo "new project: cargo new + the README's lines on the packaged crates builds and answers as the README shows; off features are named by the compiler"
