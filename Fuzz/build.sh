#!/bin/sh
# Builds the libFuzzer harness over the scene language and the graph-file reader (Fuzz/FuzzScene.swift) into
# .build-fuzz/fuzz-scene. The harness has no `main` of its own (libFuzzer supplies it), so it
# cannot be part of `swift build`; this script compiles the GradFlow, SceneLanguage and GraphFile modules
# with coverage instrumentation and AddressSanitizer, then links the harness against them.
#
# Usage: Fuzz/build.sh            (from anywhere; prints the path of the executable)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/.build-fuzz"
mkdir -p "$out/modules" "$out/objects"
# -O keeps the fuzzer fast; bounds, overflow and precondition checks stay on (not -Ounchecked).
flags="-sanitize=fuzzer,address -O -g -swift-version 6 -parse-as-library -I $out/modules"

build_module() {
    name=$1
    shift
    swiftc $flags -enable-testing -module-name "$name" -whole-module-optimization \
        -emit-module -emit-module-path "$out/modules/$name.swiftmodule" \
        -c -o "$out/objects/$name.o" "$@"
}

build_module GradFlow "$root"/Sources/GradFlow/*.swift
build_module SceneLanguage "$root"/Sources/SceneLanguage/*.swift
build_module GraphFile "$root"/Sources/GraphFile/*.swift
swiftc $flags -use-ld=lld -module-name FuzzScene -o "$out/fuzz-scene" \
    "$root/Fuzz/FuzzScene.swift" "$out/objects/GradFlow.o" "$out/objects/SceneLanguage.o" "$out/objects/GraphFile.o"
echo "$out/fuzz-scene"
