//! Snapshots of what the macros generate for a handful of declarations,
//! kept in `snapshots/*.rs` beside this crate's manifest, so that a change
//! to the glue shows in review as a diff of plain Rust. A test fails when
//! the expansion differs from its snapshot; `UPDATE_SNAPSHOTS=1 cargo test
//! -p fastrs-macros` rewrites them (then read the diff before committing).

use proc_macro2::TokenStream;
use quote::quote;

/// Compares `expanded` (pretty-printed) with `snapshots/{name}.rs`. The
/// typed-client items (with the feature `client`, which a workspace build
/// turns on) have their own snapshot, [`check_client`].
fn check(name: &str, expanded: TokenStream) {
    let mut file: syn::File = syn::parse2(expanded).expect("the expansion is Rust items");
    let calls = typed_calls(&file);
    file.items.retain(|item| !is_typed_call(item, &calls));
    compare(name, &file);
}

/// Compares the typed-client items of `expanded` with `snapshots/{name}.rs`.
#[cfg(feature = "client")]
fn check_client(name: &str, expanded: TokenStream) {
    let mut file: syn::File = syn::parse2(expanded).expect("the expansion is Rust items");
    let calls = typed_calls(&file);
    file.items.retain(|item| is_typed_call(item, &calls));
    assert!(!file.items.is_empty(), "the expansion has a typed call");
    compare(name, &file);
}

/// The traits the expansion declares: an endpoint's typed call is one
/// (the macros declare no other).
fn typed_calls(file: &syn::File) -> Vec<syn::Ident> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Trait(t) => Some(t.ident.clone()),
            _ => None,
        })
        .collect()
}

/// The trait of an endpoint's typed call, or its impl.
fn is_typed_call(item: &syn::Item, calls: &[syn::Ident]) -> bool {
    match item {
        syn::Item::Trait(_) => true,
        syn::Item::Impl(i) => i.trait_.as_ref().is_some_and(|(_, path, _)| {
            path.segments
                .last()
                .is_some_and(|last| calls.contains(&last.ident))
        }),
        _ => false,
    }
}

fn compare(name: &str, file: &syn::File) {
    let pretty = prettyplease::unparse(file);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("snapshots")
        .join(format!("{name}.rs"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().expect("a snapshots folder")).expect("writable");
        std::fs::write(&path, &pretty).expect("a writable snapshot");
        return;
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == pretty,
        "the expansion of {name} changed; run `UPDATE_SNAPSHOTS=1 cargo test -p fastrs-macros` and review the diff of {}",
        path.display()
    );
}

#[test]
fn an_endpoint_with_path_query_header_and_dependency_arguments() {
    let expanded = crate::endpoint::expand(
        quote!(GET "/users/{user_id}/items/{item_id}", tags = ["items"]),
        quote! {
            /// Read an item of a user.
            async fn read_user_item(
                user_id: i64,
                item_id: String,
                q: Option<String>,
                #[param(default = false)] short: bool,
                #[param(alias = "x-token", min_length = 3)] token: Header<Option<String>>,
                db: Depends<Db>,
            ) -> Json<Value> {
                Json(json!({"item_id": item_id}))
            }
        },
    );
    check("endpoint_parameters", expanded);
}

/// The typed client's call of an endpoint: the trait named as the
/// endpoint, implemented for the client, a `#[depends]` argument left out.
#[cfg(feature = "client")]
#[test]
fn an_endpoints_typed_call() {
    let expanded = crate::endpoint::expand(
        quote!(GET "/items/{item_id}", response_model = ItemOut),
        quote! {
            /// Read an item.
            pub async fn read_item(
                item_id: i64,
                #[param(alias = "x-token")] token: Header<String>,
                #[depends(current_user)] user: User,
                db: Depends<Db>,
            ) -> Result<Json<Item>, HttpError> {
                db.item(item_id).await
            }
        },
    );
    check_client("endpoint_typed_call", expanded);
}

#[test]
fn an_endpoint_whose_function_awaits() {
    let expanded = crate::endpoint::expand(
        quote!(GET "/users/{user_id}"),
        quote! {
            async fn read_user(user_id: i64, db: Depends<Db>) -> Json<User> {
                Json(db.user(user_id).await)
            }
        },
    );
    check("endpoint_awaits", expanded);
}

#[test]
fn an_endpoint_with_a_body_a_status_and_a_response_model() {
    let expanded = crate::endpoint::expand(
        quote!(POST "/items", status = 201, response_model = ItemOut, response_model_exclude_unset = true),
        quote! {
            async fn create_item(item: Json<Item>) -> Result<Json<Item>, HttpError> {
                Ok(item)
            }
        },
    );
    check("endpoint_body_response_model", expanded);
}

#[test]
#[cfg(feature = "websockets")]
fn a_websocket_route() {
    let expanded = crate::endpoint::expand_websocket(
        quote!("/ws/{client_id}"),
        quote! {
            async fn chat(mut ws: WebSocket, client_id: i64) -> Result<(), WebSocketError> {
                ws.send_text("hi").await
            }
        },
    );
    check("websocket", expanded);
}

#[test]
fn a_dependency_with_cleanup() {
    let expanded = crate::dependency::expand(
        quote!(),
        quote! {
            async fn db(pool: Depends<Pool>) -> Yield<Db> {
                Yield::new(pool.get(), |_| async { Ok(()) })
            }
        },
    );
    check("dependency", expanded);
}

#[test]
fn a_model_with_constraints() {
    let expanded = crate::model::expand(
        quote!(),
        quote! {
            struct Item {
                #[field(min_length = 1, max_length = 50)]
                name: String,
                #[field(gt = 0)]
                price: f64,
                description: Option<String>,
            }
        },
    );
    check("model", expanded);
}

/// Without fastrs's feature `websockets`, `#[websocket]` is one error that
/// names the feature (and the stub `App::route` accepts).
#[test]
#[cfg(not(feature = "websockets"))]
fn a_websocket_route_without_its_feature_names_it() {
    let expanded = crate::endpoint::expand_websocket(
        quote!("/ws"),
        quote! {
            async fn chat(ws: WebSocket) {}
        },
    )
    .to_string();
    assert!(expanded.contains("needs fastrs's cargo feature `websockets`"));
    assert!(expanded.contains("RouteEndpoint"), "{expanded}");
}

/// Without fastrs's feature `patterns`, a `pattern` is an error that names
/// the feature.
#[test]
#[cfg(not(feature = "patterns"))]
fn a_pattern_without_its_feature_names_it() {
    let expanded = crate::endpoint::expand(
        quote!(GET "/items"),
        quote! {
            async fn items(#[param(pattern = "^a+$")] q: String) -> String { q }
        },
    )
    .to_string();
    assert!(
        expanded.contains("`pattern` needs fastrs's cargo feature `patterns`"),
        "{expanded}"
    );
}
