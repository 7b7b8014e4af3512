#!/bin/sh
# `make fuzz`: builds the harnesses and fuzzes for FUZZ_SECONDS in all (default 180), shared
# equally between the two targets:
#   fuzz-scene     the scene language and graph files (Fuzz/FuzzScene.swift), corpus Fuzz/corpus
#   fuzz-terminal  the stepper under a hostile terminal, and writes to failing descriptors
#                  (Fuzz/FuzzTerminal.swift), corpus Fuzz/corpus-terminal
# then minimises everything each found into its corpus (libFuzzer's set-cover merge: a small set
# of inputs with the same edge coverage), which is committed so the next run starts where this
# one ended. FUZZ_TARGETS="scene" (or "terminal") runs one only.
#
# A crash or a hang stops the run with its input in .build-fuzz/artifacts/; reproduce it with
# `.build-fuzz/fuzz-scene FILE` (or fuzz-terminal). A hang is an input that uses more than
# FUZZ_CPU_SECONDS (default 30) of CPU time (Fuzz/CPUBudget.swift: CPU time means the same on a
# quiet and on a loaded machine), or, for an input that blocks without using the CPU, more than
# FUZZ_TIMEOUT (default 600) seconds of wall clock. The fuzzer runs at `nice` FUZZ_NICE (default
# 10) with one BLAS thread, so that it takes what builds on the same machine leave.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${FUZZ_SECONDS:-180}
timeout=${FUZZ_TIMEOUT:-600}
niceness=${FUZZ_NICE:-10}
targets=${FUZZ_TARGETS:-scene terminal}
export OPENBLAS_NUM_THREADS=1
# FUZZ_SKIP_BUILD=1 fuzzes the harnesses already in .build-fuzz (the build takes minutes).
[ "${FUZZ_SKIP_BUILD:-0}" = 1 ] || "$root/Fuzz/build.sh" >/dev/null
work="$root/.build-fuzz"
share=$((seconds / $(echo $targets | wc -w)))

fuzz() {
    name=$1 corpus=$2
    shift 2
    fuzzer="$work/fuzz-$name"
    mkdir -p "$work/corpus-$name" "$work/artifacts" "$corpus"
    echo "fuzz: $name for $share s"
    # Leak checking is off: Swift's runtime caches look like leaks to LeakSanitizer, and checking
    # after every input makes the fuzzer thirty times slower. ASan's memory errors stay on.
    # The first directory receives what the fuzzer finds: the work corpus, never the seeds.
    nice -n "$niceness" "$fuzzer" -detect_leaks=0 -timeout="$timeout" -rss_limit_mb=3072 -max_len=8192 \
        -max_total_time="$share" -print_final_stats=1 -artifact_prefix="$work/artifacts/$name-" \
        ${dictionary:+-dict="$dictionary"} "$work/corpus-$name" "$corpus" "$@"
    merged="$work/merged-$name"
    rm -rf "$merged"
    mkdir -p "$merged"
    # Edges only (no hit counters) and a greedy set cover: the same coverage in a few hundred files.
    nice -n "$niceness" "$fuzzer" -detect_leaks=0 -use_counters=0 -set_cover_merge=1 "$merged" "$corpus" "$work/corpus-$name" 2>/dev/null
    rm -rf "$corpus"
    mv "$merged" "$corpus"
    echo "fuzz: $name: $(ls "$corpus" | wc -l) inputs in ${corpus#$root/}"
}

for target in $targets; do
    case $target in
    scene) dictionary="$root/Fuzz/scene.dict" fuzz scene "$root/Fuzz/corpus" "$root/Fuzz/seeds" "$root/Scenes" ;;
    terminal) dictionary="$root/Fuzz/terminal.dict" fuzz terminal "$root/Fuzz/corpus-terminal" "$root/Fuzz/seeds-terminal" ;;
    *) echo "fuzz: unknown target $target" >&2; exit 2 ;;
    esac
done
