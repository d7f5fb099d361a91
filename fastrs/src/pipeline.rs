//! The request pipeline: what the route table holds for each route (an
//! [`Endpoint`]), how an endpoint answers a request, and how a provider
//! produces its value, in one place.
//!
//! `#[endpoint]` replaces `async fn read_item(...)` with `fn read_item()`
//! returning a [`RouteEndpoint`] made here ([`endpoint_1`] and its siblings);
//! the original function is called from it. `App::route(read_item)` calls
//! it, so registration is explicit, a route that is never registered is a
//! dead-code warning, and, `read_item` being a plain function, a variable
//! may still be called `read_item`.
//!
//! For every routed request, `run_endpoint` does, in this order:
//!
//! 1. the inherited dependencies (the app's, then the routers', outermost
//!    first), then the route's own `dependencies = [...]`;
//! 2. the arguments ([`Decls::extract`]): first every dependency argument in
//!    declaration order, then every other argument in declaration order, each
//!    recording its validation errors instead of stopping, so that all of
//!    them are reported at once (dependencies' errors first, as FastAPI
//!    orders them);
//! 3. the 422 (through the app's validation-error handler, if any) when any
//!    input was invalid, else the handler, whose return value becomes the
//!    response;
//! 4. the before-response cleanups of request-scoped dependencies (which see
//!    the handler's error and may replace the answer), then the app's
//!    exception handlers, then the after-response cleanups, attached to the
//!    body so they run once it has been sent.
//!
//! A dependency answering with an `HttpError` (or a body over the limit)
//! ends the request at once, at step 1 or 2. A provider's value is made by
//! [`provide`]: the same argument extraction (step 2), then its function.
//!
//! `run_endpoint` is a future, boxed once per request. An endpoint with
//! nothing to wait for is answered in place instead ([`AnswerAtOnce`]):
//! when its function never awaits (`#[endpoint]` then writes it as a plain
//! `fn` and calls [`endpoint_at_once_1`] or its sibling), its arguments are
//! all read from the request head ([`FromRequest::reads_at_once`]; a
//! `Depends<T>` is when `T`'s provider never waits and reads only such
//! arguments, [`ProviderPipe::reads_at_once`]), and it inherits no
//! dependency, the same steps 2 to 4 run in the call that routes the
//! request, and no future is made.
//!
//! The macros only declare: `#[endpoint]` writes a [`ParamSpec`] per
//! argument and an [`Operation`], declares each argument with [`argument`], and
//! hands the declarations to [`endpoint_1`] (or its sibling for that many
//! arguments) with a closure that calls the user's function;
//! `#[dependency]` does the same through [`provider_1`] and its siblings.
//! Those constructors are where the argument types are checked, one bound
//! per argument, so that a type that cannot be an argument is reported once,
//! at that argument.

use std::any::TypeId;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use crate::decl::{
    Describe, EndpointInfo, Operation, OperationDoc, ParamSpec, ProviderDecl, ProviderInfo, Scope,
};
use crate::di::{AnyProvider, BoxFuture, Provided};
use crate::error::{ErrorHandlers, HttpError};
use crate::extract::CompleteWithRequest;
use crate::extract::{Arg, ArgKind, FromRequest, RequestContext};
use crate::model::ValidationErrors;
use crate::response::{CompleteWithHead, IntoResponse, Rejection, Response};
use crate::state::{sharing_of, Sharing};
use crate::traces::Step;

/// The future an endpoint returns: boxed once per request.
pub type ResponseFuture = Pin<Box<dyn Future<Output = Response> + Send + 'static>>;

/// The dependencies a route runs before its own: the app's, then its
/// routers' (outermost first). Each list is `None` when empty, so that a
/// route without them pays nothing.
#[derive(Clone, Default)]
pub struct Inherited {
    /// The app's dependencies (`App::dependency`).
    pub(crate) app: Option<Arc<[AnyProvider]>>,
    /// What the route's routers give it (`None`: nothing).
    pub(crate) routers: Option<Arc<RouterScope>>,
}

/// What the routers a route was included through give it: one `Arc`, so
/// that a request's share of it is one pointer.
#[derive(Default)]
pub(crate) struct RouterScope {
    /// The routers' dependencies (`Router::dependency`), outermost first.
    pub(crate) dependencies: Vec<AnyProvider>,
    /// The routers' exception handlers, innermost first: they answer before
    /// the app's, for the error types they know.
    pub(crate) handlers: Vec<Arc<ErrorHandlers>>,
}

impl Inherited {
    /// The routers' exception handlers, innermost first.
    fn handlers(&self) -> impl Iterator<Item = &ErrorHandlers> {
        self.routers
            .iter()
            .flat_map(|r| r.handlers.iter().map(|h| &**h))
    }

    /// Every inherited dependency, in the order they run.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &AnyProvider> {
        let app = self.app.iter().flat_map(|a| a.iter());
        app.chain(self.routers.iter().flat_map(|r| r.dependencies.iter()))
    }
}

/// A route handler. Made by `#[endpoint]` (through [`endpoint_1`] and its
/// siblings); implement it by hand only for something the macro cannot
/// express, and register it with `App::route(|| MyEndpoint)`.
pub trait Endpoint: Send + Sync + 'static {
    /// What the endpoint declares.
    fn info(&self) -> EndpointInfo;

    /// Handles one request, after running the `inherited` dependencies.
    fn handle(&self, cx: RequestContext, inherited: Inherited) -> ResponseFuture;

    /// The endpoint as one that answers a request in place, when it can
    /// ([`AnswerAtOnce`]); asked once, when the route is registered. `None`
    /// (the default) has every request go through [`Endpoint::handle`].
    fn at_once(self: Arc<Self>) -> Option<Arc<dyn AnswerAtOnce>> {
        None
    }
}

/// An endpoint that answers a request in place, without a future of its
/// own: `#[endpoint]` makes one of a function that never awaits and whose
/// arguments are all read at once ([`FromRequest::reads_at_once`]),
/// dependencies included. The app asks it only for a route that inherits
/// no dependency and, when the endpoint's arguments resolve dependencies,
/// for a request that finds no provider overridden and the app-scoped
/// values they read built; [`Endpoint::handle`] for the others.
pub trait AnswerAtOnce: Send + Sync + 'static {
    /// Answers the request of `cx`: the same answer, exception handlers and
    /// cleanups included, as the endpoint's [`Endpoint::handle`] would give
    /// with these `inherited` exception handlers (and no inherited
    /// dependency).
    fn answer_at_once(&self, cx: &mut RequestContext, inherited: &Inherited) -> Response;
}

