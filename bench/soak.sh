#!/usr/bin/env bash
# A bounded soak (run by hand, not in CI): the release binary with logging on, driven by wrk at 64
# connections over mixed routes (bench/soak/mixed-routes.lua) for SOAK_SECONDS (default 300) after a
# 20 s warm-up. It checks and prints: no non-2xx answer to the valid requests; RSS at the end within
# 10% of RSS after the warm-up; and the rows in the feature log equal to the rows answered 200.
# Needs wrk (apt-get install wrk; installed here when missing) and sqlite3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${SOAK_SECONDS:-300}
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk sqlite3 >/dev/null; }
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
SOAK_COUNTS="$work/warmup.counts" wrk -t2 -c64 -d20s -s bench/soak/mixed-routes.lua "$url" >/dev/null
warm=$(rss)
SOAK_COUNTS="$work/soak.counts" wrk -t2 -c64 -d"${seconds}s" --latency -s bench/soak/mixed-routes.lua "$url" >"$work/wrk.txt"
end=$(rss)
# SIGTERM flushes everything answered, so the file holds every accepted row.
kill -TERM "$pid"; wait "$pid" || true
logged() { sqlite3 "$work/soak.sqlite" "SELECT coalesce(sum(count + missing), 0) FROM feature_windows WHERE model = '$1' AND role = 'input' AND feature = '$2'"; }
answered() { cat "$work/warmup.counts" "$work/soak.counts" | awk -F= -v key="$1" '$1 == key { total += $2 } END { print total + 0 }'; }
iris_answered=$(answered iris_rows) shop_answered=$(answered shop_rows)
iris_logged=$(logged iris-logistic sepal_length) shop_logged=$(logged shop-purchases size)
failures=$(answered non_2xx)
grep -E "Requests/sec|Latency|99%" "$work/wrk.txt" | head -4
echo "RSS after warm-up ${warm} kB, at the end ${end} kB ($(awk -v a="$warm" -v b="$end" 'BEGIN { printf "%+.1f%%", (b - a) * 100 / a }'))"
echo "rows answered 200: iris ${iris_answered}, shop ${shop_answered}; in the feature log: iris ${iris_logged}, shop ${shop_logged}"
echo "non-2xx answers: ${failures}"
status=0
[ "$failures" -eq 0 ] || { echo "FAIL: non-2xx answers"; status=1; }
[ "$iris_answered" -eq "$iris_logged" ] && [ "$shop_answered" -eq "$shop_logged" ] || { echo "FAIL: the feature log does not match what was answered"; status=1; }
awk -v a="$warm" -v b="$end" 'BEGIN { exit !(b <= a * 1.10) }' || { echo "FAIL: RSS grew more than 10%"; status=1; }
[ "$status" -eq 0 ] && echo "soak passed: ${seconds}s at 64 connections"
exit "$status"
