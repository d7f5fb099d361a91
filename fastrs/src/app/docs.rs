//! The app's docs pages as ordinary routes of its table: the OpenAPI
//! document at `/openapi.json`, Swagger UI at `/docs` and ReDoc at `/redoc`
//! (each URL configurable, or off), with their assets.
//!
//! The document is built from the endpoints registered so far, once, when
//! first asked for; changing a setting drops it, to be built anew.

use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};

use bytes::Bytes;
use http::header::ACCEPT_ENCODING;
use http::{Method, StatusCode};
use serde_json::Value;

use super::Route;
use crate::decl::{Describe, EndpointInfo, Operation, ProviderInfo};
use crate::extract::RequestContext;
use crate::model::Components;
use crate::openapi::ui::{
    asset, oauth2_redirect_html, redoc_html, SwaggerUiPage, OAUTH2_REDIRECT_JS, REDOC_JS,
    SWAGGER_CSS, SWAGGER_JS,
};
use crate::openapi::{Info, OpenApi, Tag, ValidationAnswer};
use crate::pipeline::{Endpoint, Inherited, ResponseFuture};
use crate::response::{media, with_content_type, Response};
use crate::routing::RouteTable;

/// Where the docs are served; `None` turns one off.
#[derive(Debug, Clone)]
pub struct DocsUrls {
    /// The OpenAPI document (default `/openapi.json`).
    pub openapi: Option<String>,
    /// Swagger UI (default `/docs`).
    pub swagger: Option<String>,
    /// ReDoc (default `/redoc`).
    pub redoc: Option<String>,
}

impl Default for DocsUrls {
    fn default() -> Self {
        DocsUrls {
            openapi: Some("/openapi.json".into()),
            swagger: Some("/docs".into()),
            redoc: Some("/redoc".into()),
        }
    }
}

/// What a docs URL serves.
#[derive(Clone, Copy)]
pub(crate) enum DocsPage {
    Document,
    Swagger,
    /// Where Swagger UI's OAuth2 flows come back to.
    OAuth2Redirect,
    Redoc,
    Asset(&'static [u8], &'static str),
}

impl DocsUrls {
    /// Every docs page with its path: what the route table serves.
    fn pages(&self) -> Vec<(String, DocsPage)> {
        let mut pages = Vec::new();
        let Some(openapi) = &self.openapi else {
            return pages;
        };
        pages.push((openapi.clone(), DocsPage::Document));
        if let Some(swagger) = &self.swagger {
            pages.push((swagger.clone(), DocsPage::Swagger));
            let js = DocsPage::Asset(SWAGGER_JS, "text/javascript; charset=utf-8");
            pages.push((format!("{swagger}/swagger-ui-bundle.js"), js));
            let css = DocsPage::Asset(SWAGGER_CSS, "text/css; charset=utf-8");
            pages.push((format!("{swagger}/swagger-ui.css"), css));
            pages.push((
                format!("{swagger}/oauth2-redirect"),
                DocsPage::OAuth2Redirect,
            ));
            let redirect = DocsPage::Asset(OAUTH2_REDIRECT_JS, "text/javascript; charset=utf-8");
            pages.push((format!("{swagger}/oauth2-redirect.js"), redirect));
        }
        if let Some(redoc) = &self.redoc {
            pages.push((redoc.clone(), DocsPage::Redoc));
            let js = DocsPage::Asset(REDOC_JS, "text/javascript; charset=utf-8");
            pages.push((format!("{redoc}/redoc.standalone.js"), js));
        }
        pages
    }
}

/// What the OpenAPI document is made of: the app's metadata and
/// endpoints, as the builder sets them.
pub(crate) struct DocsSettings {
    pub(crate) info: Info,
    pub(crate) servers: Vec<Value>,
    /// Whether the root path (and a mount's prefix) is listed first in
    /// `servers` (FastAPI's `root_path_in_servers`, default true).
    pub(crate) root_path_in_servers: bool,
    pub(crate) tags: Vec<Tag>,
    pub(crate) urls: DocsUrls,
    endpoints: Vec<EndpointInfo>,
    /// The webhooks (`App::webhook`), documented apart from the paths.
    pub(crate) webhooks: Vec<EndpointInfo>,
    /// The app's dependencies, documented on every operation first.
    pub(crate) app_dependencies: Vec<ProviderInfo>,
    /// The app's answer to invalid input, when not FastAPI's 422.
    validation: ValidationAnswer,
    /// How operations' unique ids are made (`generate_unique_id_function`).
    pub(crate) unique_id: Option<crate::openapi::UniqueId>,
    /// Whether the statuses fastrs answers on its own are documented.
    pub(crate) framework_answers: bool,
    /// Swagger UI's parameters over the defaults (`swagger_ui_parameters`).
    pub(crate) swagger_parameters: serde_json::Map<String, Value>,
    /// What `ui.initOAuth` is given (`swagger_ui_init_oauth`).
    pub(crate) init_oauth: Option<Value>,
    /// Changes made to the document before it is served or printed
    /// (`customize_openapi`).
    pub(crate) customize: Option<Arc<Customize>>,
}

