#!/usr/bin/env bash
# Estimates what the Dockerfile's runtime stage adds on top of debian:bookworm-slim, without
# Docker: the stripped binary, the installed size of the Debian packages it installs that the
# slim base lacks (libsqlite3-0, ca-certificates and its openssl and libssl3; zlib1g, libc6,
# libgcc-s1 and libstdc++6 are in the base already), and the bundled models.
#
#   deploy/image-size.sh [BINARY]    (default: .build/release-dist/vigil)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:-"$root/.build/release-dist/vigil"}
binary_bytes=$(stat -c %s "$binary")
package_kib=0
for package in libsqlite3-0 ca-certificates openssl libssl3; do
    size=$(apt-cache show "$package" | awk '/^Installed-Size:/ {print $2; exit}')
    printf '  %-16s %6d KiB\n' "$package" "$size"
    package_kib=$((package_kib + size))
done
models_bytes=$(du -sb "$root/models" | cut -f1)
total=$((binary_bytes + package_kib * 1024 + models_bytes))
printf '  %-16s %6d KiB\n' "binary" $((binary_bytes / 1024)) "models" $((models_bytes / 1024))
awk -v total="$total" -v binary="$binary_bytes" -v packages=$((package_kib * 1024)) -v models="$models_bytes" 'BEGIN {
    printf "layers on the base image: %.1f MB (binary %.1f MB, packages %.1f MB, models %.1f MB)\n",
        total / 1e6, binary / 1e6, packages / 1e6, models / 1e6 }'
