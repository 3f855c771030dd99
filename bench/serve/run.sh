#!/usr/bin/env bash
# The serving benchmark (run by hand, not in CI): Vigil against MLServer, a hand-written FastAPI app
# and the HTTP ceiling (a bare Hummingbird route, bench/serve/ceiling), on one iris model, driven by
# wrk with the same bodies. Prints req/s, p50, p99, peak RSS and start-to-ready for each, then the
# ratios of Vigil to each peer and to the ceiling.
#
#   bench/serve/run.sh                     # 2 rounds of 8 s per load
#   BENCH_SECONDS=4 BENCH_ROUNDS=3 bench/serve/run.sh
#   VIGIL_BINARY=path/to/vigil bench/serve/run.sh
#   VIGIL_BASELINE_BINARY=path/to/other/vigil bench/serve/run.sh   # a second build, "baseline", side by side
#
# Servers take turns, A/B/A/B: in each round every server is started (and its start-to-ready timed),
# driven through every load, measured and stopped. Vigil runs with the bundled models plus the
# benchmark's iris model, feature logging into SQLite and drift monitoring on.
# Loads: one row at 1, 8, 32 and 128 connections, 32 rows at 32, and (Vigil only) one row and 32
# rows in Triton's binary tensor format at 32, each run right after its JSON form. After the loads,
# Vigil also gets 10 large bodies (100,000 rows, and 6 MB that are refused) and its RSS is read again
# 3 s later. Every process started is stopped by its PID (its process group), also on error or
# Ctrl-C; every wait is bounded.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/bench/serve"
seconds=${BENCH_SECONDS:-8}
rounds=${BENCH_ROUNDS:-2}

"$root/tools/install-missing.sh" wrk
venv="$root/.venv-bench-serve"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
stamp="$venv/.requirements.sha" want=$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
    echo "$want" >"$stamp"
fi
binary=${VIGIL_BINARY:-}
if [ -z "$binary" ]; then
    swift build -c release --product vigil --package-path "$root" >/dev/null
    binary="$root/.build/release/vigil"
fi
baseline=${VIGIL_BASELINE_BINARY:-}
swift build -c release --package-path "$here/ceiling" >/dev/null
ceiling="$here/ceiling/.build/release/Ceiling"

work=$(mktemp -d)
group=""  # the process group of the server under test
stop_server() {
    [ -n "$group" ] || return 0
    kill -TERM -- "-$group" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 -- "-$group" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$group" 2>/dev/null || true
    group=""
}
trap 'stop_server; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

