#!/usr/bin/env bash
# Dashboard benchmark: server time and size of Vigil's overview (20 models) and model pages
# (50 and 500 features), and of `vigil drift --format html` (every feature on one page), against
# Evidently's Report([DataDriftPreset()]) saved as HTML on the same data. Run by hand:
#   bench/dashboard.sh            (uses .build/release/vigil if built, else .build/debug/vigil; VIGIL_BIN overrides)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-bench-dashboard
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q -r bench/dashboard/requirements.txt
binary=${VIGIL_BIN:-$( [ -x .build/release/vigil ] && echo .build/release/vigil || echo .build/debug/vigil )}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
"$venv/bin/python" bench/dashboard/make_data.py "$work"
"$binary" serve --models "$work/models" --db "$work/vigil.sqlite" --port 0 --drift-interval 2s --dashboard-refresh 0 >"$work/log" 2>&1 &
server=$!
for _ in $(seq 1200); do grep -q "listening on" "$work/log" && break; sleep 0.1; done
port=$(grep -o "listening on 127.0.0.1:[0-9]*" "$work/log" | grep -o "[0-9]*$")
for body in "$work"/*.body.json; do
    name=$(basename "$body" .body.json)
    curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary @"$body" "http://127.0.0.1:$port/v2/models/$name/infer"
done
for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/v1/models/wide500/drift" | grep -q '"status"' && break; sleep 0.2; done
sleep 3
# Median server time of 21 requests (curl's time to the last byte on loopback), bytes, gzip bytes.
measure() {
    local times size gz
    times=$(for _ in $(seq 21); do curl -s -o /dev/null -w "%{time_total}\n" "http://127.0.0.1:$port$1"; done | sort -n | sed -n 11p)
    size=$(curl -s -o /dev/null -w "%{size_download}" "http://127.0.0.1:$port$1")
    gz=$(curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w "%{size_download}" "http://127.0.0.1:$port$1")
    echo "$times $size $gz"
}
printf "%-44s %10s %10s %10s\n" "page" "seconds" "bytes" "gzip"
for page in /dashboard /dashboard/models/wide50 /dashboard/models/wide500; do
    printf "%-44s %10s %10s %10s\n" "vigil $page" $(measure "$page")
done
for width in 50 500; do
    start=$(date +%s.%N)
    "$binary" drift --reference "$work/models/wide$width/reference.csv" --current "$work/wide$width.current.csv" --format html >"$work/vigil-$width.html" || true
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    printf "%-44s %10.3f %10s\n" "vigil drift --format html, $width features" "$seconds" "$(stat -c %s "$work/vigil-$width.html")"
    read -r eseconds ebytes < <("$venv/bin/python" bench/dashboard/evidently_report.py "$work/models/wide$width/reference.csv" "$work/wide$width.current.csv" "$work/evidently-$width.html" 2>/dev/null)
    printf "%-44s %10s %10s\n" "evidently DataDriftPreset, $width features" "$eseconds" "$ebytes"
done
