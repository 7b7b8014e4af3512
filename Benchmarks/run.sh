#!/usr/bin/env bash
# `make bench`: the engine against hand-written Swift and Swift's _Differentiation (W1, W2),
# peak memory per node at 10 million nodes, and (when they exist) the end-to-end comparisons.
# Environment: RUNS (timed runs per variant, default 7), ITERATIONS (W1's N, default 1000000).
# The output ends with the two RATIO lines of issue 5.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-7}"
ITERATIONS="${ITERATIONS:-1000000}"

echo "== building GradflowBench (release)"
swift build -c release --product GradflowBench 2>&1 | tail -1
BENCH=.build/release/GradflowBench

echo
echo "== machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB, $(swift --version 2>&1 | head -1)"
echo "date: $(date -u +%Y-%m-%d)  load average: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== peak memory at 10 million nodes (each in its own process)"
"$BENCH" memory --nodes 10000002 --api graph
"$BENCH" memory --nodes 10000002 --api tape

"$BENCH" suite --runs "$RUNS" --iterations "$ITERATIONS"