/// The status for `#[endpoint(..., status = N)]`; the macro checks that `N`
/// is a valid code, so the fallback to 200 is never taken.
#[doc(hidden)]
pub fn status(code: u16) -> http::StatusCode {
    http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::OK)
}

/// One argument's declaration, tied to its extractor type `T` (and the
/// marker `M` of `T`'s [`FromRequest`] impl).
///
/// `V` is `T`'s `FromRequest::Value`; the struct itself asks nothing of
/// `T`, so that a type that is no extractor is reported once, by the
/// constructor that takes the declaration, at the argument's tokens.
#[doc(hidden)]
pub struct Declared<T, M, V: 'static> {
    arg: Arg<V>,
    marker: PhantomData<fn() -> (T, M)>,
}

impl<T, M, V: 'static> Clone for Declared<T, M, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, M, V: 'static> Copy for Declared<T, M, V> {}

/// Declares an argument of type `T`, with its spec and default: one call
/// per argument in the generated code, spanned at the argument's type.
/// Whether `T` can be an argument is checked by the constructor the
/// declaration is given to ([`endpoint_1`], ...), which reports it there.
///
/// (The second type parameter is named for the one case where rustc shows
/// it to a user: `Depends<T>` when two providers give a `T`, where rustc
/// says it "cannot infer type of the type parameter `NameTheProvider`" and
/// lists the providers.)
#[doc(hidden)]
pub fn argument<T, NameTheProvider, V: 'static>(
    spec: &'static ParamSpec,
    default: Option<fn() -> V>,
) -> Declared<T, NameTheProvider, V> {
    Declared {
        arg: Arg::new(spec, default),
        marker: PhantomData,
    }
}

/// The arguments of an endpoint or provider: a tuple of [`Declared`]
/// arguments, implemented for tuples of up to 16.
pub trait Decls: Copy + Send + Sync + 'static {
    /// The tuple of the arguments' values.
    type Args: Send + 'static;

    /// Reads every argument: dependencies first, then the rest, each in
    /// declaration order. `Ok(None)` when some argument failed validation
    /// (its errors are recorded); `Err` for an answer that ends the request.
    fn extract<'a>(
        &'a self,
        cx: &'a mut RequestContext,
        errors: &'a mut ValidationErrors,
    ) -> impl Future<Output = Result<Option<Self::Args>, Rejection>> + Send + 'a;

    /// True when every argument is read at once
    /// ([`FromRequest::reads_at_once`]): [`Decls::extract`]'s future is
    /// ready the first time it is polled.
    fn reads_at_once(&self) -> bool;

    /// Reports every argument to the OpenAPI document, dependencies first.
    fn describe(&self, doc: &mut OperationDoc<'_>);

    /// The declarations of the arguments that read the request, not
    /// counting dependencies.
    fn params(&self) -> Vec<&'static ParamSpec>;

    /// The providers of the dependency arguments, in declaration order.
    fn providers() -> Vec<ProviderInfo>;

    /// True when some argument is a dependency: its chain of providers
    /// resolves inline, a future as deep as the chain, which an endpoint
    /// runs in a box of its own ([`Decls::extract_boxed`]). (A body's
    /// extraction is large too, but the box costs more than it saves there:
    /// measured on the `post_model` benchmark.)
    const LARGE_EXTRACTION: bool;

    /// [`Decls::extract`] in a box of its own: an endpoint's future,
    /// allocated for every request, stays small (below the allocator's
    /// thread cache) however deep the chain of providers below its
    /// dependency arguments, which resolve inline in this one allocation.
    fn extract_boxed<'a>(
        &'a self,
        cx: &'a mut RequestContext,
        errors: &'a mut ValidationErrors,
    ) -> BoxFuture<'a, Result<Option<Self::Args>, Rejection>> {
        Box::pin(self.extract(cx, errors))
    }
}

/// True when an argument of `kind` declared by `spec` is a part of the body.
fn is_body_part(kind: ArgKind, spec: &ParamSpec) -> bool {
    kind == ArgKind::Body || (kind == ArgKind::Parameter && (spec.body || spec.embed))
}

/// FastAPI's rule: several body parts, or one marked `#[param(embed)]` or
/// `#[param(body)]`, make the body an object keyed by argument name.
fn body_is_embedded(parts: &[(ArgKind, &ParamSpec)]) -> bool {
    let mut count = 0;
    for &(kind, spec) in parts {
        if is_body_part(kind, spec) {
            count += 1;
            if spec.embed || spec.body {
                return true;
            }
        }
    }
    count > 1
}

/// `arg` as its extractor sees it: `embedded` set for a body part.
fn with_body<V>(arg: &Arg<V>, kind: ArgKind, embedded: bool) -> Arg<V> {
    Arg {
        embedded: embedded && kind == ArgKind::Body,
        ..*arg
    }
}

