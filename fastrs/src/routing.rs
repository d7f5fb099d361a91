//! The route table: path templates to routes, by method. Generic over what
//! a route is (the app stores its endpoints with their routers'
//! dependencies), so that it knows nothing but paths and methods.
//!
//! Paths are matched by `matchit`, so static segments win over parameters
//! (`/users/me` beats `/users/{user_id}` whatever the registration order).
//! Templates use FastAPI's syntax: `{name}` for one segment and
//! `{name:path}` for the rest of the path, slashes included (and, as in
//! Starlette, possibly empty). A template without a parameter is also kept
//! in a hash map by its path, looked up first: one hash instead of the
//! tree's walk, and the same answer, since an exact static match is what
//! `matchit` picks too.
//!
//! Invariants kept at registration, so that they fail at startup and never
//! on a request: no two routes share a path and a method, no two templates
//! overlap ambiguously, and every template is valid.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
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
    /// The templates without a parameter, by path: one hash and one
    /// comparison find them, where the tree walks its nodes. An exact static
    /// match is what `router` would answer too (static segments win), so
    /// this is a shortcut and never a different answer.
    statics: HashMap<Box<str>, usize, BuildHasherDefault<PathHasher>>,
    /// One bit per length of a static template ([`length_bit`]).
    static_lengths: u64,
    entries: Vec<PathEntry<R>>,
}

impl<R> Default for RouteTable<R> {
    fn default() -> Self {
        RouteTable {
            router: matchit::Router::new(),
            statics: HashMap::default(),
            static_lengths: 0,
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
                if self.entries[index].names.is_empty() {
                    self.add_static(template, index);
                }
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
                if names.is_empty() {
                    self.add_static(template, index);
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

    /// Adds the parameterless template at `entries[index]` to the static map.
    fn add_static(&mut self, template: &str, index: usize) {
        self.statics.insert(template.into(), index);
        self.static_lengths |= length_bit(template.len());
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
                self.statics.remove(template);
            }
        }
    }

    /// Looks up `path` (already percent-decoded) for `method`.
    pub(crate) fn lookup(&self, method: &Method, path: &str) -> RouteMatch<'_, R> {
        if let Some(&index) = self.static_index(path) {
            return self.at_entry(index, method, Vec::new);
        }
        let Ok(matched) = self.router.at(path) else {
            return RouteMatch::NotFound;
        };
        self.at_entry(*matched.value, method, || {
            let mut values: Vec<String> =
                matched.params.iter().map(|(_, v)| v.to_owned()).collect();
            // The empty-rest variant of a `{name:path}` route has one value
            // less.
            values.resize(self.entries[*matched.value].names.len(), String::new());
            values
        })
    }

    /// The static route of `path`, if any. A path whose length no static
    /// template has (most paths with a parameter) is not hashed at all.
    fn static_index(&self, path: &str) -> Option<&usize> {
        if self.static_lengths & length_bit(path.len()) == 0 {
            return None;
        }
        self.statics.get(path)
    }

    /// The match at the path `entries[index]` for `method`, its parameter
    /// values made only once the method is known to be there.
    fn at_entry(
        &self,
        index: usize,
        method: &Method,
        values: impl FnOnce() -> Vec<String>,
    ) -> RouteMatch<'_, R> {
        let entry = &self.entries[index];
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
        RouteMatch::Found {
            route: &found.1,
            names: &entry.names,
            values: values(),
            head,
        }
    }

    /// The template of the route `path` matches, whatever its method.
    #[cfg_attr(not(feature = "metrics"), allow(dead_code))]
    pub(crate) fn template_of(&self, path: &str) -> Option<&str> {
        let index = match self.static_index(path) {
            Some(&index) => index,
            None => *self.router.at(path).ok()?.value,
        };
        Some(&self.entries[index].template)
    }

    /// True when some route has `path`, whatever its method.
    pub(crate) fn has_path(&self, path: &str) -> bool {
        self.router.at(path).is_ok()
    }
}

/// A path length's bit in a set of lengths: its own below 63, one shared
/// bit from 63 up.
fn length_bit(len: usize) -> u64 {
    1 << len.min(63)
}

/// The hash of the static-route map: a multiply-rotate over eight bytes at
/// a time (the scheme of rustc's FxHash), several times cheaper than the
/// default SipHash on a short path. Its weakness to chosen collisions does
/// not matter here: the map is built once from the app's own templates and
/// only looked up afterwards, so a request's path can cost at most a walk
/// over the few entries that share its group.
#[derive(Default)]
struct PathHasher(u64);

impl PathHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for PathHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // Byte by byte: a copy of a length known only at run time is a
            // call to `memcpy`, dearer than these few shifts.
            let word = rest
                .iter()
                .fold(0u64, |word, &byte| word << 8 | u64::from(byte));
            self.add(word);
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        // A multiplication carries entropy upwards only: the rotation brings
        // the well-mixed high bits down to where the map picks its bucket.
        self.0.rotate_left(26)
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
    fn a_removed_static_route_is_gone_and_can_come_back() {
        let mut t = table(&[(Method::GET, "/docs"), (Method::GET, "/{page}")]);
        assert!(values(t.lookup(&Method::GET, "/docs")).is_empty());
        t.remove(&Method::GET, "/docs");
        // The parameter route answers now, as matchit alone would.
        assert_eq!(values(t.lookup(&Method::GET, "/docs")), ["docs"]);
        t.insert(Method::GET, "/docs", ()).unwrap();
        assert!(values(t.lookup(&Method::GET, "/docs")).is_empty());
    }

    /// A GET table of `paths`, each path's route its index, after checking
    /// that every path finds its own route.
    fn each_found_by_its_index<P: AsRef<str>>(paths: &[P]) -> RouteTable<usize> {
        let mut t = RouteTable::default();
        for (i, path) in paths.iter().enumerate() {
            t.insert(Method::GET, path.as_ref(), i).unwrap();
        }
        for (i, path) in paths.iter().enumerate() {
            let path = path.as_ref();
            match t.lookup(&Method::GET, path) {
                RouteMatch::Found { route, .. } => assert_eq!(*route, i, "{path}"),
                _ => panic!("{path} not found"),
            }
        }
        t
    }

    #[test]
    fn static_paths_of_every_length_are_found() {
        // Lengths below and above the length filter's shared bit (63), and
        // paths that differ only past the hash's first eight bytes.
        let long = format!("/{}", "a".repeat(80));
        let longer = format!("/{}", "a".repeat(81));
        let paths = [
            "/",
            "/abcdefgh",
            "/abcdefgi",
            "/abcdefghijklmnop",
            &long,
            &longer,
        ];
        let t = each_found_by_its_index(&paths);
        for missing in [
            "/abcdefgj",
            "/abcdefghijklmnoq",
            &format!("/{}", "a".repeat(82)),
        ] {
            assert!(
                matches!(t.lookup(&Method::GET, missing), RouteMatch::NotFound),
                "{missing}"
            );
        }
    }

    #[test]
    fn many_static_routes_that_differ_late_are_each_found() {
        let paths: Vec<String> = (0..300)
            .map(|i| format!("/api/v1/resource-{i:04}"))
            .collect();
        let t = each_found_by_its_index(&paths);
        assert!(matches!(
            t.lookup(&Method::GET, "/api/v1/resource-0300"),
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
