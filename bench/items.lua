-- wrk script: POST the 10-field item to /items.
wrk.method = "POST"
wrk.path = "/items"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Widget","description":"A widget for benchmarks","price":19.99,"tax":8.5,"quantity":3,"sku":"WID-001","in_stock":true,"tags":["a","b","c"],"rating":4.5,"country":"FR"}'
