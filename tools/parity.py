#!/usr/bin/env python3
"""Sends the same requests to a FastAPI reference app and to its fastrs port
and prints every difference in status, body and relevant headers, then
compares the two `/openapi.json` documents.

    python3 tools/parity.py params http://127.0.0.1:9001 http://127.0.0.1:8001

The documents are compared as the parity rule reads: key order does not
matter, and `{"type": [A, "null"]}` is the same schema as
`{"anyOf": [{"type": A}, {"type": "null"}]}`. Two differences are on
purpose (the README's "Where fastrs answers differently from FastAPI") and
are listed without failing: the integer formats fastrs adds (`int64`,
`uint32`, ...) and the default title (the executable's name, where
FastAPI says "FastAPI"). An app without request cases below is compared
by its document alone.

With `--emit-rust` in place of the port's URL, it prints a Rust test file
that pins the reference app's answers as literals (how
examples/tests/*.rs were written; review the output before committing it):

    python3 tools/parity.py params http://127.0.0.1:9001 --emit-rust > examples/tests/params.rs

Only the standard library is used. The request lists below are the cases the
Rust tests pin; when a case is added there, add it here too and re-run.
Exit status 1 when anything differs.
"""
import http.client
import json
import sys
import urllib.parse

HEADERS_COMPARED = ["allow", "location", "x-error", "content-type"]

JSON = {"Content-Type": "application/json"}

