#!/usr/bin/env bash
# Instructions per request (valgrind's callgrind: counts, not seconds, so steady on a shared machine).
# Runs BINARY (default: a release build of this checkout) under callgrind with the bundled models,
# feature logging and monitoring on, three times: idle, then one-row V2 requests over one keepalive
# connection in JSON, then in Triton's binary form, each for SECONDS_PER_RUN (6). Instructions per
# request are a run's total less the idle run's, over its requests. Run by hand, e.g. to compare builds:
#   bench/serve/instructions.sh path/to/old/vigil; bench/serve/instructions.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
binary=${1:-}
"$root/tools/install-missing.sh" valgrind
"$root/tools/install-missing.sh" wrk
if [ -z "$binary" ]; then
    swift build -c release --product vigil --package-path "$root" >/dev/null
    binary="$root/.build/release/vigil"
fi
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cp -r "$root/models" "$work/models"
printf '%s' '{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2]}]}' >"$work/body.json"
python3 - "$work" <<'EOF'
import json, struct, sys
header = json.dumps({"inputs": [{"name": "input", "shape": [1, 4], "datatype": "FP32", "parameters": {"binary_data_size": 16}}],
                     "parameters": {"binary_data_output": True}}, separators=(",", ":")).encode()
open(sys.argv[1] + "/body.bin", "wb").write(header + struct.pack("<4f", 5.1, 3.5, 1.4, 0.2))
open(sys.argv[1] + "/body.bin.header", "w").write(str(len(header)))
EOF
# valgrind gives up on the debug info of a --static-swift-stdlib binary ("possibly corrupted"), so it
# runs a stripped copy: the totals are what count here.
strip -o "$work/vigil" "$binary"
seconds=${SECONDS_PER_RUN:-6}
# total BODY HEADER_LENGTH: the server's instructions over a whole run (start, $seconds s of requests
# over one connection, or of none when BODY is empty, and shutdown), and the requests answered.
total() {
    rm -f "$work"/callgrind.out.* "$work/vigil.sqlite"*
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out.%p" \
        "$work/vigil" serve --host 127.0.0.1 --port "$port" --models "$work/models" --db "$work/vigil.sqlite" --log-level warning \
        >"$work/vigil.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/v2/health/ready" && break; sleep 1; done
    local answered=0
    if [ -n "$1" ]; then
        BENCH_BODY=$1 BENCH_HEADER_LENGTH=$2 wrk -t1 -c1 -d"${seconds}s" -s "$root/bench/serve/post.lua" "http://127.0.0.1:$port/v2/models/iris-onnx/infer" >"$work/wrk.txt"
        answered=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
    else
        sleep "$seconds"
    fi
    kill -TERM "$pid"; wait "$pid" || true
    pid=""
    echo "$(awk '/^summary:/ { s += $2 } END { printf "%.0f", s }' "$work"/callgrind.out.*) $answered"
}
read -r idle _ <<<"$(total "" "")"
read -r json json_requests <<<"$(total "$work/body.json" "")"
read -r binary_total binary_requests <<<"$(total "$work/body.bin" "$(cat "$work/body.bin.header")")"
per() { awk -v t="$1" -v i="$idle" -v n="$2" 'BEGIN { printf "%.0f", (t - i) / n }'; }
echo "instructions per one-row request (iris-onnx, logging on; whole runs of ${seconds}s less an idle run):" \
     "JSON $(per "$json" "$json_requests") ($json_requests requests), Triton binary $(per "$binary_total" "$binary_requests") ($binary_requests requests)"
