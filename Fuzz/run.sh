#!/bin/sh
# `make fuzz`: builds the harness, fuzzes the scene language for FUZZ_SECONDS (default 180),
# then minimises everything it found into Fuzz/corpus (libFuzzer's set-cover merge: a small set of
# inputs with the same edge coverage), which is committed so the next run starts where this one
# ended.
#
# A crash or a hang (an input slower than FUZZ_TIMEOUT seconds) stops the run with its input in
# .build-fuzz/artifacts/; reproduce it with `.build-fuzz/fuzz-scene FILE`.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${FUZZ_SECONDS:-180}
timeout=${FUZZ_TIMEOUT:-10}
fuzzer=$("$root/Fuzz/build.sh" | tail -n 1)
work="$root/.build-fuzz"
mkdir -p "$work/corpus" "$work/artifacts" "$root/Fuzz/corpus"
# Leak checking is off: Swift's runtime caches look like leaks to LeakSanitizer, and checking
# after every input makes the fuzzer thirty times slower. ASan's memory errors stay on.
"$fuzzer" -detect_leaks=0 -timeout="$timeout" -rss_limit_mb=3072 -max_len=8192 \
    -max_total_time="$seconds" -print_final_stats=1 \
    -dict="$root/Fuzz/scene.dict" -artifact_prefix="$work/artifacts/" \
    "$work/corpus" "$root/Fuzz/corpus" "$root/Fuzz/seeds" "$root/Scenes"
merged="$work/merged"
rm -rf "$merged"
mkdir -p "$merged"
# Edges only (no hit counters) and a greedy set cover: the same coverage in a few hundred files.
"$fuzzer" -detect_leaks=0 -use_counters=0 -set_cover_merge=1 "$merged" "$root/Fuzz/corpus" "$work/corpus" 2>/dev/null
rm -rf "$root/Fuzz/corpus"
mv "$merged" "$root/Fuzz/corpus"
echo "fuzz: $(ls "$root/Fuzz/corpus" | wc -l) inputs in Fuzz/corpus"