CASES = {
    "body": [
        ("create_item_without_tax", "POST", "/items", JSON, '{"name": "Foo", "price": 50.5}'),
        ("create_item_with_tax_adds_price_with_tax", "POST", "/items", JSON, '{"name": "Foo", "description": "d", "price": 50.5, "tax": 10}'),
        ("price_as_a_string_is_coerced", "POST", "/items", JSON, '{"name": "Foo", "price": "50.5"}'),
        ("missing_fields_report_the_enclosing_object", "POST", "/items", JSON, '{}'),
        ("wrong_types_are_all_reported", "POST", "/items", JSON, '{"name": 5, "price": "x", "tax": [1], "description": true}'),
        ("integer_name_is_not_a_string", "POST", "/items", JSON, '{"name": 42, "price": 1}'),
        ("unknown_keys_are_ignored", "POST", "/items", JSON, '{"name": "a", "price": 1, "extra": 1}'),
        ("duplicate_keys_take_the_last", "POST", "/items", JSON, '{"name": "a", "name": "b", "price": 1}'),
        ("a_list_body_is_not_a_model", "POST", "/items", JSON, '[1]'),
        ("a_string_body_is_not_a_model", "POST", "/items", JSON, '"x"'),
        ("null_body_is_not_a_model", "POST", "/items", JSON, 'null'),
        ("no_content_type_is_422", "POST", "/items", {}, '{"name": "x", "price": 1}'),
        ("text_plain_is_422", "POST", "/items", {"Content-Type": "text/plain"}, '{"name": "x", "price": 1}'),
        ("json_suffix_content_type_is_read", "POST", "/items", {"Content-Type": "application/vnd.api+json"}, '{"name": "x", "price": 1}'),
        ("json_content_type_with_charset_is_read", "POST", "/items", {"Content-Type": "application/json; charset=utf-8"}, '{"name": "x", "price": 1}'),
        ("empty_body_is_missing", "POST", "/items", JSON, ''),
        ("no_body_no_content_type_is_missing", "POST", "/items", {}, ''),
        ("invalid_json_value", "POST", "/items", JSON, '{"name": x}'),
        ("invalid_json_trailing_comma", "POST", "/items", JSON, '{"name": "x",}'),
        ("invalid_json_missing_colon", "POST", "/items", JSON, '{"name"'),
        ("invalid_json_unterminated_string", "POST", "/items", JSON, '{"name": "x'),
        ("invalid_json_extra_data", "POST", "/items", JSON, '{"name": "x", "price": 1} 5'),
        ("invalid_json_after_a_newline", "POST", "/items", JSON, '{\n  "name": "x",\n  "price": ?\n}'),
        ("invalid_utf8_is_400", "POST", "/items", JSON, b'{"name": "\xff", "price": 1}'),
        ("update_item_with_query", "PUT", "/items/5?q=hi", JSON, '{"name": "Foo", "price": 1}'),
        ("update_item_reports_path_query_and_body_errors_in_order", "PUT", "/items/x", JSON, '{"price": "y"}'),
        ("update_item_without_body", "PUT", "/items/5", {}, ''),
        ("embedded_body_is_keyed_by_argument", "PUT", "/priced/1", JSON, '{"item": {"name": "a", "price": 2.5}}'),
        ("embedded_body_not_embedded_is_missing", "PUT", "/priced/1", JSON, '{"name": "a", "price": 0}'),
        ("embedded_body_constraint_violated", "PUT", "/priced/1", JSON, '{"item": {"name": "a", "price": 0}}'),
        ("embedded_body_description_too_long", "PUT", "/priced/1", JSON, '{"item": {"name": "a", "price": 1, "description": "' + "d" * 301 + '"}}'),
        ("embedded_body_empty", "PUT", "/priced/1", JSON, ''),
        ("several_bodies", "PUT", "/offers/1", JSON, '{"offer": {"name": "o"}, "user": {"username": "u"}, "importance": "3"}'),
        ("several_bodies_with_images", "PUT", "/offers/1", JSON, '{"offer": {"name": "o", "tags": ["a"], "images": [{"url": "http://x", "name": "i"}]}, "user": {"username": "u", "full_name": "U"}, "importance": 1}'),
        ("several_bodies_nested_errors_and_missing", "PUT", "/offers/1", JSON, '{"offer": {"name": "o", "images": [{"url": "", "name": 1}]}, "importance": 0}'),
        ("several_bodies_wrong_shapes", "PUT", "/offers/x", JSON, '{"offer": [], "user": "u", "importance": "many"}'),
        ("several_bodies_nested_list_errors", "PUT", "/offers/1", JSON, '{"offer": {"name": "o", "tags": "a", "images": [5, {"url": "u"}]}, "user": {"username": null}, "importance": 1.5}'),
        ("several_bodies_empty", "PUT", "/offers/1", JSON, ''),
        ("several_bodies_not_json", "PUT", "/offers/1", {"Content-Type": "text/plain"}, 'hello'),
        ("index_weights_parse_int_keys", "POST", "/index-weights", JSON, '{"1": 2.5, "02": "3"}'),
        ("index_weights_bad_key_and_value", "POST", "/index-weights", JSON, '{"x": 1, "2": "y"}'),
        ("index_weights_not_an_object", "POST", "/index-weights", JSON, '[1]'),
    ],
    "response_model": [
        ("create_user_hides_the_password", "POST", "/user", JSON, '{"username": "u", "password": "p", "email": "a@Example.com", "full_name": "U"}'),
        ("create_user_without_email_is_422", "POST", "/user", JSON, '{"username": "u", "password": "p"}'),
        ("create_user_with_bad_email", "POST", "/user", JSON, '{"username": "u", "password": "p", "email": "bad"}'),
        ("create_user_with_email_without_period", "POST", "/user", JSON, '{"username": "u", "password": "p", "email": "a@b"}'),
        ("item_defaults_are_filled_in", "GET", "/items/foo", {}),
        ("item_values_are_converted", "GET", "/items/bar", {}),
        ("item_with_nulls", "GET", "/items/baz", {}),
        ("unknown_item_is_404", "GET", "/items/nope", {}),
        ("list_response_model", "GET", "/items", {}),
        ("delete_is_204", "DELETE", "/items/foo", {}),
        ("delete_unknown_is_404", "DELETE", "/items/nope", {}),
    ],
    "first_steps": [
        ("root_says_hello", "GET", "/", {}),
        ("root_rejects_post_with_allow", "POST", "/", {}),
        ("unknown_path_is_404", "GET", "/nope", {}),
    ],
    "params": [
        ("item_id_is_parsed_as_int", "GET", "/items/5", {}),
        ("item_id_not_an_int_is_422", "GET", "/items/foo", {}),
        ("item_id_with_fraction_is_int_parsing", "GET", "/items/42.5", {}),
        ("item_id_with_spaces_is_trimmed", "GET", "/items/%2042%20", {}),
        ("item_id_with_underscores_is_accepted", "GET", "/items/1_000", {}),
        ("item_id_with_zero_fraction_is_accepted", "GET", "/items/42.0", {}),
        ("items_with_trailing_slash_and_no_id_is_404", "GET", "/items/", {}),
        ("item_with_trailing_slash_redirects", "GET", "/items/5/", {}),
        ("users_me_wins_over_user_id", "GET", "/users/me", {}),
        ("user_id_is_a_string", "GET", "/users/alice", {}),
        ("model_alexnet", "GET", "/models/alexnet", {}),
        ("model_resnet", "GET", "/models/resnet", {}),
        ("model_lenet", "GET", "/models/lenet", {}),
        ("unknown_model_is_enum_error", "GET", "/models/vgg", {}),
        ("model_names_are_case_sensitive", "GET", "/models/Alexnet", {}),
        ("file_path_takes_the_rest_of_the_path", "GET", "/files/home/johndoe/myfile.txt", {}),
        ("file_path_keeps_a_leading_slash", "GET", "/files//home/johndoe/myfile.txt", {}),
        ("file_path_may_be_empty", "GET", "/files/", {}),
        ("file_path_is_percent_decoded", "GET", "/files/a%20b", {}),
        ("user_item_defaults", "GET", "/users/3/items/foo", {}),
        ("user_item_with_q_and_short", "GET", "/users/3/items/foo?q=hi&short=1", {}),
        ("short_accepts_yes", "GET", "/users/3/items/foo?short=yes", {}),
        ("short_rejects_maybe", "GET", "/users/3/items/foo?short=maybe", {}),
        ("empty_q_is_left_out", "GET", "/users/3/items/foo?q=", {}),
        ("path_and_query_errors_are_all_reported", "GET", "/users/x/items/foo?short=2", {}),
        ("repeated_scalar_query_takes_the_last", "GET", "/users/3/items/foo?short=True&short=off", {}),
        ("catalog_defaults", "GET", "/catalog", {}),
        ("catalog_skip", "GET", "/catalog?skip=1", {}),
        ("catalog_skip_and_limit", "GET", "/catalog?skip=1&limit=1", {}),
        ("catalog_negative_skip_slices_like_python", "GET", "/catalog?skip=-1", {}),
        ("catalog_negative_limit_slices_like_python", "GET", "/catalog?limit=-1", {}),
        ("catalog_bad_skip_and_limit_are_both_reported", "GET", "/catalog?skip=x&limit=y", {}),
        ("catalog_empty_skip_is_int_parsing", "GET", "/catalog?skip=", {}),
        ("catalog_skip_past_the_end_is_empty", "GET", "/catalog?skip=20", {}),
        ("needy_without_needy_is_missing", "GET", "/needy/foo", {}),
        ("needy_with_needy", "GET", "/needy/foo?needy=sooo", {}),
        ("needy_with_everything", "GET", "/needy/foo?needy=a&skip=2&limit=3", {}),
        ("needy_reports_missing_and_bad_values", "GET", "/needy/foo?skip=a&limit=b", {}),
        ("search_without_query", "GET", "/search", {}),
        ("search_with_the_fixed_query", "GET", "/search?item-query=fixedquery", {}),
        ("search_query_too_short", "GET", "/search?item-query=ab", {}),
        ("search_query_too_long", "GET", "/search?item-query=" + "a" * 51, {}),
        ("search_query_not_matching_the_pattern", "GET", "/search?item-query=nonfixed", {}),
        ("search_reads_the_alias_not_the_name", "GET", "/search?q=fixedquery", {}),
        ("search_empty_query_is_too_short", "GET", "/search?item-query=", {}),
        ("tags_absent_is_null", "GET", "/tags", {}),
        ("tags_repeated_keys_fill_the_list", "GET", "/tags?q=foo&q=bar", {}),
        ("tags_empty_value_is_an_empty_string", "GET", "/tags?q=", {}),
        ("measure_int_size_is_a_float", "GET", "/measure/5?size=2", {}),
        ("measure_within_bounds", "GET", "/measure/5?size=10.4", {}),
        ("measure_both_lower_bounds_violated", "GET", "/measure/0?size=0", {}),
        ("measure_both_upper_bounds_violated", "GET", "/measure/1001?size=10.5", {}),
        ("measure_at_the_inclusive_bound", "GET", "/measure/1000?size=0.1", {}),
        ("measure_without_size_is_missing", "GET", "/measure/5", {}),
        ("measure_unparsable_values", "GET", "/measure/x?size=y", {}),
        ("measure_nan_size", "GET", "/measure/5?size=nan", {}),
        ("measure_infinite_size", "GET", "/measure/5?size=inf", {}),
        ("measure_negative_infinite_size", "GET", "/measure/5?size=-inf", {}),
        ("headers_absent_are_null", "GET", "/headers", {}),
        ("headers_are_read_case_insensitively", "GET", "/headers", {"User-Agent": "curl/8", "X-Token": "foo"}),
        ("repeated_headers_fill_a_list_and_underscores_stay", "GET", "/headers",
         {"x-token": ["foo", "bar"], "strange_header": "s", "strange-header": "t"}),
        ("cookie_absent_is_null", "GET", "/cookies", {}),
        ("cookie_is_read", "GET", "/cookies", {"Cookie": "ads_id=abc"}),
        ("cookie_among_others_is_unquoted", "GET", "/cookies", {"Cookie": "a=1; ads_id=\"q\"; b=2"}),
        ("post_on_a_get_route_is_405", "POST", "/items/5", {}),
        ("delete_on_a_get_route_is_405", "DELETE", "/users/me", {}),
        ("unknown_path_is_404", "GET", "/nope", {}),
        ("filter_defaults", "GET", "/filter", {}),
        ("filter_repeated_tags_fill_the_list", "GET", "/filter?tags=a&tags=b&limit=5", {}),
        ("filter_reports_every_error_and_extra_keys", "GET", "/filter?limit=0&offset=-1&order_by=x&tags=a&extra=1", {}),
        ("filter_takes_the_last_scalar", "GET", "/filter?limit=1&limit=2&order_by=updated_at", {}),
        ("filter_limit_not_a_number", "GET", "/filter?limit=ten", {}),
    ],
    "dependencies": [
        ("function_dependency_with_defaults", "GET", "/items", {}),
        ("function_dependency_reads_the_query", "GET", "/items?q=foo&skip=5&limit=10", {}),
        ("function_dependency_reports_every_error", "GET", "/items?skip=x&limit=y", {}),
        ("class_dependency_with_defaults", "GET", "/class-items", {}),
        ("class_dependency_with_query", "GET", "/class-items?q=x&skip=1&limit=1", {}),
        ("class_dependency_negative_skip_slices_like_python", "GET", "/class-items?skip=-2", {}),
        ("class_dependency_reports_errors", "GET", "/class-items?limit=many", {}),
        ("sub_dependency_uses_the_query", "GET", "/sub?q=hello", {}),
        ("sub_dependency_falls_back_to_the_cookie", "GET", "/sub?q=", {"Cookie": "last_query=c"}),
        ("sub_dependency_with_neither", "GET", "/sub", {}),
        ("cached_dependency_runs_once_per_request", "GET", "/sub-counter", {}),
        ("use_cache_false_runs_it_again", "GET", "/sub-counter-no-cache", {}),
        ("cache_again_after_no_cache", "GET", "/sub-counter", {}),
        ("events_start_empty", "GET", "/events", {}),
        ("yield_dependency_serves_the_item", "GET", "/db-items/plumbus", {}),
        ("cleanup_ran_after_the_handler", "GET", "/events", {}),
        ("yield_dependency_on_a_404", "GET", "/db-items/other", {}),
        ("cleanup_ran_after_the_error_too", "GET", "/events", {}),
        ("cleanup_turns_the_owner_error_into_400", "GET", "/owned/plumbus", {}),
        ("owned_item_of_the_user", "GET", "/owned/portal-gun", {}),
        ("owned_unknown_item_is_404", "GET", "/owned/nope", {}),
        ("protected_with_both_headers", "GET", "/protected", {"X-Token": "fake-super-secret-token", "X-Key": "fake-super-secret-key"}),
        ("protected_bad_key_wins_over_missing_token", "GET", "/protected", {"X-Key": "bad"}),
        ("protected_bad_token_is_400", "GET", "/protected", {"X-Token": "bad", "X-Key": "fake-super-secret-key"}),
        ("protected_without_headers_is_422_for_both", "GET", "/protected", {}),
        ("protected_both_bad_token_first", "GET", "/protected", {"X-Token": "bad", "X-Key": "bad"}),
    ],
    "errors": [
        ("known_item", "GET", "/items/foo", {}),
        ("unknown_item_is_404_with_detail", "GET", "/items/bar", {}),
        ("known_item_with_header_route", "GET", "/items-header/foo", {}),
        ("unknown_item_carries_the_error_header", "GET", "/items-header/bar", {}),
        ("unicorn_error_uses_the_app_wide_handler", "GET", "/unicorns/yolo", {}),
        ("other_unicorns_are_fine", "GET", "/unicorns/bob", {}),
        ("teapot_refuses_three", "GET", "/teapot/3", {}),
        ("teapot_accepts_four", "GET", "/teapot/4", {}),
        ("teapot_id_must_be_an_int", "GET", "/teapot/three", {}),
        ("unhandled_error_is_plain_500", "GET", "/crash", {}),
        ("put_on_crash_is_405", "PUT", "/crash", {}),
    ],
}


