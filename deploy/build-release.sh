#!/usr/bin/env bash
# Builds the release binary that the container image ships, and that CI's deploy tests run.
# The Dockerfile's build stage runs this script; so does .ci/run, since Docker cannot run there.
#
#   deploy/build-release.sh [OUTPUT_DIR]     (default: .build/release-dist)
#
# VIGIL_SCRATCH_PATH names another build folder (such as .build-release) when a debug build
# runs beside it.
#
# The Swift runtime and Foundation are linked statically (--static-swift-stdlib), so the binary
# needs only what deploy/runtime-libraries.txt lists at run time. The script checks that with ldd
# and fails when the binary links anything else.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/.build/release-dist"}
cd "$root"
scratch=(--scratch-path "${VIGIL_SCRATCH_PATH:-$root/.build}")
swift build "${scratch[@]}" -c release --product vigil --static-swift-stdlib >&2
bin=$(swift build "${scratch[@]}" -c release --product vigil --static-swift-stdlib --show-bin-path)
mkdir -p "$out"
cp "$bin/vigil" "$out/vigil"
strip "$out/vigil"
"$root/deploy/check-runtime-libraries.sh" "$out/vigil" >&2
echo "$out/vigil"
