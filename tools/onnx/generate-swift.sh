#!/usr/bin/env bash
# Regenerates the Swift code for tools/onnx/onnx-subset.proto. Needs protoc (Debian: protobuf-compiler)
# and swift-protobuf's protoc-gen-swift, which this builds once in .build-protoc-gen-swift (about 10
# minutes on 2 cores). CI never runs this: the generated file is committed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=1.39.0   # the swift-protobuf version Package.swift depends on
plugin_dir="$root/.build-protoc-gen-swift"
if [ ! -x "$plugin_dir/swift-protobuf/.build/release/protoc-gen-swift" ]; then
    mkdir -p "$plugin_dir"
    [ -d "$plugin_dir/swift-protobuf" ] || git clone --quiet https://github.com/apple/swift-protobuf.git "$plugin_dir/swift-protobuf"
    git -C "$plugin_dir/swift-protobuf" checkout --quiet "$version"
    swift build --package-path "$plugin_dir/swift-protobuf" -c release --product protoc-gen-swift
fi
out="$root/Sources/VigilModels/ONNX/Generated"
mkdir -p "$out"
protoc --plugin="protoc-gen-swift=$plugin_dir/swift-protobuf/.build/release/protoc-gen-swift" \
    --proto_path="$root/tools/onnx" --swift_out="$out" --swift_opt=Visibility=Internal \
    onnx-subset.proto
