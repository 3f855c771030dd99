-- wrk script for bench/serve/run.sh: POSTs the bytes of BENCH_BODY, with Triton's
-- Inference-Header-Content-Length when BENCH_HEADER_LENGTH is set.
local file = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
local header = os.getenv("BENCH_HEADER_LENGTH")
if header and header ~= "" then
    wrk.headers["Content-Type"] = "application/octet-stream"
    wrk.headers["Inference-Header-Content-Length"] = header
else
    wrk.headers["Content-Type"] = "application/json"
end
