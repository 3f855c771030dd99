-- wrk script for bench/soak.sh: rotates through the read routes (alerts, metrics, metadata, readiness).
local paths = {"/v1/alerts", "/metrics", "/v2/models/iris-logistic", "/v2/health/ready", "/v1/models/shop-purchases"}
local position = 0

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end
