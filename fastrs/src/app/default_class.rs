//! `default_response_class` on a [`Router`](super::Router) or the
//! [`App`](super::App) (FastAPI's `default_response_class`): text that a
//! route returns without naming a class (`String`, `&'static str`) is sent
//! with the class's content type and documented as the class documents
//! itself. The innermost class wins: a route's own `response_class`, then
//! its router's, then the routers around it, then the app's.
//!
//! A claimed route's endpoint is wrapped once, when it is registered, so a
//! route that returns anything else, or has no class around it, pays
//! nothing.

use std::sync::Arc;

use http::header::{HeaderValue, CONTENT_TYPE};
use serde_json::Value;

use crate::decl::{EndpointInfo, ResponseMedia};
use crate::extract::RequestContext;
use crate::model::Components;
use crate::openapi::ResponseClass;
use crate::pipeline::{AnswerAtOnce, Endpoint, Inherited, ResponseFuture};
use crate::response::{Response, TextClass};

/// A text class chosen for the routes of a router or app.
#[derive(Clone)]
pub(crate) struct DefaultClass {
    content_type: HeaderValue,
    schema: fn(&mut Components) -> Option<Value>,
    media: fn() -> ResponseMedia,
}

impl DefaultClass {
    /// The class `C`.
    pub(crate) fn of<C: TextClass + ResponseClass>() -> Self {
        DefaultClass {
            content_type: const { HeaderValue::from_static(C::CONTENT_TYPE) },
            schema: <C as ResponseClass>::class_schema,
            media: <C as ResponseClass>::class_media,
        }
    }

    /// Sends and documents the route's text as this class, when it returns
    /// text that no class has claimed yet.
    pub(crate) fn claim(&self, endpoint: &mut Arc<dyn Endpoint>, info: &mut EndpointInfo) {
        if !info.returns_text {
            return;
        }
        info.returns_text = false;
        info.response_schema = self.schema;
        info.response_media = self.media;
        *endpoint = Arc::new(TextAs {
            endpoint: endpoint.clone(),
            content_type: self.content_type.clone(),
        });
    }
}

/// An endpoint whose text answers go out as a class.
struct TextAs {
    endpoint: Arc<dyn Endpoint>,
    content_type: HeaderValue,
}

/// Gives the text answer (a `String`'s `text/plain`) the class's content
/// type. An error's answer (400 and above, written by an exception handler
/// or an `Err`) keeps its own, as FastAPI's handlers send their own class.
fn restyle(response: &mut Response, content_type: &HeaderValue) {
    let is_text = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|sent| sent.as_bytes() == b"text/plain; charset=utf-8");
    if is_text && response.status().as_u16() < 400 {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, content_type.clone());
    }
}

impl Endpoint for TextAs {
    fn info(&self) -> EndpointInfo {
        self.endpoint.info()
    }

    fn handle(&self, cx: RequestContext, inherited: Inherited) -> ResponseFuture {
        let future = self.endpoint.handle(cx, inherited);
        let content_type = self.content_type.clone();
        Box::pin(async move {
            let mut response = future.await;
            restyle(&mut response, &content_type);
            response
        })
    }

    fn at_once(self: Arc<Self>) -> Option<Arc<dyn AnswerAtOnce>> {
        let endpoint = self.endpoint.clone().at_once()?;
        Some(Arc::new(TextAsAtOnce {
            endpoint,
            content_type: self.content_type.clone(),
        }))
    }
}

/// [`TextAs`] for an endpoint answered in place.
struct TextAsAtOnce {
    endpoint: Arc<dyn AnswerAtOnce>,
    content_type: HeaderValue,
}

impl AnswerAtOnce for TextAsAtOnce {
    fn answer_at_once(&self, cx: &mut RequestContext, inherited: &Inherited) -> Response {
        let mut response = self.endpoint.answer_at_once(cx, inherited);
        restyle(&mut response, &self.content_type);
        response
    }
}
