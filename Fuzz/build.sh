#!/bin/sh
# Builds the libFuzzer harness over the scene language and the graph-file reader (Fuzz/FuzzScene.swift) into
# .build-fuzz/fuzz-scene. The harness has no `main` of its own (libFuzzer supplies it), so it
# cannot be part of `swift build`; this script compiles the Escaping, GradFlow, SceneLanguage and GraphFile modules
# with coverage instrumentation and AddressSanitizer, then links the harness against them.
#
# A second harness, Fuzz/FuzzTerminal.swift, drives the stepper with what a hostile terminal
# sends and the exporter's writer against failing descriptors; it needs GraphExport and Stepper,
# with Graphviz's and ncurses' module maps, and is built into .build-fuzz/fuzz-terminal.
#
# Usage: Fuzz/build.sh            (from anywhere; prints the paths of the executables)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/.build-fuzz"
mkdir -p "$out/modules" "$out/objects"
# -O keeps the fuzzer fast; bounds, overflow and precondition checks stay on (not -Ounchecked).
# GradFlow's matrix products declare OpenBLAS's cblas_dgemm through the COpenBLAS module map
# (the library itself is opened at run time): every module that imports GradFlow needs the map.
blas="-I $root/Sources/COpenBLAS"
flags="-sanitize=fuzzer,address -O -g -swift-version 6 -parse-as-library -I $out/modules $blas"

build_module() {
    name=$1
    shift
    swiftc $flags -enable-testing -module-name "$name" -whole-module-optimization \
        -emit-module -emit-module-path "$out/modules/$name.swiftmodule" \
        -c -o "$out/objects/$name.o" "$@"
}

build_module Escaping $(find "$root/Sources/Escaping" -name '*.swift' | sort)
build_module GradFlow $(find "$root/Sources/GradFlow" -name '*.swift' | sort)
build_module SceneLanguage $(find "$root/Sources/SceneLanguage" -name '*.swift' | sort)
build_module GraphFile $(find "$root/Sources/GraphFile" -name '*.swift' | sort)
swiftc $flags -use-ld=lld -module-name FuzzScene -o "$out/fuzz-scene" \
    "$root/Fuzz/FuzzScene.swift" "$root/Fuzz/CPUBudget.swift" "$out/objects/GradFlow.o" "$out/objects/SceneLanguage.o" "$out/objects/GraphFile.o" "$out/objects/Escaping.o"
c_modules="-I $root/Sources/CGraphviz -I $root/Sources/CNcursesw"
build_module Notation $(find "$root/Sources/Notation" -name '*.swift' | sort)
build_module Charts $(find "$root/Sources/Charts" -name '*.swift' | sort)
build_module GraphExport $c_modules $(find "$root/Sources/GraphExport" -name '*.swift' | sort)
# The stepper without comparison tracing (edges and counters only): the edge untangler's search
# compares cells in its inner loop, and tracing those comparisons was half of what a frame
# cost the terminal target. The escape sequences it would have helped find are in
# Fuzz/terminal.dict.
fuzzer_flags=$flags
flags=$(echo "$flags" | sed 's/-sanitize=fuzzer,address/-sanitize=address -sanitize-coverage=edge,inline-8bit-counters,pc-table/')
build_module Stepper $c_modules $(find "$root/Sources/Stepper" -name '*.swift' | sort)
flags=$fuzzer_flags
swiftc $flags $c_modules -use-ld=lld -module-name FuzzTerminal -o "$out/fuzz-terminal" \
    "$root/Fuzz/FuzzTerminal.swift" "$root/Fuzz/CPUBudget.swift" "$out/objects/GradFlow.o" "$out/objects/SceneLanguage.o" \
    "$out/objects/Notation.o" "$out/objects/Charts.o" "$out/objects/GraphExport.o" "$out/objects/Stepper.o" "$out/objects/Escaping.o" -lgvc -lcgraph -lcdt -lncursesw
echo "$out/fuzz-scene"
echo "$out/fuzz-terminal"