macro_rules! args_tuple {
    ($(($T:ident, $M:ident, $i:tt)),*) => {
        impl<$($T: FromRequest<$M>, $M: 'static,)*> Decls for ($(Declared<$T, $M, <$T as FromRequest<$M>>::Value>,)*) {
            type Args = ($($T,)*);

            // The closure turns the `?`s into one `Option`.
            #[allow(unused_variables, unused_mut, clippy::unused_unit, clippy::redundant_closure_call)]
            fn extract<'a>(
                &'a self,
                cx: &'a mut RequestContext,
                errors: &'a mut ValidationErrors,
            ) -> impl Future<Output = Result<Option<Self::Args>, Rejection>> + Send + 'a {
                async move {
                    // Known at compile time to be false without a body part.
                    let any_body = false $(|| <$T as FromRequest<$M>>::KIND == ArgKind::Body)*;
                    let embedded = any_body
                        && body_is_embedded(&[$((<$T as FromRequest<$M>>::KIND, self.$i.arg.spec),)*]);
                    let mut values: ($(Option<$T>,)*) = ($(None::<$T>,)*);
                    $(
                        if <$T as FromRequest<$M>>::KIND == ArgKind::Dependency {
                            values.$i = <$T as FromRequest<$M>>::from_request(cx, &self.$i.arg, errors).await?;
                        }
                    )*
                    // Dependencies' errors keep their place before the rest.
                    errors.freeze();
                    $(
                        if <$T as FromRequest<$M>>::KIND != ArgKind::Dependency {
                            let arg = with_body(&self.$i.arg, <$T as FromRequest<$M>>::KIND, embedded);
                            values.$i = <$T as FromRequest<$M>>::from_request(cx, &arg, errors).await?;
                        }
                    )*
                    Ok((|| Some(($(values.$i?,)*)))())
                }
            }

            fn reads_at_once(&self) -> bool {
                true $(&& <$T as FromRequest<$M>>::reads_at_once(&self.$i.arg))*
            }

            #[allow(unused_variables)]
            fn describe(&self, doc: &mut OperationDoc<'_>) {
                let embedded = body_is_embedded(&[$((<$T as FromRequest<$M>>::KIND, self.$i.arg.spec),)*]);
                $(
                    if <$T as FromRequest<$M>>::KIND == ArgKind::Dependency {
                        <$T as FromRequest<$M>>::describe(&self.$i.arg, doc);
                    }
                )*
                $(
                    if <$T as FromRequest<$M>>::KIND != ArgKind::Dependency {
                        let arg = with_body(&self.$i.arg, <$T as FromRequest<$M>>::KIND, embedded);
                        <$T as FromRequest<$M>>::describe(&arg, doc);
                    }
                )*
            }

            #[allow(unused_mut)]
            fn params(&self) -> Vec<&'static ParamSpec> {
                let mut out = Vec::new();
                $(
                    if <$T as FromRequest<$M>>::KIND != ArgKind::Dependency {
                        out.push(self.$i.arg.spec);
                    }
                )*
                out
            }

            const LARGE_EXTRACTION: bool = false
                $(|| matches!(<$T as FromRequest<$M>>::KIND, ArgKind::Dependency))*;

            #[allow(unused_mut)]
            fn providers() -> Vec<ProviderInfo> {
                let mut out = Vec::new();
                $( out.extend(<$T as FromRequest<$M>>::provider()); )*
                out
            }
        }
    };
}

args_tuple!();
args_tuple!((A, MA, 0));
args_tuple!((A, MA, 0), (B, MB, 1));
args_tuple!((A, MA, 0), (B, MB, 1), (C, MC, 2));
args_tuple!((A, MA, 0), (B, MB, 1), (C, MC, 2), (D, MD, 3));
args_tuple!((A, MA, 0), (B, MB, 1), (C, MC, 2), (D, MD, 3), (E, ME, 4));
args_tuple!(
    (A, MA, 0),
    (B, MB, 1),
    (C, MC, 2),
    (D, MD, 3),
    (E, ME, 4),
    (F, MF, 5)
);
args_tuple!(
    (A, MA, 0),
    (B, MB, 1),
    (C, MC, 2),
    (D, MD, 3),
    (E, ME, 4),
    (F, MF, 5),
    (G, MG, 6)
);
args_tuple!(
    (A, MA, 0),
    (B, MB, 1),
    (C, MC, 2),
    (D, MD, 3),
    (E, ME, 4),
    (F, MF, 5),
    (G, MG, 6),
    (H, MH, 7)
);
args_tuple!(
    (A, MA, 0),
    (B, MB, 1),
    (C, MC, 2),
    (D, MD, 3),
    (E, ME, 4),
    (F, MF, 5),
    (G, MG, 6),
    (H, MH, 7),
    (I, MI, 8)
);
args_tuple!(
    (A, MA, 0),
    (B, MB, 1),
    (C, MC, 2),
    (D, MD, 3),
    (E, ME, 4),
    (F, MF, 5),
    (G, MG, 6),
    (H, MH, 7),
    (I, MI, 8),
    (J, MJ, 9)
);
args_tuple!(
    (A, MA, 0),
    (B, MB, 1),
    (C, MC, 2),
    (D, MD, 3),
    (E, ME, 4),
    (F, MF, 5),
    (G, MG, 6),
    (H, MH, 7),
    (I, MI, 8),
    (J, MJ, 9),
    (K, MK, 10)
);
args_tuple!(
    (A, MA, 0),
    (B, MB, 1),
    (C, MC, 2),
    (D, MD, 3),
    (E, ME, 4),
    (F, MF, 5),
    (G, MG, 6),
    (H, MH, 7),
    (I, MI, 8),
    (J, MJ, 9),
    (K, MK, 10),
    (L, ML, 11)
);
args_tuple!(
    (A, MA, 0),
    (B, MB, 1),
    (C, MC, 2),
    (D, MD, 3),
    (E, ME, 4),
    (F, MF, 5),
    (G, MG, 6),
    (H, MH, 7),
    (I, MI, 8),
    (J, MJ, 9),
    (K, MK, 10),
    (L, ML, 11),
    (N, MN, 12)
);
args_tuple!(
    (A, MA, 0),
    (B, MB, 1),
    (C, MC, 2),
    (D, MD, 3),
    (E, ME, 4),
    (F, MF, 5),
    (G, MG, 6),
    (H, MH, 7),
    (I, MI, 8),
    (J, MJ, 9),
    (K, MK, 10),
    (L, ML, 11),
    (N, MN, 12),
    (O, MO, 13)
);
args_tuple!(
    (A, MA, 0),
    (B, MB, 1),
    (C, MC, 2),
    (D, MD, 3),
    (E, ME, 4),
    (F, MF, 5),
    (G, MG, 6),
    (H, MH, 7),
    (I, MI, 8),
    (J, MJ, 9),
    (K, MK, 10),
    (L, ML, 11),
    (N, MN, 12),
    (O, MO, 13),
    (P, MP, 14)
);
args_tuple!(
    (A, MA, 0),
    (B, MB, 1),
    (C, MC, 2),
    (D, MD, 3),
    (E, ME, 4),
    (F, MF, 5),
    (G, MG, 6),
    (H, MH, 7),
    (I, MI, 8),
    (J, MJ, 9),
    (K, MK, 10),
    (L, ML, 11),
    (N, MN, 12),
    (O, MO, 13),
    (P, MP, 14),
    (Q, MQ, 15)
);

