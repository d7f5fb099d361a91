-- wrk script: GET /deps with the token the dependency chain reads. (wrk's
-- -H drops a header written without a space after the colon, which left
-- every deps request without its token: answered 422.)
wrk.method = "GET"
wrk.path = "/deps"
wrk.headers["x-token"] = "secret-token"
