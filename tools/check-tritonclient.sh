#!/usr/bin/env bash
# Starts the built vigil on a free loopback port, runs tools/tritonclient_check.py against it,
# then stops it with SIGTERM and checks that it exits cleanly.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
python=$(tools/venv.sh)
binary=${VIGIL_BINARY:-$(swift build --show-bin-path)/vigil}
port=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
"$binary" serve --port "$port" --models "$root/models" --log-level warning >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/v2/health/live" >/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
done
"$python" tools/tritonclient_check.py "127.0.0.1:$port"
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
if [ "$status" -ne 0 ]; then
    echo "vigil exited with status $status after SIGTERM" >&2
    cat "$log" >&2
    exit 1
fi