"$venv/bin/python" "$here/train.py" "$work"
cp -r "$root/models/." "$work/vigil/"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# answers PORT METHOD PATH: true when the server on PORT answers 200 to an empty METHOD PATH. Through
# bash's /dev/tcp, so that polling costs no process per attempt: curl's own start (10 ms and more on
# a busy machine) was counted into start to ready, 20 to 45 ms of it for Vigil.
answers() {
    local status=""
    { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
    printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' "$2" "$3" >&3
    read -r -t 5 _ status _ <&3 || true
    exec 3<&-
    [ "$status" = 200 ]
}

# start_server NAME PORT: starts it in its own process group, waits (at most 60 s) for it to answer, and
# sets group and ready_ms.
start_server() {
    local name=$1 port=$2 ready="GET /v2/health/ready" started now
    started=$(date +%s%N)
    case $name in
        vigil|baseline)
            local executable=$binary
            [ "$name" = vigil ] || executable=$baseline
            setsid "$executable" serve --host 127.0.0.1 --port "$port" --models "$work/vigil" --db "$work/vigil-$port.sqlite" \
                   --log-level warning >"$work/$name.log" 2>&1 & ;;
        mlserver)
            printf '{"host":"127.0.0.1","http_port":%s,"grpc_port":%s,"metrics_port":%s}' "$port" "$(free_port)" "$(free_port)" >"$work/mlserver/settings.json"
            setsid "$venv/bin/mlserver" start "$work/mlserver" >"$work/$name.log" 2>&1 & ;;
        fastapi) (cd "$here" && MODEL="$work/fastapi/model.joblib" exec setsid "$venv/bin/uvicorn" fastapi_app:app \
                      --host 127.0.0.1 --port "$port" --log-level warning >"$work/$name.log" 2>&1) & ;;
        ceiling) setsid "$ceiling" "$port" "$work/ceiling-body.json" >"$work/$name.log" 2>&1 &
                 ready="POST /v2/models/iris/infer" ;;
    esac
    group=$!
    local answered=0
    for _ in $(seq 1 20000); do
        # shellcheck disable=SC2086
        answers "$port" $ready && { answered=1; break; }
        kill -0 "$group" 2>/dev/null || { cat "$work/$name.log" >&2; echo "$name exited at start" >&2; exit 1; }
        sleep 0.002
    done
    [ "$answered" -eq 1 ] || { cat "$work/$name.log" >&2; echo "$name did not answer $ready within 60 s" >&2; exit 1; }
    now=$(date +%s%N)
    ready_ms=$(( (now - started) / 1000000 ))
}
rss_kb() {  # rss_kb FIELD: VmHWM (peak) or VmRSS summed over the server's process group
    local total=0 pid
    for pid in $(pgrep -g "$group"); do
        total=$((total + $(awk -v f="$1:" '$1 == f { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)))
    done
    echo "$total"
}
to_ms() { awk '{ v = $1; if (v ~ /us$/) printf "%.3f", v * 0.001; else if (v ~ /ms$/) printf "%.3f", v + 0; else if (v ~ /s$/) printf "%.3f", v * 1000; }' <<<"$1"; }

# drive NAME PORT LOAD CONNECTIONS ROUND: one wrk run, appended to results.tsv.
drive() {
    local name=$1 port=$2 load=$3 connections=$4 round=$5 body header="" out="$work/wrk.txt" threads=2
    case $load in
        json-1) body="$work/body-1.json" ;;
        json-32) body="$work/body-32.json" ;;
        binary-1) body="$work/body-1.bin"; header=$(cat "$work/body-1.bin.header") ;;
        binary-32) body="$work/body-32.bin"; header=$(cat "$work/body-32.bin.header") ;;
    esac
    [ "$connections" -ge 2 ] || threads=1
    BENCH_BODY=$body BENCH_HEADER_LENGTH=$header timeout $((seconds + 30)) \
        wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$here/post.lua" "http://127.0.0.1:$port/v2/models/iris/infer" >"$out"
    local rps p50 p99 bad
    rps=$(awk '/Requests\/sec/ { print $2 }' "$out")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
    bad=$(awk '/Non-2xx or 3xx responses|Socket errors/ { n++ } END { print n + 0 }' "$out")
    [ "$bad" -eq 0 ] || { echo "$name $load c$connections: errors" >&2; cat "$out" >&2; }
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$load" "$connections" "$rps" "$p50" "$p99" >>"$work/results.tsv"
}

servers=(vigil mlserver fastapi ceiling)
[ -z "$baseline" ] || servers=(vigil baseline mlserver fastapi ceiling)
is_vigil() { [ "$1" = vigil ] || [ "$1" = baseline ]; }
# The ceiling answers with Vigil's own reply to one row, byte for byte the same size.
port=$(free_port)
start_server vigil "$port"
curl -sf -H 'Content-Type: application/json' --data-binary @"$work/body-1.json" "http://127.0.0.1:$port/v2/models/iris/infer" >"$work/ceiling-body.json"
stop_server
: >"$work/results.tsv" && : >"$work/process.tsv"
for round in $(seq 1 "$rounds"); do
    for name in "${servers[@]}"; do
        port=$(free_port)
        start_server "$name" "$port"
        # Two seconds of unrecorded load first, the same for every server: first requests fill
        # caches (and Vigil pages out its start-up code a second after the start).
        BENCH_BODY="$work/body-1.json" timeout 30 wrk -t2 -c8 -d2s -s "$here/post.lua" "http://127.0.0.1:$port/v2/models/iris/infer" >/dev/null
        for connections in 1 8 32 128; do
            drive "$name" "$port" json-1 "$connections" "$round"
            # Binary right after JSON at the same load, so the two are compared within seconds.
            if is_vigil "$name" && [ "$connections" -eq 32 ]; then drive "$name" "$port" binary-1 32 "$round"; fi
        done
        drive "$name" "$port" json-32 32 "$round"
        if is_vigil "$name"; then drive "$name" "$port" binary-32 32 "$round"; fi
        peak=$(rss_kb VmHWM) after_loads=$(rss_kb VmRSS) after_large=""
        if is_vigil "$name"; then
            for _ in 1 2 3 4 5; do
                for body in body-100k.json body-refused.json; do
                    curl -s -o /dev/null --max-time 30 -H 'Content-Type: application/json' --data-binary @"$work/$body" "http://127.0.0.1:$port/v2/models/iris/infer"
                done
            done
            sleep 3
            after_large=$(rss_kb VmRSS)
        fi
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$ready_ms" "$peak" "$after_loads" "$after_large" >>"$work/process.tsv"
        stop_server
        echo "round $round: $name done" >&2
    done
