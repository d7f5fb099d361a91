//! The route table: path templates to routes, by method. Generic over what
//! a route is (the app stores its endpoints with their routers'
//! dependencies), so that it knows nothing but paths and methods.
//!
//! Paths are matched by `matchit`, so static segments win over parameters
//! (`/users/me` beats `/users/{user_id}` whatever the registration order).
//! Templates use FastAPI's syntax: `{name}` for one segment and
//! `{name:path}` for the rest of the path, slashes included (and, as in
//! Starlette, possibly empty).
//!
//! Invariants kept at registration, so that they fail at startup and never
//! on a request: no two routes share a path and a method, no two templates
//! overlap ambiguously, and every template is valid.

use std::sync::Arc;

use http::{HeaderValue, Method};

/// The result of looking a request up.
pub(crate) enum RouteMatch<'a, R> {
    /// An endpoint for this path and method. `head` is set for HEAD
    /// requests, answered by a HEAD endpoint or else the GET one; the body
    /// of the answer is dropped.
    Found {
        route: &'a R,
        names: &'a Arc<[Box<str>]>,
        values: Vec<String>,
        head: bool,
    },
    /// The path exists, the method does not: 405 with `Allow`.
    MethodNotAllowed { allow: &'a HeaderValue },
    /// No route has this path.
    NotFound,
}

struct PathEntry<R> {
    template: String,
    /// The key in `router`, or `None` while the path has no method left.
    matchit_path: Option<String>,
    names: Arc<[Box<str>]>,
    methods: Vec<(Method, R)>,
    allow: HeaderValue,
}

/// All routes of an app.
pub(crate) struct RouteTable<R> {
    router: matchit::Router<usize>,
    entries: Vec<PathEntry<R>>,
}

impl<R> Default for RouteTable<R> {
    fn default() -> Self {
        RouteTable {
            router: matchit::Router::new(),
            entries: Vec::new(),
        }
    }
}

impl<R> RouteTable<R> {
    /// Adds `route` at `template` for `method`.
    ///
    /// # Errors
    /// A message for the developer when the template is invalid, overlaps
    /// another one, or the path already has this method.
    pub(crate) fn insert(
        &mut self,
        method: Method,
        template: &str,
        route: R,
    ) -> Result<(), String> {
        let (matchit_path, names, catch_all) = to_matchit(template)?;
        let index = match self.entries.iter().position(|e| e.template == template) {
            Some(index) if self.entries[index].matchit_path.is_some() => index,
            Some(index) => {
                self.router
                    .insert(matchit_path.clone(), index)
                    .map_err(|e| {
                        format!("route `{template}` conflicts with a route already registered: {e}")
                    })?;
                self.entries[index].matchit_path = Some(matchit_path);
                index
            }
            None => {
                let index = self.entries.len();
                self.router
                    .insert(matchit_path.clone(), index)
                    .map_err(|e| {
                        format!("route `{template}` conflicts with a route already registered: {e}")
                    })?;
                if catch_all {
                    // `{rest:path}` also matches an empty rest, as in Starlette.
                    let prefix = &matchit_path[..matchit_path.rfind('{').unwrap_or(0)];
                    let _ = self.router.insert(prefix.to_owned(), index);
                }
                self.entries.push(PathEntry {
                    template: template.to_owned(),
                    matchit_path: Some(matchit_path),
                    names: names.into(),
                    methods: Vec::new(),
                    allow: HeaderValue::from_static(""),
                });
                index
            }
        };
        let entry = &mut self.entries[index];
        if entry.methods.iter().any(|(m, _)| *m == method) {
            return Err(format!("route `{method} {template}` is registered twice"));
        }
        entry.methods.push((method, route));
        entry.allow = allow_header(&entry.methods);
        Ok(())
    }

    /// Removes the route at `template` for `method` (the docs pages, when
    /// their URLs change); nothing when there is none.
    pub(crate) fn remove(&mut self, method: &Method, template: &str) {
        let Some(entry) = self.entries.iter_mut().find(|e| e.template == template) else {
            return;
        };
        entry.methods.retain(|(m, _)| m != method);
        entry.allow = allow_header(&entry.methods);
        if entry.methods.is_empty() {
            if let Some(path) = entry.matchit_path.take() {
                self.router.remove(path);
            }
        }
    }

    /// Looks up `path` (already percent-decoded) for `method`.
    pub(crate) fn lookup(&self, method: &Method, path: &str) -> RouteMatch<'_, R> {
        let Ok(matched) = self.router.at(path) else {
            return RouteMatch::NotFound;
        };
        let entry = &self.entries[*matched.value];
        let find = |m: &Method| entry.methods.iter().find(|(em, _)| em == m);
        let (found, head) = match find(method) {
            Some(found) => (found, method == Method::HEAD),
            None if method == Method::HEAD => match find(&Method::GET) {
                Some(found) => (found, true),
                None => {
                    return RouteMatch::MethodNotAllowed {
                        allow: &entry.allow,
                    }
                }
            },
            None => {
                return RouteMatch::MethodNotAllowed {
                    allow: &entry.allow,
                }
            }
        };
        let mut values: Vec<String> = matched.params.iter().map(|(_, v)| v.to_owned()).collect();
        // The empty-rest variant of a `{name:path}` route has one value less.
        values.resize(entry.names.len(), String::new());
        RouteMatch::Found {
            route: &found.1,
            names: &entry.names,
            values,
            head,
        }
    }

    /// True when some route has `path`, whatever its method.
    pub(crate) fn has_path(&self, path: &str) -> bool {
        self.router.at(path).is_ok()
    }
}