/// Runs one request through an endpoint: the whole pipeline of the
/// [module docs](self).
///
/// An `async` block rather than an `async fn`: the block uses the captured
/// context in place, where an `async fn` would keep its argument and a moved
/// copy in its state, and this future is allocated for every request.
///
/// `X` says how the arguments are read: inline ([`Inline`]), or in a box of
/// their own ([`Boxed`]) when [`Decls::LARGE_EXTRACTION`]; a type rather
/// than a branch, since a future's size is that of its largest state,
/// taken or not.
#[allow(clippy::manual_async_fn)]
fn run_endpoint<D, H, X>(
    operation: &'static Operation,
    mut cx: RequestContext,
    inherited: Inherited,
    own: Option<Arc<[AnyProvider]>>,
    sharing: Sharing,
    decls: D,
    handler: H,
) -> impl Future<Output = Response>
where
    D: Decls,
    H: Handler<D::Args>,
    X: Extraction,
{
    async move {
        let mut errors = ValidationErrors::new();
        let response = 'answered: {
            if inherited.app.is_some() || inherited.routers.is_some() || own.is_some() {
                if let Err(rejection) =
                    run_dependencies(&mut cx, &mut errors, &inherited, own.as_deref()).await
                {
                    break 'answered rejection.into_response();
                }
            }
            cx.sharing = sharing;
            match X::extract(&decls, &mut cx, &mut errors).await {
                Err(rejection) => rejection.into_response(),
                Ok(Some(args)) if errors.is_empty() && crate::traces::on() => {
                    let call = async move {
                        match handler.call(args) {
                            Answer::Now(response) => response,
                            Answer::Later(future) => future.await,
                        }
                    };
                    crate::traces::step(|| operation.name, Step::Handler, call).await
                }
                Ok(Some(args)) if errors.is_empty() => match handler.call(args) {
                    Answer::Now(response) => response,
                    Answer::Later(future) => future.await,
                },
                Ok(_) => invalid_request(&mut cx, &inherited, errors),
            }
        };
        // The end: before-response cleanups, then the rest (`finish`); each
        // skipped without touching the response when it has nothing to do
        // (the common case).
        let mut response = response;
        if crate::di::has_cleanups_before_response(&cx) {
            response = crate::di::cleanup_before_response(&mut cx, response).await;
        }
        finish(&mut cx, &inherited, &mut response);
        response
    }
}

/// The end of every request an endpoint answers, after any before-response
/// cleanup: what a response asks to complete it, the exception handlers,
/// and the after-response cleanups, attached to the body.
/// In place: the common response, with nothing to do, is not moved, and
/// costs three checks inlined in the endpoint; the work is one function,
/// not a copy in every endpoint's code.
#[inline(always)]
fn finish(cx: &mut RequestContext, inherited: &Inherited, response: &mut Response) {
    if cx.response_changes.is_some() || !response.extensions().is_empty() || !cx.cleanups.is_empty()
    {
        finish_work(cx, inherited, response);
    }
}

/// [`finish`]'s work, when there is some.
#[inline(never)]
fn finish_work(cx: &mut RequestContext, inherited: &Inherited, response: &mut Response) {
    if cx.response_changes.is_some() {
        // The response handles' changes, unless the answer is an error
        // (`invalid_request` dropped them for a validation error).
        crate::extract::response_handle::apply(cx, response);
    }
    if !response.extensions().is_empty() {
        let complete = response.extensions_mut().remove::<CompleteWithHead>();
        if let Some(CompleteWithHead(complete)) = complete {
            *response = complete(std::mem::take(response), cx.head());
        }
        let complete = response.extensions_mut().remove::<CompleteWithRequest>();
        if let Some(CompleteWithRequest(complete)) = complete {
            *response = complete(std::mem::take(response), cx);
        }
        let handlers = inherited
            .handlers()
            .find(|h| h.handles_pending(response))
            .unwrap_or(&cx.app().errors);
        *response = handlers.resolve(std::mem::take(response), cx.head());
    }
    if !cx.cleanups.is_empty() {
        *response = crate::di::cleanup_after_response(cx, std::mem::take(response));
    }
}

/// How an endpoint calls the user's function (the closure `#[endpoint]`
/// writes, which also turns its value into the response).
trait Handler<Args>: Clone + Send + Sync + 'static {
    /// The function's future, for one that may wait.
    type Future: Future<Output = Response> + Send + 'static;

    /// True when [`Handler::call`] always answers [`Answer::Now`].
    const AT_ONCE: bool;

    /// Calls the function.
    fn call(&self, args: Args) -> Answer<Self::Future>;

    /// Calls the function for an endpoint answered in place: its answer,
    /// or a logged 500 if it waits (it cannot when [`Handler::AT_ONCE`]).
    fn call_at_once(&self, args: Args, operation: &Operation) -> Response;
}

/// What calling an endpoint's function gives.
enum Answer<F> {
    /// The response: the function never waits.
    Now(Response),
    /// The function's future.
    Later(F),
}

/// A function that may await: an `async` closure.
#[derive(Clone)]
struct Waits<F>(F);

/// A function that never awaits, called as a plain closure.
#[derive(Clone)]
struct AtOnce<F>(F);

impl<Args, F, Fut> Handler<Args> for Waits<F>
where
    F: Fn(Args) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Response> + Send + 'static,
{
    type Future = Fut;
    const AT_ONCE: bool = false;

    #[inline(always)]
    fn call(&self, args: Args) -> Answer<Fut> {
        Answer::Later((self.0)(args))
    }

    fn call_at_once(&self, args: Args, operation: &Operation) -> Response {
        ready_at_once((self.0)(args)).unwrap_or_else(|| waited(operation, "the function"))
    }
}

impl<Args, F> Handler<Args> for AtOnce<F>
where
    F: Fn(Args) -> Response + Clone + Send + Sync + 'static,
{
    type Future = std::future::Ready<Response>;
    const AT_ONCE: bool = true;

    #[inline(always)]
    fn call(&self, args: Args) -> Answer<Self::Future> {
        Answer::Now((self.0)(args))
    }

    #[inline(always)]
    fn call_at_once(&self, args: Args, _: &Operation) -> Response {
        (self.0)(args)
    }
}