done

nproc_=$(nproc) memory=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
echo "## Serving benchmark: $rounds rounds of ${seconds} s per load, $nproc_ cores, $memory, $(uname -m)"
echo "Means over rounds. Vigil $("$binary" version 2>/dev/null | head -1), MLServer 1.7.1 (defaults), FastAPI + uvicorn (1 worker), ceiling: bare Hummingbird."
echo
echo "| server | load | connections | req/s | p50 ms | p99 ms |"
echo "|---|---|---|---|---|---|"
awk -F'\t' '{ k = $2 "\t" $3 "\t" $4; if (!(k in n)) order[++m] = k; n[k]++; r[k] += $5; a[k] += $6; b[k] += $7 }
    END { for (i = 1; i <= m; i++) { k = order[i]; split(k, f, "\t"); printf "| %s | %s | %s | %.0f | %.2f | %.2f |\n", f[1], f[2], f[3], r[k] / n[k], a[k] / n[k], b[k] / n[k] } }' \
    "$work/results.tsv" | sort -t'|' -k3,3 -k4,4n -s
echo
echo "| server | start to ready ms | peak RSS MB | RSS after the loads MB | RSS 3 s after 10 large bodies MB |"
echo "|---|---|---|---|---|"
awk -F'\t' '{ if (!($2 in n)) order[++m] = $2; n[$2]++; s[$2] += $3; p[$2] += $4; e[$2] += $5; l[$2] += $6 }
    END { for (i = 1; i <= m; i++) { k = order[i]; large = l[k] > 0 ? sprintf("%.1f", l[k] / n[k] / 1024) : "-"
          printf "| %s | %.0f | %.1f | %.1f | %s |\n", k, s[k] / n[k], p[k] / n[k] / 1024, e[k] / n[k] / 1024, large } }' "$work/process.tsv"
echo
echo "Ratios (Vigil / other, from the means; p99 below 1 means Vigil's is shorter):"
awk -F'\t' '{ k = $2 "\t" $3 "\t" $4; n[k]++; r[k] += $5; q[k] += $7 }
    END {
        for (k in n) { r[k] /= n[k]; q[k] /= n[k] }
        for (c = 1; c <= 128; c *= (c == 1 ? 8 : 4)) {
            v = "vigil\tjson-1\t" c
            printf "  one row, %3d connections: %.1fx MLServer req/s (p99 %.3fx), %.1fx FastAPI req/s (p99 %.3fx), %.0f%% of the ceiling\n", c,
                r[v] / r["mlserver\tjson-1\t" c], q[v] / q["mlserver\tjson-1\t" c], r[v] / r["fastapi\tjson-1\t" c], q[v] / q["fastapi\tjson-1\t" c],
                100 * r[v] / r["ceiling\tjson-1\t" c]
        }
        v = "vigil\tjson-32\t32"
        printf "  32 rows, 32 connections: %.1fx MLServer req/s (p99 %.3fx), %.1fx FastAPI req/s (p99 %.3fx)\n",
            r[v] / r["mlserver\tjson-32\t32"], q[v] / q["mlserver\tjson-32\t32"], r[v] / r["fastapi\tjson-32\t32"], q[v] / q["fastapi\tjson-32\t32"]
        printf "  Triton binary one row / JSON one row, 32 connections: %.2fx req/s\n", r["vigil\tbinary-1\t32"] / r["vigil\tjson-1\t32"]
        printf "  Triton binary 32 rows / JSON 32 rows, 32 connections: %.2fx req/s\n", r["vigil\tbinary-32\t32"] / r["vigil\tjson-32\t32"]
        if (("baseline\tjson-1\t32") in n) {
            for (k in n) if (k ~ /^baseline\t/) { v = k; sub(/^baseline/, "vigil", v)
                printf "  vigil / baseline, %s: %.2fx req/s (p99 %.2fx)\n", substr(k, 10), r[v] / r[k], q[v] / q[k] }
        }
    }' "$work/results.tsv"
echo
echo "Every run, so that one noisy round shows (round, server, load, connections, req/s, p50 ms, p99 ms):"
sort -t$'\t' -k2,2 -k3,3 -k4,4n -k1,1n "$work/results.tsv" | awk -F'\t' '{ printf "  %s %-8s %-8s c%-3s %8.0f %7.2f %7.2f\n", $1, $2, $3, $4, $5, $6, $7 }'