/// `Allow` lists the methods declared for the path, as FastAPI does: a GET
/// route answers HEAD too, but, as in FastAPI, only GET is advertised.
fn allow_header<R>(methods: &[(Method, R)]) -> HeaderValue {
    let names: Vec<&str> = methods.iter().map(|(m, _)| m.as_str()).collect();
    HeaderValue::from_str(&names.join(", ")).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Converts a FastAPI template to matchit's syntax, with its parameter names
/// in order and whether it ends with a `{name:path}`.
fn to_matchit(template: &str) -> Result<(String, Vec<Box<str>>, bool), String> {
    if !template.starts_with('/') {
        return Err(format!("route `{template}` must start with `/`"));
    }
    let mut out = String::with_capacity(template.len() + 1);
    let mut names = Vec::new();
    let mut catch_all = false;
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if catch_all {
            return Err(format!(
                "in route `{template}`, a `{{name:path}}` parameter must come last"
            ));
        }
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| format!("route `{template}` has an unclosed `{{`"))?;
        let inner = &rest[open + 1..close];
        let (name, converter) = inner.split_once(':').unwrap_or((inner, ""));
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Err(format!(
                "route `{template}` has an invalid parameter name `{inner}`"
            ));
        }
        match converter {
            "" | "str" => out.push_str(&format!("{{{name}}}")),
            "path" => {
                out.push_str(&format!("{{*{name}}}"));
                catch_all = true;
            }
            other => {
                return Err(format!(
                    "route `{template}`: the converter `{other}` is not supported; \
                     use `{{{name}}}` with a typed argument, or `{{{name}:path}}`"
                ))
            }
        }
        names.push(Box::from(name));
        rest = &rest[close + 1..];
    }
    if catch_all && !rest.is_empty() {
        return Err(format!(
            "in route `{template}`, a `{{name:path}}` parameter must come last"
        ));
    }
    out.push_str(rest);
    Ok((out, names, catch_all))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(routes: &[(Method, &str)]) -> RouteTable<()> {
        let mut table = RouteTable::default();
        for (method, path) in routes {
            table.insert(method.clone(), path, ()).unwrap();
        }
        table
    }

    fn values(m: RouteMatch<'_, ()>) -> Vec<String> {
        match m {
            RouteMatch::Found { values, .. } => values,
            _ => panic!("expected a match"),
        }
    }

    #[test]
    fn static_segments_win_over_parameters() {
        let t = table(&[
            (Method::GET, "/users/{user_id}"),
            (Method::GET, "/users/me"),
        ]);
        assert!(values(t.lookup(&Method::GET, "/users/me")).is_empty());
        assert_eq!(values(t.lookup(&Method::GET, "/users/42")), ["42"]);
    }

    #[test]
    fn a_path_parameter_takes_the_rest_of_the_path() {
        let t = table(&[(Method::GET, "/files/{file_path:path}")]);
        assert_eq!(
            values(t.lookup(&Method::GET, "/files/home/a.txt")),
            ["home/a.txt"]
        );
        assert_eq!(values(t.lookup(&Method::GET, "/files//etc/x")), ["/etc/x"]);
        assert_eq!(values(t.lookup(&Method::GET, "/files/")), [""]);
    }

    #[test]
    fn other_methods_are_405_with_allow_and_head_follows_get() {
        let t = table(&[(Method::GET, "/items"), (Method::POST, "/items")]);
        match t.lookup(&Method::DELETE, "/items") {
            RouteMatch::MethodNotAllowed { allow } => assert_eq!(allow, "GET, POST"),
            _ => panic!("expected 405"),
        }
        assert!(matches!(
            t.lookup(&Method::HEAD, "/items"),
            RouteMatch::Found { head: true, .. }
        ));
        assert!(matches!(
            t.lookup(&Method::GET, "/nope"),
            RouteMatch::NotFound
        ));
    }

    #[test]
    fn conflicts_and_bad_templates_are_reported() {
        let mut t = table(&[(Method::GET, "/users/{id}")]);
        let twice = t.insert(Method::GET, "/users/{id}", ()).unwrap_err();
        assert!(twice.contains("registered twice"), "{twice}");
        let overlap = t.insert(Method::GET, "/users/{user_id}", ()).unwrap_err();
        assert!(overlap.contains("conflicts"), "{overlap}");
        let converter = t.insert(Method::GET, "/x/{n:int}", ()).unwrap_err();
        assert!(converter.contains("not supported"), "{converter}");
        assert!(t.insert(Method::GET, "nope", ()).is_err());
    }
}