/// A change to the document, made once when it is built.
pub(crate) type Customize = dyn Fn(&mut Value) + Send + Sync;

/// The docs settings and the document, built once when first asked for.
pub(crate) struct DocsState {
    settings: RwLock<DocsSettings>,
    document: Mutex<Option<Bytes>>,
}

fn default_title() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "fastrs".to_owned())
}

impl Default for DocsState {
    fn default() -> Self {
        DocsState {
            settings: RwLock::new(DocsSettings {
                info: Info {
                    title: default_title(),
                    version: "0.1.0".into(),
                    summary: None,
                    description: None,
                    terms_of_service: None,
                    contact: None,
                    license: None,
                },
                servers: Vec::new(),
                root_path_in_servers: true,
                tags: Vec::new(),
                urls: DocsUrls::default(),
                endpoints: Vec::new(),
                webhooks: Vec::new(),
                app_dependencies: Vec::new(),
                validation: None,
                unique_id: None,
                framework_answers: false,
                swagger_parameters: serde_json::Map::new(),
                init_oauth: None,
                customize: None,
            }),
            document: Mutex::new(None),
        }
    }
}

impl DocsState {
    fn read(&self) -> RwLockReadGuard<'_, DocsSettings> {
        self.settings.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Changes the settings; the document is built anew when next asked.
    pub(crate) fn edit(&self, change: impl FnOnce(&mut DocsSettings)) {
        change(&mut self.settings.write().unwrap_or_else(|p| p.into_inner()));
        *self.document.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Documents a registered endpoint.
    pub(crate) fn add_endpoint(&self, info: EndpointInfo) {
        self.edit(|d| d.endpoints.push(info));
    }

    /// Documents the app's answer to invalid input.
    pub(crate) fn set_validation_answer(
        &self,
        status: StatusCode,
        schema: fn(&mut Components) -> Option<Value>,
    ) {
        self.edit(|d| d.validation = Some((status, schema)));
    }

    /// The OpenAPI document.
    pub(crate) fn document(&self) -> OpenApi {
        let d = self.read();
        crate::openapi::document(
            d.info.clone(),
            d.servers.clone(),
            d.tags.clone(),
            &d.endpoints,
            &d.webhooks,
            crate::openapi::AppDoc {
                dependencies: &d.app_dependencies,
                validation: d.validation,
                unique_id: d.unique_id,
                framework_answers: d.framework_answers,
            },
        )
    }

    /// The document as served and printed: built, then changed by
    /// `customize_openapi` when the app has one.
    pub(crate) fn served(&self, document: &OpenApi) -> Value {
        let mut value = document.to_json();
        let customize = self.read().customize.clone();
        if let Some(customize) = customize {
            customize(&mut value);
        }
        value
    }

    fn document_bytes(&self) -> Bytes {
        let mut cached = self.document.lock().unwrap_or_else(|p| p.into_inner());
        cached
            .get_or_insert_with(|| {
                let served = self.served(&self.document());
                Bytes::from(serde_json::to_vec(&served).unwrap_or_default())
            })
            .clone()
    }

    /// Where Swagger UI is served, if anywhere.
    pub(crate) fn swagger_url(&self) -> Option<String> {
        self.read().urls.swagger.clone()
    }

    /// The paths of the docs pages' scripts and styles (not in the access
    /// log unless asked).
    pub(crate) fn asset_paths(&self) -> Vec<String> {
        let pages = self.read().urls.pages();
        pages
            .into_iter()
            .filter(|(_, page)| matches!(page, DocsPage::Asset(..)))
            .map(|(path, _)| path)
            .collect()
    }

    /// Registers the docs pages as GET routes of `routes`.
    pub(crate) fn insert_routes(self: &Arc<Self>, routes: &mut RouteTable<Route>) {
        for (path, page) in self.read().urls.pages() {
            let endpoint = DocsEndpoint {
                page,
                docs: self.clone(),
            };
            let route = Route {
                endpoint: Arc::new(endpoint),
                routers: None,
                at_once: None,
            };
            if let Err(message) = routes.insert(Method::GET, &path, route) {
                panic!("fastrs: the docs page `{path}`: {message}");
            }
        }
    }

    /// Takes the docs pages out of `routes` (before their URLs change).
    pub(crate) fn remove_routes(&self, routes: &mut RouteTable<Route>) {
        for (path, _) in self.read().urls.pages() {
            routes.remove(&Method::GET, &path);
        }
    }
}

/// A docs page as a route.
struct DocsEndpoint {
    page: DocsPage,
    docs: Arc<DocsState>,
}

/// What a docs route declares: nothing for the document.
static DOCS_PAGE: Operation = Operation::undocumented("/docs", "docs");

/// What a route the document leaves out declares (the docs pages, the
/// metrics page).
pub(super) fn undocumented_page() -> EndpointInfo {
    EndpointInfo::new(&DOCS_PAGE, Vec::new(), Vec::new(), Describe::nothing())
}

impl Endpoint for DocsEndpoint {
    fn info(&self) -> EndpointInfo {
        undocumented_page()
    }