/// The output of `future` when it is ready the first time it is polled
/// (with a waker that does nothing: nothing will wait for a wake).
fn ready_at_once<F: Future>(future: F) -> Option<F::Output> {
    let future = std::pin::pin!(future);
    match future.poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

/// The answer when something said to be ready at once waited: a bug in an
/// extractor's `reads_at_once`, never the client's doing.
#[cold]
fn waited(operation: &Operation, what: &str) -> Response {
    crate::log::error!(
        "`{} {}` ({}): {what} waited, though the endpoint is answered at once; answered 500",
        operation.method,
        operation.path,
        operation.name
    );
    HttpError::from_status(http::StatusCode::INTERNAL_SERVER_ERROR).into_response()
}

/// How an endpoint reads its arguments: inline in the endpoint's future, or
/// in a box of their own (chosen by [`Decls::LARGE_EXTRACTION`]).
pub trait Extraction {
    /// Reads `decls`' arguments.
    fn extract<'a, D: Decls>(
        decls: &'a D,
        cx: &'a mut RequestContext,
        errors: &'a mut ValidationErrors,
    ) -> impl Future<Output = Result<Option<D::Args>, Rejection>> + Send + 'a;
}

/// Arguments read inside the endpoint's future.
pub struct Inline;

/// Arguments read in a future boxed on its own.
pub struct Boxed;

impl Extraction for Inline {
    fn extract<'a, D: Decls>(
        decls: &'a D,
        cx: &'a mut RequestContext,
        errors: &'a mut ValidationErrors,
    ) -> impl Future<Output = Result<Option<D::Args>, Rejection>> + Send + 'a {
        decls.extract(cx, errors)
    }
}

impl Extraction for Boxed {
    fn extract<'a, D: Decls>(
        decls: &'a D,
        cx: &'a mut RequestContext,
        errors: &'a mut ValidationErrors,
    ) -> impl Future<Output = Result<Option<D::Args>, Rejection>> + Send + 'a {
        decls.extract_boxed(cx, errors)
    }
}

/// Runs the app's, the routers' and the route's own dependencies, in that
/// order, for their effects: `Err` is an answer that ends the request.
/// Boxed, so that the endpoint's future, which every request allocates,
/// does not carry the largest state of a type-erased resolution.
fn run_dependencies<'a>(
    cx: &'a mut RequestContext,
    errors: &'a mut ValidationErrors,
    inherited: &'a Inherited,
    own: Option<&'a [AnyProvider]>,
) -> BoxFuture<'a, Result<(), Rejection>> {
    Box::pin(async move {
        for dependency in inherited.iter().chain(own.into_iter().flatten()) {
            dependency.run(cx, errors).await?;
        }
        Ok(())
    })
}

/// The answer to a request whose inputs failed validation: the app's
/// validation-error answer (FastAPI's 422 by default).
fn invalid_request(
    cx: &mut RequestContext,
    inherited: &Inherited,
    errors: ValidationErrors,
) -> Response {
    // A dependency's response handle changes nothing on a validation
    // error's answer (FastAPI drops its sub-response).
    cx.response_changes = None;
    if errors.is_empty() {
        // An extractor returned no value without recording why: a bug in
        // that extractor, never the client's doing.
        crate::log::error!("an extractor returned no value and no validation error");
        return HttpError::from_status(http::StatusCode::INTERNAL_SERVER_ERROR).into_response();
    }
    let handlers = inherited
        .handlers()
        .find(|h| h.handles_validation())
        .unwrap_or(&cx.app().errors);
    let body = match &cx.body_state {
        crate::extract::BodyState::Parsed(body) => Some(&**body),
        _ => None,
    };
    handlers.validation_failed(cx.head(), errors, body)
}

/// Runs a provider: its arguments (as [`Decls::extract`] reads them), then
/// `call` with them. Its errors are closed as one block, so that a later
/// sibling's errors are sorted after them.
///
/// An `async` block, not an `async fn`, so that its arguments are not kept
/// twice in its state: a chain of providers nests these futures.
#[allow(clippy::manual_async_fn)]
pub fn provide<'a, D, T, F, Fut>(
    cx: &'a mut RequestContext,
    errors: &'a mut ValidationErrors,
    decls: D,
    call: F,
) -> impl Future<Output = Provided<T>> + 'a
where
    D: Decls,
    F: FnOnce(D::Args) -> Fut + 'a,
    Fut: Future<Output = Provided<T>> + 'a,
{
    async move {
        let args = decls.extract(cx, errors).await;
        errors.freeze();
        match args {
            Err(rejection) => Provided::Failed(rejection),
            Ok(None) => Provided::Invalid,
            Ok(Some(args)) => call(args).await,
        }
    }
}

/// Runs a plain `fn` endpoint or provider on tokio's blocking pool, as
/// FastAPI runs a `def` in its threadpool, so that it may block (a
/// synchronous database driver, a file read, a CPU-bound step) without
/// holding up the server's other requests. `#[endpoint]` and
/// `#[dependency]` call it for a function written without `async`; an
/// `async fn` never goes through it. A panic in `call` is raised again
/// here, where the app turns it into a logged 500 as for any handler.
pub async fn run_blocking<F, R>(call: F) -> R
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    match tokio::task::spawn_blocking(crate::traces::carried(call)).await {
        Ok(value) => value,
        Err(error) => match error.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            // A blocking task is cancelled only when the runtime shuts
            // down, which ends this request too.
            Err(error) => panic!("fastrs: a blocking function did not finish: {error}"),
        },
    }
}

/// What a function marked `#[endpoint]` returns: the endpoint, ready for
/// the route table (`App::route` takes it).
pub struct RouteEndpoint(Arc<dyn Endpoint>);

/// What `endpoint` declares (its document), without registering it: the
/// code `#[endpoint(..., callbacks = [notify])]` writes reads a callback's
/// so.
pub fn endpoint_info<F, E>(endpoint: F) -> EndpointInfo
where
    F: FnOnce() -> E,
    E: IntoEndpoint,
{
    endpoint().into_endpoint().info()
}

/// What `App::route` and `Router::route` take: a [`RouteEndpoint`], or any
/// [`Endpoint`] written by hand.
#[diagnostic::on_unimplemented(
    message = "`App::route` takes a function marked #[endpoint] (or #[websocket])",
    label = "this is not an endpoint",
    note = "add #[endpoint(GET \"/path\")] (or the method and path it answers) above the function"
)]
pub trait IntoEndpoint {
    /// The endpoint, shared.
    fn into_endpoint(self) -> Arc<dyn Endpoint>;
}

impl IntoEndpoint for RouteEndpoint {
    fn into_endpoint(self) -> Arc<dyn Endpoint> {
        self.0
    }
}

