//! Cookies a response sets: [`SetCookie`], with Starlette's parameters and
//! defaults (`path="/"`, `samesite="lax"`), written as Starlette writes
//! them (Python's `http.cookies`): `name=value; Domain=...; expires=...;
//! HttpOnly; Max-Age=...; Path=/; SameSite=lax; Secure`. Set one through
//! the response handle ([`ResponseHandle`](crate::extract::ResponseHandle))
//! or on any response ([`ResponseCookies`]).

use std::time::{Duration, SystemTime};

use http::header::{HeaderValue, SET_COOKIE};

/// A cookie's `SameSite` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    /// `SameSite=lax`, Starlette's default.
    Lax,
    /// `SameSite=strict`.
    Strict,
    /// `SameSite=none` (browsers then require `Secure`).
    None,
}

/// When a cookie expires (`expires=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expires {
    /// This long after the response is written (Starlette's integer).
    In(Duration),
    /// At this time (Starlette's `datetime`).
    At(SystemTime),
}

/// A `Set-Cookie` header, with Starlette's `set_cookie` parameters and
/// defaults: `path` `/`, `samesite` `lax`, no `max_age`, `expires` or
/// `domain`, neither `secure` nor `httponly`.
///
/// ```
/// use fastrs::response::SetCookie;
///
/// let cookie = SetCookie::new("session", "abc").max_age(600).httponly(true);
/// assert_eq!(cookie.to_string(), "session=abc; HttpOnly; Max-Age=600; Path=/; SameSite=lax");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCookie {
    name: String,
    value: String,
    max_age: Option<i64>,
    expires: Option<Expires>,
    path: Option<String>,
    domain: Option<String>,
    secure: bool,
    httponly: bool,
    samesite: Option<SameSite>,
}

impl SetCookie {
    /// The cookie `name=value`, with Starlette's defaults.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        SetCookie {
            name: name.into(),
            value: value.into(),
            max_age: None,
            expires: None,
            path: Some("/".to_owned()),
            domain: None,
            secure: false,
            httponly: false,
            samesite: Some(SameSite::Lax),
        }
    }

    /// Starlette's `delete_cookie`: the cookie emptied, expiring now
    /// (`Max-Age=0`); give it the `path` and `domain` it was set with.
    pub fn removal(name: impl Into<String>) -> Self {
        SetCookie {
            max_age: Some(0),
            expires: Some(Expires::In(Duration::ZERO)),
            ..SetCookie::new(name, "")
        }
    }

    /// `Max-Age`, in seconds.
    pub fn max_age(mut self, seconds: i64) -> Self {
        self.max_age = Some(seconds);
        self
    }

    /// `expires`, this long after the response is written.
    pub fn expires_in(mut self, after: Duration) -> Self {
        self.expires = Some(Expires::In(after));
        self
    }

    /// `expires`, at this time.
    pub fn expires_at(mut self, at: SystemTime) -> Self {
        self.expires = Some(Expires::At(at));
        self
    }

    /// `Path` (`/` unless set; `None` leaves it out).
    pub fn path(mut self, path: Option<&str>) -> Self {
        self.path = path.map(str::to_owned);
        self
    }

    /// `Domain`.
    pub fn domain(mut self, domain: &str) -> Self {
        self.domain = Some(domain.to_owned());
        self
    }

    /// `Secure`: sent over HTTPS only.
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// `HttpOnly`: hidden from scripts.
    pub fn httponly(mut self, httponly: bool) -> Self {
        self.httponly = httponly;
        self
    }

    /// `SameSite` (`lax` unless set; `None` leaves it out).
    pub fn samesite(mut self, samesite: Option<SameSite>) -> Self {
        self.samesite = samesite;
        self
    }

    /// The header's value, or `None` for a name Python's cookies refuse
    /// (Starlette raises `CookieError`).
    pub fn header_value(&self) -> Option<HeaderValue> {
        if self.name.is_empty() || !self.name.chars().all(is_legal) {
            return None;
        }
        HeaderValue::from_str(&self.to_string()).ok()
    }
}

/// The characters Python's `http.cookies` writes without quoting.
fn is_legal(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~:".contains(c)
}