def call(base, method, path, headers, body=None):
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", "testserver")
    for name, value in headers.items():
        for v in value if isinstance(value, list) else [value]:
            conn.putheader(name, v)
    if body is not None:
        data = body.encode() if isinstance(body, str) else body
        conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data)
    else:
        conn.endheaders()
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    try:
        body = json.loads(body)
    except ValueError:
        pass
    got = {h: response.getheader(h) for h in HEADERS_COMPARED}
    conn.close()
    return response.status, body, got


INTEGER_FORMATS = {"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"}


def openapi(base):
    status, document, _headers = call(base, "GET", "/openapi.json", {})
    if status != 200 or not isinstance(document, dict):
        sys.exit(f"{base}/openapi.json answered {status}, not a document")
    return document


def normalized(schema):
    """Key order aside, the form the parity rule treats as equal."""
    if isinstance(schema, list):
        return [normalized(v) for v in schema]
    if not isinstance(schema, dict):
        return schema
    schema = {k: normalized(v) for k, v in schema.items()}
    if isinstance(schema.get("type"), list):
        types = schema.pop("type")
        schema["anyOf"] = [{"type": t} for t in types] + schema.get("anyOf", [])
    if "anyOf" in schema:
        schema["anyOf"] = sorted(schema["anyOf"], key=lambda s: json.dumps(s, sort_keys=True))
    return schema


