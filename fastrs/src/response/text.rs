//! FastAPI's text response classes: [`Html`] (`HTMLResponse`),
//! [`PlainText`] (`PlainTextResponse`) and [`Redirect`]
//! (`RedirectResponse`).

use bytes::Bytes;
use http::header::{HeaderValue, LOCATION};
use http::StatusCode;

use super::{media, with_content_type, Body, IntoResponse, Response};

/// An HTML answer, `text/html; charset=utf-8` (FastAPI's `HTMLResponse`),
/// documented as `text/html` with a string schema.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::response::Html;
///
/// #[endpoint(GET "/html")]
/// async fn html() -> Html {
///     Html("<h1>Hello</h1>".into())
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Html<T = String>(pub T);

/// A plain-text answer, `text/plain; charset=utf-8` (FastAPI's
/// `PlainTextResponse`), documented as `text/plain` with a string schema.
/// A `String` returned bare is sent the same way but documented as JSON,
/// as FastAPI documents a `str`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlainText<T = String>(pub T);

macro_rules! text_class {
    ($class:ident, $content_type:path) => {
        impl<T: Into<Bytes>> IntoResponse for $class<T> {
            fn into_response(self) -> Response {
                self.into_response_with_status(StatusCode::OK)
            }
            fn into_response_with_status(self, status: StatusCode) -> Response {
                with_content_type(status, $content_type(), self.0.into())
            }
        }
    };
}
text_class!(Html, media::text_html);
text_class!(PlainText, media::text_plain);

/// A response class that text is sent as: a `String` or `&'static str`
/// returned under `#[endpoint(..., response_class = C)]`, or by a route of
/// a router or app with `default_response_class::<C>()`, goes out with
/// `C`'s content type and is documented as `C` (FastAPI's
/// `HTMLResponse(content=text)`). [`Html`] and [`PlainText`] are text
/// classes; a class of one's own is one more `impl` (see the guide's
/// "Custom responses" page). What the document shows of the class is its
/// `fastrs::openapi::ResponseClass`.
///
/// ```
/// use fastrs::prelude::*;
///
/// #[endpoint(GET "/page", response_class = Html)]
/// async fn page() -> &'static str {
///     "<h1>Hello</h1>"
/// }
/// ```
pub trait TextClass {
    /// The `Content-Type` sent (`text/html; charset=utf-8`).
    const CONTENT_TYPE: &'static str;
}

impl<T: Into<Bytes>> TextClass for Html<T> {
    const CONTENT_TYPE: &'static str = "text/html; charset=utf-8";
}

impl<T: Into<Bytes>> TextClass for PlainText<T> {
    const CONTENT_TYPE: &'static str = "text/plain; charset=utf-8";
}

/// `text` sent as the text class `C`, with `status`.
pub fn text_as<C: TextClass>(text: Bytes, status: StatusCode) -> Response {
    with_content_type(
        status,
        const { HeaderValue::from_static(C::CONTENT_TYPE) },
        text,
    )
}

/// A redirect (FastAPI's `RedirectResponse`): `307 Temporary Redirect` by
/// default, with `location` and an empty body. The location is
/// percent-encoded where a URL may not hold a character as it is, as
/// Starlette does.
///
/// ```
/// use fastrs::prelude::*;
/// use fastrs::response::Redirect;
///
/// #[endpoint(GET "/go")]
/// async fn go() -> Redirect {
///     Redirect::to("/text")
/// }
///
/// assert_eq!(Redirect::permanent("/new").into_response().status(), 308);
/// ```
#[derive(Debug, Clone)]
pub struct Redirect {
    status: StatusCode,
    location: HeaderValue,
}

/// What Starlette leaves as it is in a redirect's location: the URL
/// characters (`:/%#?=@[]!$&'()*+,;`) and the unreserved ones.
const LOCATION_KEEPS: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b':')
    .remove(b'/')
    .remove(b'%')
    .remove(b'#')
    .remove(b'?')
    .remove(b'=')
    .remove(b'@')
    .remove(b'[')
    .remove(b']')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

impl Redirect {
    /// A `307 Temporary Redirect` to `location` (FastAPI's default: the
    /// client repeats the same method and body).
    pub fn to(location: &str) -> Self {
        Redirect::with_status(location, StatusCode::TEMPORARY_REDIRECT)
    }

    /// A `303 See Other`: the client follows with a GET (after a form POST).
    pub fn see_other(location: &str) -> Self {
        Redirect::with_status(location, StatusCode::SEE_OTHER)
    }

    /// A `308 Permanent Redirect`.
    pub fn permanent(location: &str) -> Self {
        Redirect::with_status(location, StatusCode::PERMANENT_REDIRECT)
    }

    /// A redirect with `status` (FastAPI's `status_code=`).
    pub fn with_status(location: &str, status: StatusCode) -> Self {
        let encoded = percent_encoding::utf8_percent_encode(location, LOCATION_KEEPS).to_string();
        let location = HeaderValue::try_from(encoded)
            .expect("a percent-encoded URL holds only visible ASCII, a valid header value");
        Redirect { status, location }
    }

    /// The status sent.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The `location` sent, percent-encoded.
    pub fn location(&self) -> &str {
        self.location
            .to_str()
            .expect("the location was built from visible ASCII")
    }
}

impl IntoResponse for Redirect {
    fn into_response(self) -> Response {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = self.status;
        response.headers_mut().insert(LOCATION, self.location);
        response
            .headers_mut()
            .insert(http::header::CONTENT_LENGTH, HeaderValue::from_static("0"));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::CONTENT_TYPE;

    async fn text(r: Response) -> String {
        String::from_utf8(r.into_body().collect_bytes().await.unwrap().to_vec()).unwrap()
    }

    #[tokio::test]
    async fn html_and_plain_text_carry_their_content_type_and_status() {
        let r = Html("<h1>Hello</h1>").into_response();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
        assert_eq!(text(r).await, "<h1>Hello</h1>");

        let r =
            PlainText(String::from("plain hello")).into_response_with_status(StatusCode::CREATED);
        assert_eq!(r.status(), StatusCode::CREATED);
        assert_eq!(r.headers()[CONTENT_TYPE], "text/plain; charset=utf-8");
        assert_eq!(text(r).await, "plain hello");
    }

    #[tokio::test]
    async fn a_redirect_is_307_with_location_and_an_empty_body() {
        let r = Redirect::to("/text").into_response();
        assert_eq!(r.status(), StatusCode::TEMPORARY_REDIRECT);
        assert_eq!(r.headers()[LOCATION], "/text");
        assert_eq!(r.headers()[http::header::CONTENT_LENGTH], "0");
        assert_eq!(text(r).await, "");
        assert_eq!(Redirect::see_other("/").status(), StatusCode::SEE_OTHER);
    }

    #[test]
    fn a_location_is_percent_encoded_as_starlette_does() {
        // Starlette: quote(url, safe=":/%#?=@[]!$&'()*+,;")
        assert_eq!(
            Redirect::to("/a b/é?x=1&y=ü#top").location(),
            "/a%20b/%C3%A9?x=1&y=%C3%BC#top"
        );
        assert_eq!(
            Redirect::to("https://example.com/~user/a-b_c.d").location(),
            "https://example.com/~user/a-b_c.d"
        );
        // A line break cannot smuggle a header in.
        assert_eq!(
            Redirect::to("/x\r\nSet-Cookie: a=1").location(),
            "/x%0D%0ASet-Cookie:%20a=1"
        );
    }
}