/// Python's `http.cookies._quote`: a value with other characters is
/// quoted, `"` and `\` escaped, and the rest outside printable ASCII (and
/// `,` and `;`) written as octal escapes.
fn quoted(value: &str, out: &mut String) {
    if !value.is_empty() && value.chars().all(is_legal) {
        out.push_str(value);
        return;
    }
    out.push('"');
    for byte in value.bytes() {
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b',' | b';' | 0..=31 | 127..=255 => out.push_str(&format!("\\{byte:03o}")),
            _ => out.push(char::from(byte)),
        }
    }
    out.push('"');
}

impl std::fmt::Display for SetCookie {
    /// Python's `Morsel.OutputString`: the attributes in the order of their
    /// names (domain, expires, httponly, max-age, path, samesite, secure).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = String::new();
        out.push_str(&self.name);
        out.push('=');
        quoted(&self.value, &mut out);
        if let Some(domain) = &self.domain {
            out.push_str("; Domain=");
            out.push_str(domain);
        }
        if let Some(expires) = self.expires {
            let at = match expires {
                Expires::In(after) => SystemTime::now() + after,
                Expires::At(at) => at,
            };
            out.push_str("; expires=");
            out.push_str(&httpdate::fmt_http_date(at));
        }
        if self.httponly {
            out.push_str("; HttpOnly");
        }
        if let Some(max_age) = self.max_age {
            out.push_str(&format!("; Max-Age={max_age}"));
        }
        if let Some(path) = &self.path {
            out.push_str("; Path=");
            out.push_str(path);
        }
        if let Some(samesite) = self.samesite {
            out.push_str(match samesite {
                SameSite::Lax => "; SameSite=lax",
                SameSite::Strict => "; SameSite=strict",
                SameSite::None => "; SameSite=none",
            });
        }
        if self.secure {
            out.push_str("; Secure");
        }
        f.write_str(&out)
    }
}

/// Cookies on any response (a raw `Response`, or one a middleware holds),
/// as Starlette's `response.set_cookie` and `response.delete_cookie`.
pub trait ResponseCookies {
    /// Adds `cookie`'s `Set-Cookie` header (none for a name Python's
    /// cookies refuse, logged).
    fn set_cookie(&mut self, cookie: SetCookie);

    /// Tells the client to drop the cookie `name` (set at `/`).
    fn delete_cookie(&mut self, name: &str) {
        self.set_cookie(SetCookie::removal(name));
    }
}

impl<B> ResponseCookies for http::Response<B> {
    fn set_cookie(&mut self, cookie: SetCookie) {
        match cookie.header_value() {
            Some(value) => {
                self.headers_mut().append(SET_COOKIE, value);
            }
            None => crate::log::error!(
                "the cookie name {:?} is not one a client accepts; not set",
                cookie.name
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_written_as_starlette_writes_them() {
        let plain = SetCookie::new("fakesession", "fake-cookie-session-value");
        assert_eq!(
            plain.to_string(),
            "fakesession=fake-cookie-session-value; Path=/; SameSite=lax"
        );
        let every = SetCookie::new("k", "v")
            .domain("example.com")
            .expires_at(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))
            .httponly(true)
            .max_age(60)
            .path(Some("/x"))
            .samesite(Some(SameSite::Strict))
            .secure(true);
        assert_eq!(
            every.to_string(),
            "k=v; Domain=example.com; expires=Tue, 14 Nov 2023 22:13:20 GMT; HttpOnly; Max-Age=60; Path=/x; SameSite=strict; Secure"
        );
        let bare = SetCookie::new("k", "v").path(None).samesite(None);
        assert_eq!(bare.to_string(), "k=v");
    }

    #[test]
    fn values_python_would_quote_are_quoted() {
        assert_eq!(
            SetCookie::new("k", "a b")
                .path(None)
                .samesite(None)
                .to_string(),
            "k=\"a b\""
        );
        assert_eq!(
            SetCookie::new("k", "a;b,\"c\\")
                .path(None)
                .samesite(None)
                .to_string(),
            "k=\"a\\073b\\054\\\"c\\\\\""
        );
        assert_eq!(
            SetCookie::new("k", "")
                .path(None)
                .samesite(None)
                .to_string(),
            "k=\"\""
        );
        assert!(SetCookie::new("bad name", "v").header_value().is_none());
    }

    #[test]
    fn a_removal_expires_now_with_max_age_0() {
        let text = SetCookie::removal("session").to_string();
        assert!(text.starts_with("session=\"\"; expires="), "{text}");
        assert!(
            text.ends_with(" GMT; Max-Age=0; Path=/; SameSite=lax"),
            "{text}"
        );
    }
}
