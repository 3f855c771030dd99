-- wrk script for bench/soak.sh: POSTs the JSON body in SOAK_BODY to the URL's path.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("SOAK_BODY")