def document_differences(want, got, where=""):
    """Yields (where, description, on_purpose) for each difference."""
    if isinstance(want, dict) and isinstance(got, dict):
        for key in sorted(set(want) | set(got), key=str):
            at = f"{where}/{key}"
            if key not in want:
                on_purpose = key == "format" and got[key] in INTEGER_FORMATS
                yield at, f"only in fastrs: {json.dumps(got[key])}", on_purpose
            elif key not in got:
                yield at, f"only in FastAPI: {json.dumps(want[key])}", False
            else:
                yield from document_differences(want[key], got[key], at)
    elif isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        for i, (w, g) in enumerate(zip(want, got)):
            yield from document_differences(w, g, f"{where}[{i}]")
    elif want != got:
        on_purpose = where == "/info/title" and want == "FastAPI"
        yield where, f"FastAPI {json.dumps(want)}, fastrs {json.dumps(got)}", on_purpose


def rust_string(text):
    return "r#\"" + text + "\"#" if '"' in text or "\\" in text else json.dumps(text)


def emit_rust(app, reference):
    out = [
        f"//! FastAPI's answers for every route of `{app}`, pinned as literals.",
        "//!",
        f"//! Written by `tools/parity.py {app} <fastapi-url> --emit-rust` from the",
        f"//! FastAPI reference app `{app}.py` (FastAPI on uvicorn) and",
        "//! reviewed by hand. Each test sends one request through the fastrs port",
        "//! and checks the status, the body and the headers FastAPI sent.",
        "",
        f'#[path = "../{app}.rs"]',
        "#[allow(dead_code)]",
        "mod example;",
        "mod support;",
        "",
        "use fastrs::testing::TestClient;",
        "use serde_json::{json, Value};",
        "",
        "fn client() -> TestClient {",
        "    TestClient::new(example::app())",
        "}",
    ]
    for name, method, path, headers, *sent in CASES[app]:
        status, body, got = call(reference, method, path, headers, *sent)
        out += ["", "#[tokio::test]", f"async fn {name}() {{"]
        req = f"    let response = client().request(fastrs::http::Method::{method}, {json.dumps(path)})"
        for hname, value in headers.items():
            for v in value if isinstance(value, list) else [value]:
                req += f"\n        .header({json.dumps(hname)}, {rust_string(v)})"
        if sent:
            data = sent[0]
            if isinstance(data, bytes):
                req += "\n        .body(&b" + json.dumps(data.decode("latin-1")).replace("\\u00ff", "\\xff") + "[..])"
            else:
                req += f"\n        .body({rust_string(data)})"
        out.append(req + "\n        .await;")
        out.append(f"    assert_eq!(response.status(), {status});")
        if isinstance(body, str):
            out.append(f"    assert_eq!(response.text(), {rust_string(body)});")
        else:
            out.append(f"    assert_eq!(response.json::<Value>(), json!({json.dumps(body)}));")
        pairs = ", ".join(
            f"({json.dumps(h)}, {'None' if got[h] is None else 'Some(' + rust_string(got[h]) + ')'})"
            for h in HEADERS_COMPARED
        )
        out.append(f"    support::assert_headers(&response, &[{pairs}]);")
        out.append("}")
    print("\n".join(out))


def main():
    app, reference, port = sys.argv[1:4]
    if port == "--emit-rust":
        emit_rust(app, reference)
        return
    differences = 0
    cases = CASES.get(app, [])
    for _name, method, path, headers, *body in cases:
        want = call(reference, method, path, headers, *body)
        got = call(port, method, path, headers, *body)
        if want != got:
            differences += 1
            print(f"DIFF {method} {path} {headers}\n  fastapi: {want}\n  fastrs:  {got}")
    print(f"{app}: {len(cases)} requests, {differences} differ")
    document = list(document_differences(normalized(openapi(reference)), normalized(openapi(port))))
    for where, description, on_purpose in document:
        print(f"{'on purpose' if on_purpose else 'DIFF'} /openapi.json{where}: {description}")
    unexpected = sum(1 for *_, on_purpose in document if not on_purpose)
    print(f"{app}: /openapi.json, {unexpected} differences ({len(document) - unexpected} on purpose)")
    sys.exit(1 if differences or unexpected else 0)


if __name__ == "__main__":
    main()
