#!/usr/bin/env bash
# Creates (or reuses) the Python venv for tools/ and bench/ at .venv, and prints its python.
# Idempotent: reinstalls only when tools/requirements.txt changed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
stamp="$venv/.requirements.sha"
want=$(sha256sum "$root/tools/requirements.txt" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" >&2
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/tools/requirements.txt" >&2
    echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
