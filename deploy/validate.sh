#!/usr/bin/env bash
# Validates every file in deploy/ with the tool that reads it: yamllint, promtool, amtool,
# nginx -t, systemd-analyze verify, and the Kubernetes manifests against their schemas
# (kubernetes-validate, in a venv of its own). Prints nothing but errors; exits non-zero on any.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
deploy="$root/deploy"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# kubernetes-validate (and PyYAML for the comparison below) in a venv of their own.
venv="$root/.venv-deploy"
if [ ! -x "$venv/bin/kubernetes-validate" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check kubernetes-validate==1.37.0
fi

yamllint -c "$root/.yamllint.yml" "$deploy"

promtool check rules "$deploy/prometheus/vigil-rules.yml" >/dev/null
# Each rule fires on the series it is for, with the annotations it should carry, and not on quiet ones.
promtool test rules "$deploy/prometheus/vigil-rules.test.yml" >/dev/null
cp "$deploy/prometheus/vigil-rules.yml" "$work/"
sed "s#/etc/prometheus/#$work/#" "$deploy/prometheus/prometheus.yml" > "$work/prometheus.yml"
promtool check config "$work/prometheus.yml" >/dev/null
amtool check-config "$deploy/alertmanager/alertmanager.yml" >/dev/null

# The PrometheusRule holds the same rules as vigil-rules.yml.
"$venv/bin/python" - "$deploy" <<'PYTHON'
import sys, yaml
deploy = sys.argv[1]
rules = yaml.safe_load(open(f"{deploy}/prometheus/vigil-rules.yml"))
wrapped = yaml.safe_load(open(f"{deploy}/k8s/prometheusrule.yaml"))
if wrapped["spec"] != rules:
    sys.exit("deploy/k8s/prometheusrule.yaml's spec differs from deploy/prometheus/vigil-rules.yml")
PYTHON

# nginx -t on the shipped server block inside a minimal main configuration.
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<NGINX
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events {}
http { include $deploy/nginx/vigil.conf; }
NGINX
nginx -t -q -p "$work/nginx" -c "$work/nginx/nginx.conf"

# systemd-analyze checks that ExecStart exists: point it at a stand-in executable.
sed "s#/usr/local/bin/vigil#/bin/true#" "$deploy/systemd/vigil.service" > "$work/vigil.service"
systemd-analyze verify "$work/vigil.service"

# Core kinds against the schemas it ships. ServiceMonitor and PrometheusRule are CRDs it has no
# schema for (it would warn and skip them); the rules inside are checked above with promtool.
"$venv/bin/kubernetes-validate" --strict --quiet --no-warn "$deploy"/k8s/*.yaml "$deploy"/k8s/fleet/*.yaml