impl<E: Endpoint> IntoEndpoint for E {
    fn into_endpoint(self) -> Arc<dyn Endpoint> {
        Arc::new(self)
    }
}

/// An endpoint made of an [`Operation`], the route's own dependencies,
/// the arguments' declarations and a handler.
///
/// Made by [`endpoint_1`] and its siblings, which check the argument types
/// one by one and erase the endpoint's type ([`RouteEndpoint`]), so that a
/// wrong argument type is reported once, at the argument.
struct PipelineEndpoint<D, H> {
    operation: &'static Operation,
    dependencies: Option<Arc<[AnyProvider]>>,
    /// Which of the arguments' providers more than one user asks for.
    sharing: Sharing,
    decls: D,
    /// [`Waits`] or [`AtOnce`].
    handler: H,
}

impl<D, H> Endpoint for PipelineEndpoint<D, H>
where
    D: Decls,
    H: Handler<D::Args>,
{
    fn info(&self) -> EndpointInfo {
        let decls = self.decls;
        info_of_parts(
            self.operation,
            self.dependencies.as_deref(),
            decls.params(),
            D::providers(),
            Describe::new(move |doc| decls.describe(doc)),
        )
    }

    fn handle(&self, mut cx: RequestContext, inherited: Inherited) -> ResponseFuture {
        cx.strict_content_type = self.operation.strict_content_type;
        let (own, decls, handler) = (self.dependencies.clone(), self.decls, self.handler.clone());
        let sharing = self.sharing;
        if D::LARGE_EXTRACTION {
            Box::pin(run_endpoint::<_, _, Boxed>(
                self.operation,
                cx,
                inherited,
                own,
                sharing,
                decls,
                handler,
            ))
        } else {
            Box::pin(run_endpoint::<_, _, Inline>(
                self.operation,
                cx,
                inherited,
                own,
                sharing,
                decls,
                handler,
            ))
        }
    }

    fn at_once(self: Arc<Self>) -> Option<Arc<dyn AnswerAtOnce>> {
        let at_once = H::AT_ONCE && self.dependencies.is_none() && self.decls.reads_at_once();
        at_once.then_some(self as Arc<dyn AnswerAtOnce>)
    }
}

/// What [`Endpoint::info`] makes of an endpoint's parts. Not generic, so
/// that each endpoint's code holds only what its types decide (the
/// arguments' specs, providers and description), not a copy of this.
fn info_of_parts(
    operation: &'static Operation,
    own: Option<&[AnyProvider]>,
    params: Vec<&'static ParamSpec>,
    argument_providers: Vec<ProviderInfo>,
    describe_arguments: Describe,
) -> EndpointInfo {
    let route_dependencies: Vec<ProviderInfo> = own
        .unwrap_or_default()
        .iter()
        .map(AnyProvider::info)
        .collect();
    let mut dependencies = route_dependencies.clone();
    dependencies.extend(argument_providers);
    let describe = Describe::new(move |doc| {
        for dependency in &route_dependencies {
            doc.dependency(dependency);
        }
        describe_arguments.call(doc);
    });
    EndpointInfo::new(operation, params, dependencies, describe)
}

/// The endpoint's pipeline run in place, for a route that inherits no
/// dependency: the same steps as [`run_endpoint`], each ready at once (no
/// dependency, arguments read at once, a function that never awaits).
impl<D, H> AnswerAtOnce for PipelineEndpoint<D, H>
where
    D: Decls,
    H: Handler<D::Args>,
{
    fn answer_at_once(&self, cx: &mut RequestContext, inherited: &Inherited) -> Response {
        let mut errors = ValidationErrors::new();
        cx.sharing = self.sharing;
        cx.strict_content_type = self.operation.strict_content_type;
        let mut response = match ready_at_once(self.decls.extract(cx, &mut errors)) {
            None => waited(
                self.operation,
                "an argument said to read at once (`FromRequest::reads_at_once`)",
            ),
            Some(Err(rejection)) => rejection.into_response(),
            Some(Ok(Some(args))) if errors.is_empty() && crate::traces::on() => {
                crate::traces::around(
                    || self.operation.name,
                    Step::Handler,
                    || self.handler.call_at_once(args, self.operation),
                )
            }
            Some(Ok(Some(args))) if errors.is_empty() => {
                self.handler.call_at_once(args, self.operation)
            }
            Some(Ok(_)) => invalid_request(cx, inherited, errors),
        };
        finish(cx, inherited, &mut response);
        response
    }
}

/// A provider's arguments and function, as `#[dependency]` declares them.
pub struct ProviderPipeline<D, F, T> {
    decl: &'static ProviderDecl,
    decls: D,
    call: F,
    provides: PhantomData<fn() -> T>,
}

/// A provider's pipeline as the `Provider` impl `#[dependency]` writes
/// sees it: what it declares, and how it runs.
pub trait ProviderPipe: Sized {
    /// The provided type.
    type Output;

    /// What the provider declares; `id` is its type's.
    fn info(&self, id: TypeId) -> ProviderInfo;

    /// True when [`ProviderPipe::provide`]'s future is ready the first
    /// time it is polled: the function does not wait
    /// ([`ProviderDecl::waits`]) and every argument is read at once.
    fn reads_at_once(&self) -> bool;

    /// Runs the provider for a request (an unboxed future).
    fn provide<'a>(
        self,
        cx: &'a mut RequestContext,
        errors: &'a mut ValidationErrors,
    ) -> impl Future<Output = Provided<Self::Output>> + Send + 'a;
}

