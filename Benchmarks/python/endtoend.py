"""Times `gradflow grad` end to end (process start, parse, trace, sweep, JSON out) on W1 and W2.

    python3 endtoend.py --gradflow .build/release/gradflow --workload chain --iterations 1000000
    python3 endtoend.py --gradflow .build/release/gradflow --workload chain --iterations 2500000 --memory
    python3 endtoend.py --gradflow .build/release/gradflow --workload chain --iterations 2500 --export svg

Writes the scene into --scenes (default Benchmarks/.out), runs gradflow --runs times after one
warm-up (timing the child's CPU time, user + system, as compare.py times the Python tools), checks the gradient it prints (W1: the closed form; W2: the loss in plain floats and
central differences), and prints one JSON line in the format of compare.py. With --memory it runs
once and reports the child's peak resident size per node instead. With --export FORMAT it times
`gradflow export SCENE -o OUT.FORMAT` (W3) instead; a failed or hung export (after 300 s) is
reported in the JSON line rather than stopping the benchmark.
(--timeout seconds, default 60).
"""
import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys


def child_seconds():
    """CPU seconds (user + system) used so far by finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workloads  # noqa: E402


def fail(message):
    sys.exit(f"endtoend.py: error: {message}")


def check(workload, output):
    result = json.loads(output)["outputs"][0]
    gradient = result["gradient"]
    if workload == "chain":
        dx, dw = gradient["x"], gradient["w"]
        if not (math.isclose(dx, workloads.CHAIN_DX, rel_tol=1e-12) and math.isclose(dw, workloads.CHAIN_DW, rel_tol=1e-12)):
            fail(f"W1 gradient ({dx}, {dw}) is not ({workloads.CHAIN_DX}, {workloads.CHAIN_DW})")
        return
    values = workloads.parameters()
    expected = workloads.network_loss(values, math.tanh)
    if not math.isclose(result["value"], expected, rel_tol=1e-12):
        fail(f"W2 loss {result['value']} is not {expected}")
    for p in range(0, workloads.PARAMETER_COUNT, 37):
        h = 1e-6
        up, down = list(values), list(values)
        up[p] += h
        down[p] -= h
        estimate = (workloads.network_loss(up, math.tanh) - workloads.network_loss(down, math.tanh)) / (2 * h)
        if abs(gradient[f"p{p}"] - estimate) > 1e-6 * max(1.0, abs(estimate)):
            fail(f"W2 gradient p{p} = {gradient[f'p{p}']}, central difference {estimate}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gradflow", required=True, help="the gradflow binary (a release build)")
    parser.add_argument("--workload", choices=["chain", "network"], required=True)
    parser.add_argument("--iterations", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scenes", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".out"))
    parser.add_argument("--memory", action="store_true", help="report peak memory per node")
    parser.add_argument("--export", choices=["dot", "svg"], help="time `gradflow export` instead (W3)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds before an export counts as hung")
    arguments = parser.parse_args()
    if arguments.iterations < 100 or arguments.runs < 1:
        parser.error("--iterations must be at least 100 and --runs at least 1")

    os.makedirs(arguments.scenes, exist_ok=True)
    if arguments.workload == "chain":
        nodes = workloads.chain_nodes(arguments.iterations)
        text = workloads.chain_scene(arguments.iterations)
        path = os.path.join(arguments.scenes, f"w1-{arguments.iterations}.scene")
    else:
        nodes = workloads.network_nodes()
        text = workloads.network_scene()
        path = os.path.join(arguments.scenes, "w2.scene")
    with open(path, "w", encoding="utf-8") as scene:
        scene.write(text)
    command = [arguments.gradflow, "grad", path, "--format", "json", "--max-nodes", str(2 * nodes)]

    def run():
        finished = subprocess.run(command, capture_output=True, text=True)
        if finished.returncode != 0:
            fail(f"{' '.join(command)} exited {finished.returncode}: {finished.stderr.strip()}")
        return finished.stdout

    if arguments.export:
        export(arguments, path, nodes)
        return

    if arguments.memory:
        check(arguments.workload, run())
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        print(json.dumps({"tool": "gradflow", "workload": arguments.workload, "nodes": nodes,
                          "peak_bytes": peak, "bytes_per_node": peak / nodes}))
        return

    check(arguments.workload, run())
    seconds = []
    for _ in range(arguments.runs):
        start = child_seconds()
        run()
        seconds.append(child_seconds() - start)
    median = statistics.median(seconds)
    print(json.dumps({"tool": "gradflow", "workload": arguments.workload, "nodes": nodes,
                      "median_seconds": median, "fastest_seconds": min(seconds),
                      "ns_per_node": median / nodes * 1e9}))


def export(arguments, scene, nodes):
    """W3: the time to write the whole graph as DOT or SVG, median of --runs, or why it failed."""
    out = os.path.join(arguments.scenes, f"w3-{nodes}.{arguments.export}")
    command = [arguments.gradflow, "export", scene, "-o", out, "--max-nodes", str(2 * nodes)]
    row = {"tool": "gradflow export", "workload": f"export-{arguments.export}", "nodes": nodes}
    seconds = []
    for _ in range(arguments.runs + 1):  # the first is the warm-up
        start = child_seconds()
        try:
            finished = subprocess.run(command, capture_output=True, text=True, timeout=arguments.timeout)
        except subprocess.TimeoutExpired:
            row["error"] = f"no result after {arguments.timeout:g} s"
            break
        if finished.returncode != 0 or not os.path.getsize(out):
            reason = f"signal {-finished.returncode}" if finished.returncode < 0 else f"exit {finished.returncode}"
            row["error"] = f"{reason}: {finished.stderr.strip()[-200:]}"
            break
        seconds.append(child_seconds() - start)
    if "error" not in row:
        row.update({"median_seconds": statistics.median(seconds[1:]), "fastest_seconds": min(seconds[1:]),
                    "ns_per_node": statistics.median(seconds[1:]) / nodes * 1e9, "bytes": os.path.getsize(out)})
    print(json.dumps(row))


if __name__ == "__main__":
    main()
