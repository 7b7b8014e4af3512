#!/usr/bin/env bash
# `make bench`: the numbers of issue 5, reproducible with this one command.
#
#   1. engine memory per node at 10 million nodes (GradflowBench memory, one process each)
#   2. end to end: `gradflow grad` on W1 and W2 scenes, its peak memory at 10 million nodes,
#      W3 (`gradflow export` as DOT and SVG at 1k, 10k, 100k nodes), W4 (the stepper's first
#      frame and per-step redraw at 10k and 100k nodes),
#      and the same computations in micrograd, HIPS autograd and JAX (PyTorch with TORCH=1),
#      installed into Benchmarks/.venv
#   3. W5 (tensors): the engine's tensor API vs the same written by hand on MatrixProduct.gemm;
#      `gradflow grad` end to end, NumPy and (TORCH=1) PyTorch in Benchmarks/python/tensors.py
#   4. side by side in one release binary: the engine vs hand-written Swift vs _Differentiation
#      (and the floor: the engine's bytes stored with no checks)
#   5. the end-to-end table, the goals table (each figure beside its goal), and the two RATIO lines
#
# Environment: RUNS (timed runs per measurement, default 5; the Swift suite uses max(RUNS, 5)),
# ITERATIONS (W1's N, default 1000000), PYTHON=0 (skip the Python tools), TORCH=1 (add PyTorch,
# a download of several GB; TORCH_PACKAGE='torch==2.13.0+cpu' picks a CPU-only build where the
# index has one), JAX_W2=1 (add JAX on W2: eager JAX needs ~1 ms a node, minutes).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-5}"
ITERATIONS="${ITERATIONS:-1000000}"
PYTHON="${PYTHON:-1}"
TORCH="${TORCH:-0}"
TORCH_PACKAGE="${TORCH_PACKAGE:-torch}"
JAX_W2="${JAX_W2:-0}"
OUT=Benchmarks/.out
RESULTS="$OUT/results.jsonl"
VENV=Benchmarks/.venv
mkdir -p "$OUT"
: > "$RESULTS"

echo "== building GradflowBench and gradflow (release)"
swift build -c release --product GradflowBench 2>&1 | tail -1
swift build -c release --product gradflow 2>&1 | tail -1
BENCH=.build/release/GradflowBench
GRADFLOW=.build/release/gradflow

echo
echo "== machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB, $(swift --version 2>&1 | head -1)"
echo "date: $(date -u +%Y-%m-%d)  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "transparent huge pages: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo unknown)"

echo
echo "== engine: peak memory at 10 million nodes (graph + adjoints, each in its own process)"
"$BENCH" memory --nodes 10000002 --api graph
"$BENCH" memory --nodes 10000002 --api tape

echo
echo "== end to end: gradflow grad (W1 with N = $ITERATIONS, W2), then at 10 million nodes for memory"
python3 Benchmarks/python/endtoend.py --gradflow "$GRADFLOW" --workload chain --iterations "$ITERATIONS" --runs "$RUNS" | tee -a "$RESULTS"
# The goals table's size: W1 at 800,002 nodes.
python3 Benchmarks/python/endtoend.py --gradflow "$GRADFLOW" --workload chain --iterations 200000 --runs "$RUNS" | tee -a "$RESULTS"
python3 Benchmarks/python/endtoend.py --gradflow "$GRADFLOW" --workload network --runs "$RUNS" | tee -a "$RESULTS"
python3 Benchmarks/python/endtoend.py --gradflow "$GRADFLOW" --workload chain --iterations 2500000 --memory | tee -a "$RESULTS"

echo
echo "== W3: export of the W1 chain at 1k, 10k and 100k nodes (DOT; SVG where Graphviz can)"
for iterations in 250 2500 25000; do
    python3 Benchmarks/python/endtoend.py --gradflow "$GRADFLOW" --workload chain --iterations "$iterations" --export dot --runs "$RUNS" | tee -a "$RESULTS"
done
for iterations in 250 2500; do
    python3 Benchmarks/python/endtoend.py --gradflow "$GRADFLOW" --workload chain --iterations "$iterations" --export svg --runs "$RUNS" | tee -a "$RESULTS"
done

echo
echo "== W4: the stepper on the W1 chain at 10k and 100k nodes, into the in-memory screen"
"$BENCH" stepper --runs "$RUNS"

echo
echo "== W5: a 784-128-10 MLP on a batch of 32, through the engine's tensor API"
"$BENCH" tensors --runs "$(( RUNS > 21 ? RUNS : 21 ))" | tee "$OUT/w5-engine.txt"
grep '^{' "$OUT/w5-engine.txt" >> "$RESULTS"

if [ "$PYTHON" = 1 ]; then
    echo
    echo "== the Python tools (a virtual environment in $VENV)"
    packages="micrograd autograd jax"
    [ "$TORCH" = 1 ] && packages="$packages $TORCH_PACKAGE"
    if { [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"; } &&
        "$VENV/bin/pip" install -q --disable-pip-version-check $packages; then
        py() { "$VENV/bin/python" Benchmarks/python/compare.py "$@" | tee -a "$RESULTS"; }
        # Sizes keep each run near a second. micrograd's time per node grows with the chain's
        # length (Python's cycle collector), so its short chain flatters it.
        py --tool micrograd --workload chain --iterations 1000 --runs "$RUNS"
        py --tool micrograd --workload network --runs 3
        py --tool autograd --workload chain --iterations 1000 --runs "$RUNS"
        py --tool autograd --workload network --runs 3
        py --tool jax --workload chain --iterations 100 --runs "$RUNS"
        [ "$JAX_W2" = 1 ] && py --tool jax --workload network --runs 1
        py --tool jax-jit --workload chain --iterations "$ITERATIONS" --runs "$RUNS"
        # W5 (tensors.py draws gradflow's randn data, checks every tool against NumPy's backward).
        w5() { "$VENV/bin/python" Benchmarks/python/tensors.py "$@" | tee -a "$RESULTS"; }
        w5 --tool gradflow --gradflow "$GRADFLOW" --runs "$RUNS"
        w5 --tool numpy --runs 21
        if [ "$TORCH" = 1 ]; then
            py --tool torch --workload chain --iterations 10000 --runs "$RUNS"
            py --tool torch --workload network --runs "$RUNS"
            w5 --tool torch --runs 21
        fi
    else
        echo "could not install $packages into $VENV (offline, or no python3-venv?): Python comparisons skipped"
    fi
fi

echo
"$BENCH" suite --runs "$(( RUNS > 5 ? RUNS : 5 ))" --iterations "$ITERATIONS" --results "$RESULTS" | tee "$OUT/suite.txt"

echo
python3 Benchmarks/python/summarize.py "$RESULTS"

# The two RATIO lines (from the suite above) end the output.
echo
grep '^RATIO ' "$OUT/suite.txt"