/// A provider configured with values: FastAPI's callable instance
/// (`checker = FixedContentQueryChecker("bar")`, then
/// `Depends(checker)`).
///
/// (It lives here, beside [`ProviderPipe`], the kind of value it returns.)
/// `#[dependency]` on an `impl` block whose `call(&self, ...)` method
/// provides the value implements it for the type; `#[dependency]` on a
/// `static` of that type makes the value a provider of its own, named
/// like the static: `#[depends(CHECKER)] included: bool`. Each static is
/// its own provider: its own cache entry, its own override, the
/// parameters of `call` in the document of every route using it.
///
/// ```
/// use fastrs::prelude::*;
///
/// /// Whether `q` holds the fixed content.
/// pub struct FixedContentQueryChecker {
///     fixed_content: &'static str,
/// }
///
/// #[dependency]
/// impl FixedContentQueryChecker {
///     async fn call(&self, #[param(default = "")] q: String) -> bool {
///         !q.is_empty() && q.contains(self.fixed_content)
///     }
/// }
///
/// #[dependency]
/// static CHECKER: FixedContentQueryChecker = FixedContentQueryChecker { fixed_content: "bar" };
///
/// #[endpoint(GET "/query-checker")]
/// async fn read_query_check(#[depends(CHECKER)] fixed_content_included: bool) -> String {
///     format!("{{\"fixed_content_in_query\": {fixed_content_included}}}")
/// }
/// ```
pub trait ConfiguredProvider: Send + Sync + 'static {
    /// The provided type.
    type Output: Send + Sync + 'static;

    /// The scope of every value of the type.
    fn scope() -> Scope;

    /// The pipeline of the provider `this`: its arguments, then `call`.
    fn pipeline(this: &'static Self) -> impl ProviderPipe<Output = Self::Output>;
}

impl<D, F, Fut, T> ProviderPipe for ProviderPipeline<D, F, T>
where
    D: Decls,
    T: 'static,
    F: FnOnce(D::Args) -> Fut + Send + 'static,
    Fut: Future<Output = Provided<T>> + Send + 'static,
{
    type Output = T;

    fn info(&self, id: TypeId) -> ProviderInfo {
        let decls = self.decls;
        ProviderInfo {
            name: self.decl.name,
            id,
            scope: self.decl.scope,
            params: self.decls.params(),
            dependencies: D::providers,
            describe: Describe::new(move |doc| decls.describe(doc)),
        }
    }

    fn reads_at_once(&self) -> bool {
        !self.decl.waits && self.decls.reads_at_once()
    }

    fn provide<'a>(
        self,
        cx: &'a mut RequestContext,
        errors: &'a mut ValidationErrors,
    ) -> impl Future<Output = Provided<T>> + Send + 'a {
        provide::<D, T, F, Fut>(cx, errors, self.decls, self.call)
    }
}

/// The endpoint the constructors below make, its type erased.
fn pipeline_endpoint<D, H>(
    operation: &'static Operation,
    dependencies: Vec<AnyProvider>,
    decls: D,
    handler: H,
) -> RouteEndpoint
where
    D: Decls,
    H: Handler<D::Args>,
{
    RouteEndpoint(Arc::new(PipelineEndpoint {
        operation,
        dependencies: shared_dependencies(dependencies),
        sharing: sharing_of(&D::providers()),
        decls,
        handler,
    }))
}

/// An endpoint's own dependencies, shared by its requests (none: `None`).
fn shared_dependencies(dependencies: Vec<AnyProvider>) -> Option<Arc<[AnyProvider]>> {
    (!dependencies.is_empty()).then(|| dependencies.into())
}

