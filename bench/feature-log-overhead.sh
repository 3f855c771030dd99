#!/usr/bin/env bash
# Throughput of /v2/models/iris-logistic/infer with feature logging on against off, in one run.
# Runs each setting three times, interleaved, with wrk on loopback; prints requests/s and the ratio.
# Needs wrk (apt-get install wrk) and a release build (swift build -c release).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
binary=${VIGIL_BINARY:-$root/.build/release/vigil}
duration=${DURATION:-8s}
connections=${CONNECTIONS:-16}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

run() {
    local logging=$1 port
    port=$(free_port)
    "$binary" serve --port "$port" --models models --db "$work/bench-$logging.sqlite" --feature-log "$logging" --log-level error &
    local pid=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/v2/health/live" >/dev/null && break; sleep 0.1; done
    wrk -t1 -c"$connections" -d1s -s bench/infer-iris.lua "http://127.0.0.1:$port/v2/models/iris-logistic/infer" >/dev/null
    wrk -t1 -c"$connections" -d"$duration" -s bench/infer-iris.lua "http://127.0.0.1:$port/v2/models/iris-logistic/infer" \
        | awk '/Requests\/sec/ {print $2}'
    kill -TERM "$pid"; wait "$pid" || true
}

declare -a off on
for round in 1 2 3; do
    off+=("$(run false)")
    on+=("$(run true)")
done
python3 - "${off[@]}" "${on[@]}" <<'PY'
import statistics, sys
values = list(map(float, sys.argv[1:]))
off, on = values[:3], values[3:]
print(f"logging off: {' '.join(f'{v:.0f}' for v in off)} req/s (median {statistics.median(off):.0f})")
print(f"logging on:  {' '.join(f'{v:.0f}' for v in on)} req/s (median {statistics.median(on):.0f})")
print(f"on/off ratio (medians): {statistics.median(on) / statistics.median(off):.3f}")
PY