    fn handle(&self, cx: RequestContext, _: Inherited) -> ResponseFuture {
        let response = self.page(&cx);
        Box::pin(async move { response })
    }
}

impl DocsEndpoint {
    fn page(&self, cx: &RequestContext) -> Response {
        let html =
            |text: String| with_content_type(StatusCode::OK, media::text_html(), Bytes::from(text));
        // Behind a path-stripping proxy (`App::root_path`) or mounted under
        // a prefix (a sub-application), the pages and the document say
        // where they are, as FastAPI's `root_path` does.
        let prefix = crate::extract::root_path(cx);
        let prefix = prefix.as_ref();
        match self.page {
            DocsPage::Document if prefix.is_empty() => {
                let bytes = self.docs.document_bytes();
                with_content_type(StatusCode::OK, media::json(), bytes)
            }
            DocsPage::Document => {
                let mut document = self.docs.document();
                let listed = document.servers.iter().any(|s| s["url"] == prefix);
                if self.docs.read().root_path_in_servers && !listed {
                    // FastAPI's order: the root path first.
                    document
                        .servers
                        .insert(0, serde_json::json!({"url": prefix}));
                }
                let served = self.docs.served(&document);
                let bytes = serde_json::to_vec(&served).unwrap_or_default();
                with_content_type(StatusCode::OK, media::json(), Bytes::from(bytes))
            }
            DocsPage::Swagger => {
                let d = self.docs.read();
                let openapi = d.urls.openapi.as_deref().unwrap_or("/openapi.json");
                let openapi = format!("{prefix}{openapi}");
                let base = format!("{prefix}{}", d.urls.swagger.as_deref().unwrap_or(""));
                let mut page = SwaggerUiPage::new(&openapi, &d.info.title)
                    .assets(
                        &format!("{base}/swagger-ui-bundle.js"),
                        &format!("{base}/swagger-ui.css"),
                    )
                    .parameters(&d.swagger_parameters)
                    .oauth2_redirect_url(&format!("{base}/oauth2-redirect"));
                if let Some(settings) = &d.init_oauth {
                    page = page.init_oauth(settings.clone());
                }
                html(page.html())
            }
            DocsPage::OAuth2Redirect => {
                let d = self.docs.read();
                let base = format!("{prefix}{}", d.urls.swagger.as_deref().unwrap_or(""));
                html(oauth2_redirect_html(&format!("{base}/oauth2-redirect.js")))
            }
            DocsPage::Redoc => {
                let d = self.docs.read();
                let openapi = d.urls.openapi.as_deref().unwrap_or("/openapi.json");
                let openapi = format!("{prefix}{openapi}");
                let base = format!("{prefix}{}", d.urls.redoc.as_deref().unwrap_or(""));
                html(redoc_html(&d.info.title, &openapi, &base))
            }
            DocsPage::Asset(bytes, content_type) => {
                asset(bytes, content_type, cx.head().headers.get(ACCEPT_ENCODING))
            }
        }
    }
}