macro_rules! constructors {
    ($endpoint:ident, $at_once:ident, $provider:ident $(, ($T:ident, $M:ident, $V:ident, $d:ident))*) => {
        /// Makes an endpoint of this many arguments; called by the code
        /// `#[endpoint]` generates, once, when the route is registered. Each
        /// argument's declaration is its own parameter, so that a type that
        /// cannot be an argument is reported at that argument. `handler`
        /// calls the user's function and turns its value into the response.
        #[allow(clippy::too_many_arguments)]
        #[doc(hidden)]
        pub fn $endpoint<$($T, $M, $V,)* F, Fut>(
            operation: &'static Operation,
            dependencies: Vec<AnyProvider>,
            $($d: Declared<$T, $M, $V>,)*
            handler: F,
        ) -> RouteEndpoint
        where
            $($T: FromRequest<$M, Value = $V>, $M: 'static,)*
            F: Fn(($($T,)*)) -> Fut + Clone + Send + Sync + 'static,
            Fut: Future<Output = Response> + Send + 'static,
        {
            pipeline_endpoint(operation, dependencies, ($($d,)*), Waits(handler))
        }

        /// Makes an endpoint of this many arguments whose function never
        /// awaits: `#[endpoint]` found no `.await` in it and wrote it as a
        /// plain `fn`, which `handler` calls. When its arguments are all
        /// read at once too, the route answers in place
        /// ([`AnswerAtOnce`]).
        #[allow(clippy::too_many_arguments)]
        #[doc(hidden)]
        pub fn $at_once<$($T, $M, $V,)* F>(
            operation: &'static Operation,
            dependencies: Vec<AnyProvider>,
            $($d: Declared<$T, $M, $V>,)*
            handler: F,
        ) -> RouteEndpoint
        where
            $($T: FromRequest<$M, Value = $V>, $M: 'static,)*
            F: Fn(($($T,)*)) -> Response + Clone + Send + Sync + 'static,
        {
            pipeline_endpoint(operation, dependencies, ($($d,)*), AtOnce(handler))
        }

        /// Makes a provider's pipeline of this many arguments; called by the
        /// code `#[dependency]` generates. As for endpoints, each argument's
        /// declaration is its own parameter.
        #[allow(clippy::too_many_arguments)]
        #[doc(hidden)]
        pub fn $provider<$($T, $M, $V,)* T, F, Fut>(
            decl: &'static ProviderDecl,
            $($d: Declared<$T, $M, $V>,)*
            call: F,
        ) -> impl ProviderPipe<Output = T>
        where
            $($T: FromRequest<$M, Value = $V>, $M: 'static,)*
            T: 'static,
            F: FnOnce(($($T,)*)) -> Fut + Send + 'static,
            Fut: Future<Output = Provided<T>> + Send + 'static,
        {
            ProviderPipeline {
                decl,
                decls: ($($d,)*),
                call,
                provides: PhantomData,
            }
        }
    };
}

constructors!(endpoint_0, endpoint_at_once_0, provider_0);
constructors!(endpoint_1, endpoint_at_once_1, provider_1, (A, MA, VA, a));
constructors!(
    endpoint_2,
    endpoint_at_once_2,
    provider_2,
    (A, MA, VA, a),
    (B, MB, VB, b)
);
constructors!(
    endpoint_3,
    endpoint_at_once_3,
    provider_3,
    (A, MA, VA, a),
    (B, MB, VB, b),
    (C, MC, VC, c)
);
constructors!(
    endpoint_4,
    endpoint_at_once_4,
    provider_4,
    (A, MA, VA, a),
    (B, MB, VB, b),
    (C, MC, VC, c),
    (D, MD, VD, d)
);
constructors!(
    endpoint_5,
    endpoint_at_once_5,
    provider_5,
    (A, MA, VA, a),
    (B, MB, VB, b),
    (C, MC, VC, c),
    (D, MD, VD, d),
    (E, ME, VE, e)
);
constructors!(
    endpoint_6,
    endpoint_at_once_6,
    provider_6,
    (A, MA, VA, a),
    (B, MB, VB, b),
    (C, MC, VC, c),
    (D, MD, VD, d),
    (E, ME, VE, e),
    (G, MG, VG, g)
);
constructors!(
    endpoint_7,
    endpoint_at_once_7,
    provider_7,
    (A, MA, VA, a),
    (B, MB, VB, b),
    (C, MC, VC, c),
    (D, MD, VD, d),
    (E, ME, VE, e),
    (G, MG, VG, g),
    (H, MH, VH, h)
);
constructors!(
    endpoint_8,
    endpoint_at_once_8,
    provider_8,
    (A, MA, VA, a),
    (B, MB, VB, b),
    (C, MC, VC, c),
    (D, MD, VD, d),
    (E, ME, VE, e),
    (G, MG, VG, g),
    (H, MH, VH, h),
    (I, MI, VI, i)
);
constructors!(
    endpoint_9,
    endpoint_at_once_9,
    provider_9,
    (A, MA, VA, a),
    (B, MB, VB, b),
    (C, MC, VC, c),
    (D, MD, VD, d),
    (E, ME, VE, e),
    (G, MG, VG, g),
    (H, MH, VH, h),
    (I, MI, VI, i),
    (J, MJ, VJ, j)
);
constructors!(
    endpoint_10,
    endpoint_at_once_10,
    provider_10,
    (A, MA, VA, a),
    (B, MB, VB, b),
    (C, MC, VC, c),
    (D, MD, VD, d),
    (E, ME, VE, e),
    (G, MG, VG, g),
    (H, MH, VH, h),
    (I, MI, VI, i),
    (J, MJ, VJ, j),
    (K, MK, VK, k)
);
constructors!(
    endpoint_11,
    endpoint_at_once_11,
    provider_11,
    (A, MA, VA, a),
    (B, MB, VB, b),
    (C, MC, VC, c),
    (D, MD, VD, d),
    (E, ME, VE, e),
    (G, MG, VG, g),
    (H, MH, VH, h),
    (I, MI, VI, i),
    (J, MJ, VJ, j),
    (K, MK, VK, k),
    (L, ML, VL, l)
);
constructors!(
    endpoint_12,
    endpoint_at_once_12,
    provider_12,
    (A, MA, VA, a),
    (B, MB, VB, b),
    (C, MC, VC, c),
    (D, MD, VD, d),
    (E, ME, VE, e),
    (G, MG, VG, g),
    (H, MH, VH, h),
    (I, MI, VI, i),
    (J, MJ, VJ, j),
    (K, MK, VK, k),
    (L, ML, VL, l),
    (N, MN, VN, n)
);
constructors!(
    endpoint_13,
    endpoint_at_once_13,
    provider_13,
    (A, MA, VA, a),
    (B, MB, VB, b),
    (C, MC, VC, c),
    (D, MD, VD, d),
    (E, ME, VE, e),
    (G, MG, VG, g),
    (H, MH, VH, h),
    (I, MI, VI, i),
    (J, MJ, VJ, j),
    (K, MK, VK, k),
    (L, ML, VL, l),
    (N, MN, VN, n),
    (O, MO, VO, o)
);
constructors!(
    endpoint_14,
    endpoint_at_once_14,
    provider_14,
    (A, MA, VA, a),
    (B, MB, VB, b),
    (C, MC, VC, c),
    (D, MD, VD, d),
    (E, ME, VE, e),
    (G, MG, VG, g),
    (H, MH, VH, h),
    (I, MI, VI, i),
    (J, MJ, VJ, j),
    (K, MK, VK, k),
    (L, ML, VL, l),
    (N, MN, VN, n),
    (O, MO, VO, o),
    (P, MP, VP, p)
);
constructors!(
    endpoint_15,
    endpoint_at_once_15,
    provider_15,
    (A, MA, VA, a),
    (B, MB, VB, b),
    (C, MC, VC, c),
    (D, MD, VD, d),
    (E, ME, VE, e),
    (G, MG, VG, g),
    (H, MH, VH, h),
    (I, MI, VI, i),
    (J, MJ, VJ, j),
    (K, MK, VK, k),
    (L, ML, VL, l),
    (N, MN, VN, n),
    (O, MO, VO, o),
    (P, MP, VP, p),
    (Q, MQ, VQ, q)
);
constructors!(
    endpoint_16,
    endpoint_at_once_16,
    provider_16,
    (A, MA, VA, a),
    (B, MB, VB, b),
    (C, MC, VC, c),
    (D, MD, VD, d),
    (E, ME, VE, e),
    (G, MG, VG, g),
    (H, MH, VH, h),
    (I, MI, VI, i),
    (J, MJ, VJ, j),
    (K, MK, VK, k),
    (L, ML, VL, l),
    (N, MN, VN, n),
    (O, MO, VO, o),
    (P, MP, VP, p),
    (Q, MQ, VQ, q),
    (R, MR, VR, r)
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::Body;

    /// glibc's thread cache serves allocations up to 1032 bytes (a 1024-byte
    /// request and its header); anything larger takes malloc's slow path,
    /// which cost a few hundred instructions per request when this future
    /// was 1560 bytes. Every request allocates it, so it must stay below.
    #[test]
    fn the_endpoint_future_of_a_plain_route_fits_the_allocator_cache() {
        let (head, ()) = http::Request::new(()).into_parts();
        let cx = RequestContext::new(head, Body::empty(), Arc::from(Vec::new()), Vec::new(), 0);
        let handler = Waits(|(): ()| async { Response::new(Body::empty()) });
        static OPERATION: Operation = Operation::undocumented("/", "plain");
        let future = run_endpoint::<_, _, Inline>(
            &OPERATION,
            cx,
            Inherited::default(),
            None,
            Sharing::ALL,
            (),
            handler,
        );
        let size = std::mem::size_of_val(&future);
        assert!(size <= 1024 - 256, "the endpoint future is {size} bytes");
    }
}
