#!/usr/bin/env bash
# Fleet mode's store against SQLite's (bench/FleetStoreBenchmark): starts a throwaway PostgreSQL
# cluster on a free loopback port (tools/postgres.sh), runs the benchmark against an empty
# database in it, and stops the cluster. Run by hand: bench/fleet.sh [flush-rows-per-replica]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cluster=$(mktemp -d)
trap '"$root/tools/postgres.sh" stop "$cluster" >/dev/null 2>&1 || true; rm -rf "$cluster"' EXIT
url=$("$root/tools/postgres.sh" start "$cluster")
psql "$url" -X -q -c "CREATE DATABASE fleet_bench"
swift build -c release --product FleetStoreBenchmark --package-path "$root" >/dev/null
"$root/.build/release/FleetStoreBenchmark" "${url%/*}/fleet_bench" "${1:-100000}"
