-- wrk script for bench/soak.sh: mixed routes, with every answer counted by route and status.
-- Rotates through V2 JSON (iris, one row; shop-purchases, strings, two rows), V1 (iris, two rows),
-- the drift API, metrics and health. The counts go to the file named by SOAK_COUNTS.
local bodies = {
  {"POST", "/v2/models/iris-logistic/infer", '{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2]}]}', "iris", 1},
  {"POST", "/v2/models/shop-purchases/infer", '{"inputs":[{"name":"size","shape":[2,1],"datatype":"FP32","data":[0.3,-1.2]},{"name":"weight","shape":[2,1],"datatype":"FP32","data":[71.5,64]},{"name":"colour","shape":[2,1],"datatype":"BYTES","data":["red",null]},{"name":"country","shape":[2,1],"datatype":"BYTES","data":["fr","de"]}]}', "shop", 2},
  {"POST", "/v1/models/iris-logistic:predict", '{"instances":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}', "iris", 2},
  {"GET", "/v1/models/iris-logistic/drift", nil, nil, 0},
  {"GET", "/metrics", nil, nil, 0},
  {"GET", "/v2/health/ready", nil, nil, 0},
}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  position = 0
  sent = {}
  accepted = {iris = 0, shop = 0}
  failures = 0
  requests = {}
  for i, b in ipairs(bodies) do
    local headers = {}
    if b[3] then headers["Content-Type"] = "application/json" end
    requests[i] = wrk.format(b[1], b[2], headers, b[3])
  end
end

function request()
  position = position % #requests + 1
  table.insert(sent, position)
  return requests[position]
end

function response(status, headers, body)
  local index = table.remove(sent, 1)
  if status < 200 or status > 299 then
    failures = failures + 1
  elseif index and bodies[index][4] then
    local model = bodies[index][4]
    accepted[model] = accepted[model] + bodies[index][5]
  end
end

function done(summary, latency, requests)
  local iris, shop, failed = 0, 0, 0
  for _, thread in ipairs(threads) do
    iris = iris + thread:get("accepted").iris
    shop = shop + thread:get("accepted").shop
    failed = failed + thread:get("failures")
  end
  local file = io.open(os.getenv("SOAK_COUNTS"), "w")
  file:write(string.format("iris_rows=%d\nshop_rows=%d\nnon_2xx=%d\n", iris, shop, failed))
  file:close()
end
