-- Mixed requests for bench/soak.sh against the `security` example: valid
-- and invalid logins, tokens good and bad, API keys, basic credentials,
-- a JSON body where a form is expected, and an unknown path.
local token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJqb2huZG9lIiwic2NvcGVzIjpbIm1lIiwiaXRlbXMiXX0.-YIgpcKLW5jnYj0mTL547UydY42SG1jxXD0NLDiLduk"
local form = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local requests = {
  wrk.format("POST", "/token", form, "username=johndoe&password=secret&scope=me items"),
  wrk.format("POST", "/token", form, "username=johndoe&password=wrong"),
  wrk.format("GET", "/users/me", { Authorization = "Bearer " .. token }),
  wrk.format("GET", "/users/me/items", { Authorization = "Bearer " .. token }),
  wrk.format("GET", "/users/me/items", { Authorization = "Bearer garbage" }),
  wrk.format("GET", "/keys/header", { ["x-api-key"] = "k1" }),
  wrk.format("GET", "/keys/header"),
  wrk.format("GET", "/basic/me", { Authorization = "Basic c3RhbmxleWpvYnNvbjpzd29yZGZpc2g=" }),
  wrk.format("POST", "/token", { ["Content-Type"] = "application/json" }, '{"username": "johndoe"}'),
  wrk.format("GET", "/nope"),
}
local i = 0
request = function()
  i = i % #requests + 1
  return requests[i]
end
