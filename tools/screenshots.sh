#!/usr/bin/env bash
# The README's dashboard screenshots (docs/dashboard-overview.png, docs/dashboard-model.png): the
# bundled models served by a release or debug build, sent their own reference rows, one of them
# (diabetes-linear) with two features shifted, then photographed by headless Chromium once its
# alerts fire. The server binds a free loopback port, keeps its database in a temporary folder, and
# is stopped by its PID; every wait is bounded.
#
#   tools/screenshots.sh [BINARY]      (default: .build/release/vigil, else .build/debug/vigil)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:-}
for candidate in "$binary" "$root/.build/release/vigil" "$root/.build/debug/vigil"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] && { binary=$candidate; break; }
done
[ -x "$binary" ] || { echo "no vigil binary: swift build first, or name one" >&2; exit 1; }
work=$(mktemp -d)
pid=""
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$binary" serve --port "$port" --models "$root/models" --db "$work/vigil.sqlite" --drift-interval 2s --flush-interval 200ms \
    --dashboard-refresh 0 --log-level warning >"$work/vigil.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$base/v2/health/ready" >/dev/null && break; sleep 0.1; done
python3 "$root/tools/screenshots/traffic.py" "$base" "$root/models"
# Two drifted runs in a row fire an alert (--alert-for 2).
for _ in $(seq 1 60); do
    curl -sf "$base/v1/alerts?state=firing" | grep -q diabetes-linear && break
    sleep 0.5
done
curl -sf "$base/v1/alerts?state=firing" | grep -q diabetes-linear || { cat "$work/vigil.log" >&2; echo "no alert fired" >&2; exit 1; }
shoot() { chromium --headless=new --no-sandbox --hide-scrollbars --window-size="$2" --screenshot="$3" "$1" >/dev/null 2>&1; }
shoot "$base/dashboard" 1280,700 "$root/docs/dashboard-overview.png"
shoot "$base/dashboard/models/diabetes-linear" 1280,1400 "$root/docs/dashboard-model.png"
echo "wrote docs/dashboard-overview.png and docs/dashboard-model.png"
