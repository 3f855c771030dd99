#!/usr/bin/env bash
# install-missing.sh PACKAGE...: installs the Debian packages not installed yet, reading the package
# lists first (a fresh machine has none, and apt-get install then finds nothing). Quiet on success.
set -euo pipefail
missing=()
for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -gt 0 ] || exit 0
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
