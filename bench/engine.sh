#!/usr/bin/env bash
# Engine latency, Vigil against the reference runtimes side by side: every fixture model,
# one row and 1000 rows (the probe rows repeated, and 1000 distinct rows drawn from them), one thread
# on both sides. Prints both tables and the ratios Vigil / reference
# (below 1 means Vigil is faster). Each side runs twice, alternating, and the faster figure counts.
# Needs the fixture venv (tools/fixtures/generate.sh makes it; this script only installs it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv-fixtures"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/tools/fixtures/requirements.txt"
swift build -c release --product EngineBenchmark --package-path "$root" >/dev/null
vigil=$(mktemp) reference=$(mktemp)
trap 'rm -f "$vigil" "$reference"' EXIT
# Two rounds, alternating sides, and the faster figure of each: the machines are shared, and a burst
# of load on one side during one round otherwise decides a ratio.
for round in 1 2; do
    "$root/.build/release/EngineBenchmark" | tail -n +2 >>"$vigil"
    "$venv/bin/python" "$root/bench/engine_reference.py" | tail -n +2 >>"$reference"
done
fastest() { awk -F'\t' '{ if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
        for (c = 2; c <= 4; c++) if (!(($1, c) in best) || $c < best[$1, c]) best[$1, c] = $c }
    END { print "model\tsingle_row_us\tbatch_1000_us\tdistinct_1000_us"
          for (i = 1; i <= n; i++) printf "%s\t%s\t%s\t%s\n", order[i], best[order[i], 2], best[order[i], 3], best[order[i], 4] }' "$1"; }
echo "Vigil:"; fastest "$vigil"
echo; echo "reference:"; fastest "$reference"
echo
echo -e "model\tsingle_row_ratio\tbatch_1000_ratio\tdistinct_1000_ratio"
fastest "$vigil" >"$vigil.min"; fastest "$reference" >"$reference.min"
awk -F'\t' 'NR == FNR { if (FNR > 1) { single[$1] = $2; batch[$1] = $3; distinct[$1] = $4 }; next }
    FNR > 1 && ($1 in single) { printf "%s\t%.3f\t%.3f\t%.3f\n", $1, single[$1] / $2, batch[$1] / $3, distinct[$1] / $4 }' "$vigil.min" "$reference.min"
rm -f "$vigil.min" "$reference.min"
