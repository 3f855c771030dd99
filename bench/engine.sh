#!/usr/bin/env bash
# Engine latency, Vigil against the reference runtimes in the same session: every fixture model,
# one row and 1000 rows, one thread on both sides. Prints both tables and the ratios Vigil / reference
# (below 1 means Vigil is faster). Needs the fixture venv (tools/fixtures/generate.sh makes it;
# this script only installs it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv-fixtures"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/tools/fixtures/requirements.txt"
swift build -c release --product EngineBenchmark --package-path "$root" >/dev/null
vigil=$(mktemp) reference=$(mktemp)
trap 'rm -f "$vigil" "$reference"' EXIT
"$root/.build/release/EngineBenchmark" | tee "$vigil"
"$venv/bin/python" "$root/bench/engine_reference.py" | tee "$reference"
echo
echo -e "model\tsingle_row_ratio\tbatch_1000_ratio"
awk -F'\t' 'NR == FNR { if (FNR > 1) { single[$1] = $2; batch[$1] = $3 }; next }
    FNR > 1 && ($1 in single) { printf "%s\t%.3f\t%.3f\n", $1, single[$1] / $2, batch[$1] / $3 }' "$vigil" "$reference"
