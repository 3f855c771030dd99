#!/usr/bin/env bash
# Serves ./models with the built vigil on a free loopback port, validates its /openapi.json with
# openapi-spec-validator, then fuzzes every route from that document with schemathesis: a bounded
# number of examples, a fixed seed, and no 5xx, no response outside its schema, no undocumented
# status or content type allowed. Admin routes stay off (they answer the documented 403).
#   tools/check-openapi.sh [EXAMPLES]      (default 50 per operation)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
examples=${1:-50}
venv="$root/.venv-openapi"
stamp="$venv/.requirements.sha"
want=$(sha256sum tools/requirements-openapi.txt | cut -d' ' -f1)
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r tools/requirements-openapi.txt
    echo "$want" > "$stamp"
fi
work=$(mktemp -d)
source tools/serve-models.sh
cleanup_paths+=("$work")
serve_models "$venv/bin/python" --db "$work/vigil.sqlite"
port=$vigil_port
curl -sf "http://127.0.0.1:$port/openapi.json" > "$work/openapi.json"
"$venv/bin/openapi-spec-validator" "$work/openapi.json" >/dev/null
if ! "$venv/bin/schemathesis" --config-file tools/schemathesis.toml run "$work/openapi.json" --url "http://127.0.0.1:$port" \
        --checks not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance \
        --max-examples "$examples" --seed 1 >"$work/schemathesis.log" 2>&1; then
    cat "$work/schemathesis.log"
    exit 1
fi
kill -0 "$vigil_pid" 2>/dev/null || { echo "vigil died during the fuzzing" >&2; cat "$vigil_log" >&2; exit 1; }
echo "openapi check passed: $(grep -Eo '[0-9]+ generated, [0-9]+ passed' "$work/schemathesis.log")"
