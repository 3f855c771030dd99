#!/usr/bin/env bash
# Starts the built vigil on a free loopback port, runs tools/tritonclient_check.py against it,
# then stops it with SIGTERM and checks that it exits cleanly.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
python=$(tools/venv.sh)
source tools/serve-models.sh
serve_models "$python"
"$python" tools/tritonclient_check.py "127.0.0.1:$vigil_port"
kill -TERM "$vigil_pid"
status=0
wait "$vigil_pid" || status=$?
if [ "$status" -ne 0 ]; then
    echo "vigil exited with status $status after SIGTERM" >&2
    cat "$vigil_log" >&2
    exit 1
fi
