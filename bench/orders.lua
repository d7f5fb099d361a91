-- wrk script: POST the validated order to /orders (post_validated).
wrk.method = "POST"
wrk.path = "/orders"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"customer":"AcmeCorp42","sku":"WID-001","qty":3,"unit_price":19.99}'
