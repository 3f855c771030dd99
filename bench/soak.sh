#!/usr/bin/env bash
# A bounded soak (run by hand, not in CI): the release binary with logging on, driven by wrk at 64
# connections over mixed routes (four wrk processes: V2 iris, V2 string inputs, V1 iris, and the read
# routes) for SOAK_SECONDS (default 300) after a 20 s warm-up. It checks and prints: no non-2xx answer to the valid requests; RSS at the end within
# 10% of RSS after the warm-up; and the rows in the feature log equal to the rows answered 200.
# Needs wrk (apt-get install wrk; installed here when missing) and sqlite3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${SOAK_SECONDS:-300}
"$root/tools/install-missing.sh" wrk sqlite3
binary=${VIGIL_BINARY:-}
if [ -z "$binary" ]; then
    swift build -c release --product vigil >/dev/null
    binary="$root/.build/release/vigil"
fi
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$binary" serve --port "$port" --models "$root/models" --db "$work/soak.sqlite" --flush-interval 1s --log-level warning >"$work/vigil.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null && break; sleep 0.1; done
rss() { awk '/VmRSS/ { print $2 }' "/proc/$pid/status"; }
url="http://127.0.0.1:$port"
iris_v2='{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2]}]}'
shop_v2='{"inputs":[{"name":"size","shape":[2,1],"datatype":"FP32","data":[0.3,-1.2]},{"name":"weight","shape":[2,1],"datatype":"FP32","data":[71.5,64]},{"name":"colour","shape":[2,1],"datatype":"BYTES","data":["red",null]},{"name":"country","shape":[2,1],"datatype":"BYTES","data":["fr","de"]}]}'
iris_v1='{"instances":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}'
# Four wrk processes side by side, 16 connections each (64 in all), so each counts one route exactly:
# V2 one row of iris, V2 two rows of string inputs, V1 two rows of iris, and the read routes.
run() {  # run DURATION PREFIX; waits for its own wrk processes only (vigil is a child too)
    local pids=()
    SOAK_BODY=$iris_v2 wrk -t1 -c16 -d"$1" --latency -s bench/soak/post.lua "$url/v2/models/iris-logistic/infer" >"$work/$2-iris-v2.txt" & pids+=($!)
    SOAK_BODY=$shop_v2 wrk -t1 -c16 -d"$1" --latency -s bench/soak/post.lua "$url/v2/models/shop-purchases/infer" >"$work/$2-shop-v2.txt" & pids+=($!)
    SOAK_BODY=$iris_v1 wrk -t1 -c16 -d"$1" --latency -s bench/soak/post.lua "$url/v1/models/iris-logistic:predict" >"$work/$2-iris-v1.txt" & pids+=($!)
    wrk -t1 -c16 -d"$1" --latency -s bench/soak/reads.lua "$url" >"$work/$2-reads.txt" & pids+=($!)
    wait "${pids[@]}"
}
requests() { awk '/requests in/ { print $1 }' "$1"; }
non2xx() { awk '/Non-2xx or 3xx responses/ { n = $5 } END { print n + 0 }' "$1"; }
run 20s warmup
warm=$(rss)
run "${seconds}s" soak
end=$(rss)
# The server's own count of requests it answered 200: wrk stops counting at its deadline with
# requests still in flight, which the server goes on to answer and log.
sleep 1
curl -s "$url/metrics" >"$work/metrics.txt"
served() { awk -v route="$1" -v model="$2" 'index($0, "vigil_requests_total{route=\"" route "\",model=\"" model "\",status=\"200\"}") == 1 { print $2 }' "$work/metrics.txt"; }
iris_served=$(( $(served '/v2/models/{name}/infer' iris-logistic) + 2 * $(served '/v1/models/{name}' iris-logistic) ))
shop_served=$(( 2 * $(served '/v2/models/{name}/infer' shop-purchases) ))
# SIGTERM flushes everything answered, so the file holds every accepted row.
kill -TERM "$pid"; wait "$pid" || true
logged() { sqlite3 "$work/soak.sqlite" "SELECT coalesce(sum(count + missing), 0) FROM feature_windows WHERE model = '$1' AND role = 'input' AND feature = '$2'"; }
failures=0 iris_answered=0 shop_answered=0
for phase in warmup soak; do
    for route in iris-v2 shop-v2 iris-v1 reads; do
        file="$work/$phase-$route.txt"
        failures=$((failures + $(non2xx "$file")))
        ok=$(( $(requests "$file") - $(non2xx "$file") ))
        case $route in
            iris-v2) iris_answered=$((iris_answered + ok)) ;;
            iris-v1) iris_answered=$((iris_answered + 2 * ok)) ;;
            shop-v2) shop_answered=$((shop_answered + 2 * ok)) ;;
        esac
    done
done
iris_logged=$(logged iris-logistic sepal_length) shop_logged=$(logged shop-purchases size)
for route in iris-v2 shop-v2 iris-v1 reads; do
    printf '%-8s %s req/s, p50 %s, p99 %s\n' "$route" "$(awk '/Requests\/sec/ { print $2 }' "$work/soak-$route.txt")" \
        "$(awk '$1 == "50%" { print $2 }' "$work/soak-$route.txt")" "$(awk '$1 == "99%" { print $2 }' "$work/soak-$route.txt")"
done
echo "RSS after warm-up ${warm} kB, at the end ${end} kB ($(awk -v a="$warm" -v b="$end" 'BEGIN { printf "%+.1f%%", (b - a) * 100 / a }'))"
echo "rows answered 200: iris ${iris_served}, shop ${shop_served} (by the server; wrk counted ${iris_answered} and ${shop_answered} before its deadline); in the feature log: iris ${iris_logged}, shop ${shop_logged}"
echo "non-2xx answers: ${failures}"
status=0
[ "$failures" -eq 0 ] || { echo "FAIL: non-2xx answers"; status=1; }
[ "$iris_served" -eq "$iris_logged" ] && [ "$shop_served" -eq "$shop_logged" ] || { echo "FAIL: the feature log does not match what was answered"; status=1; }
[ "$iris_answered" -le "$iris_logged" ] && [ "$shop_answered" -le "$shop_logged" ] || { echo "FAIL: wrk saw more answers than the log holds"; status=1; }
awk -v a="$warm" -v b="$end" 'BEGIN { exit !(b <= a * 1.10) }' || { echo "FAIL: RSS grew more than 10%"; status=1; }
[ "$status" -eq 0 ] && echo "soak passed: ${seconds}s at 64 connections"
exit "$status"
