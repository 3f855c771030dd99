# Sourced by tools/check-*.sh (not run on its own). `serve_models PYTHON [SERVE ARGS...]` starts the
# built vigil (or $VIGIL_BINARY) serving ./models on a free loopback port, waits until it is live,
# and sets vigil_pid, vigil_port and vigil_log. On exit it stops vigil by its PID and removes what
# the script listed in cleanup_paths.
cleanup_paths=()
serve_models() {
    local python=$1
    shift
    local binary=${VIGIL_BINARY:-$(swift build --show-bin-path)/vigil}
    vigil_port=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    vigil_log=$(mktemp)
    cleanup_paths+=("$vigil_log")
    "$binary" serve --port "$vigil_port" --models "$root/models" --log-level warning "$@" >"$vigil_log" 2>&1 &
    vigil_pid=$!
    trap 'kill "$vigil_pid" 2>/dev/null || true; rm -rf "${cleanup_paths[@]}"' EXIT
    for _ in $(seq 1 100); do
        curl -sf "http://127.0.0.1:$vigil_port/v2/health/live" >/dev/null && return 0
        kill -0 "$vigil_pid" 2>/dev/null || { cat "$vigil_log" >&2; return 1; }
        sleep 0.1
    done
    echo "vigil did not start on port $vigil_port" >&2
    return 1
}
