#!/usr/bin/env bash
# One drift run over 50 features x 100,000 rows: Vigil (release build) against scipy and Evidently,
# side by side. Creates .venv-bench from bench/requirements.txt on first use.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -x .venv-bench/bin/python ]; then
    python3 -m venv .venv-bench
    .venv-bench/bin/pip install --quiet --disable-pip-version-check -r bench/requirements.txt
fi
swift build -c release --product DriftBenchmark >/dev/null
.build/release/DriftBenchmark "${1:-50}" "${2:-100000}"
.venv-bench/bin/python bench/drift_scipy.py "${1:-50}" "${2:-100000}"
