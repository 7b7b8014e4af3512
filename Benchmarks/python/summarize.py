"""Prints the end-to-end table from the JSON lines that endtoend.py and compare.py wrote.

    python3 summarize.py Benchmarks/.out/results.jsonl

Ratios are per node: a tool's time per node divided by gradflow's on the same workload, so a
ratio of 50 means gradflow does each node of the computation 50 times faster. The targets
(50x micrograd and PyTorch per node) are checked, and `goals` prints the table of speed goals
(docs/benchmarks.md) with each measured figure beside its goal.
"""
import json
import sys

TARGETS = {"micrograd": 50, "torch": 50}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: summarize.py RESULTS.jsonl")
    with open(sys.argv[1], encoding="utf-8") as results:
        rows = [json.loads(line) for line in results if line.strip()]
    # Rows from the Swift suite ("engine": true) go to the goals table only.
    timings = [row for row in rows if "ns_per_node" in row and not row["workload"].startswith("export")
               and not row.get("engine")]
    memory = [row for row in rows if "bytes_per_node" in row]

    print("End to end, CPU time per node: gradflow is the whole `gradflow grad` process (start, parse,")
    print("trace, sweep, JSON); the Python tools are forward + backward inside a warm interpreter.")
    print(f"{'workload':<9}{'tool':<11}{'nodes':>12}{'median':>13}{'ns/node':>13}{'per node vs gradflow':>24}")
    verdicts = []
    for workload, label in (("chain", "W1"), ("network", "W2")):
        reference = next((row for row in timings if row["workload"] == workload and row["tool"] == "gradflow"), None)
        for row in (row for row in timings if row["workload"] == workload):
            ratio = row["ns_per_node"] / reference["ns_per_node"] if reference else float("nan")
            print(f"{label:<9}{row['tool']:<11}{row['nodes']:>12,}{row['median_seconds'] * 1e3:>10.1f} ms"
                  f"{row['ns_per_node']:>13,.0f}{ratio:>21.1f} x")
            target = TARGETS.get(row["tool"])
            if target and reference:
                verdicts.append(f"{label} gradflow vs {row['tool']}: {ratio:.1f}x faster per node "
                                f"(target {target}x: {'met' if ratio >= target else 'missed'})")
    exports = [row for row in rows if row["workload"].startswith("export")]
    if exports:
        print()
        print("W3, export of the W1 chain (`gradflow export SCENE -o OUT`, whole process)")
        for row in exports:
            kind = row["workload"].split("-")[1].upper()
            if "error" in row:
                print(f"{kind:<5}{row['nodes']:>10,} nodes   failed: {row['error']}")
            else:
                print(f"{kind:<5}{row['nodes']:>10,} nodes{row['median_seconds'] * 1e3:>12.1f} ms"
                      f"{row['ns_per_node']:>10,.0f} ns/node{row['bytes'] / 1e6:>10.1f} MB")
    for row in exports:
        if row["workload"] != "export-svg":
            continue
        seconds = row.get("median_seconds")
        figure = f"{seconds:.2f} s" if seconds is not None else row.get("error", "failed")
        verdicts.append(f"W3 export -o x.svg of the {row['nodes']:,}-node chain, default folding: {figure} "
                        f"(target 5 s: {'met' if seconds is not None and seconds <= 5 else 'missed'})")
    verdicts += w5(rows)
    print()
    for verdict in verdicts:
        print("TARGET " + verdict)
    print()
    goals(rows)


def goals(rows):
    """The speed goals, each measured figure beside its goal (a missing measurement prints `-`)."""
    def find(predicate):
        return next((row for row in rows if predicate(row)), None)

    grad = find(lambda row: row["tool"] == "gradflow" and row["workload"] == "chain" and row["nodes"] == 800_002
                and "ns_per_node" in row)
    memory = find(lambda row: "bytes_per_node" in row and row["tool"] == "gradflow")
    graph = find(lambda row: row["tool"] == "engine, Graph API" and row["workload"] == "chain")
    tape = find(lambda row: row["tool"] == "engine, Tape/Variable API" and row["workload"] == "chain")
    grown = find(lambda row: row["tool"] == "engine, Tape/Variable API, grown" and row["workload"] == "chain")
    floor = find(lambda row: row["tool"] == "floor: the same bytes, raw stores" and row["workload"] == "chain")
    svgs = [row for row in rows if row["workload"] == "export-svg"]
    table = [
        ("`gradflow grad` end to end, CPU ns per node (W1, 800,002 nodes)",
         grad and grad["ns_per_node"], "<=", 150, "{:,.0f}"),
        ("peak memory end to end, bytes per node (W1, 10,000,002 nodes)",
         memory and memory["bytes_per_node"], "<=", 80, "{:,.0f}"),
        ("Tape/Variable API vs Graph API, record + sweep (W1, both reserve capacity)",
         tape and graph and tape["ns_per_node"] / graph["ns_per_node"], "<=", 1.2, "{:.2f}x"),
        ("  the same with a tape that grows as it records (no capacity reserved)",
         grown and graph and grown["ns_per_node"] / graph["ns_per_node"], None, None, "{:.2f}x"),
        ("Graph API, record + sweep, ns per node (W1)", graph and graph["ns_per_node"], "<=", 12, "{:.1f}"),
        ("  floor: the same 48 bytes a node stored with no checks, then swept",
         floor and floor["ns_per_node"], None, None, "{:.1f}"),
    ]
    for row in svgs:
        seconds = None if "error" in row else row["median_seconds"]
        table.append((f"`export -o x.svg`, {row['nodes']:,}-node chain, seconds", seconds, "<=", 5, "{:.1f}"))
    print("Goals (CPU time; medians):")
    print(f"{'':<72}{'measured':>12}{'goal':>10}")
    for label, value, relation, goal, form in table:
        measured = "-" if value is None else form.format(value)
        target = "" if goal is None else f"<= {goal:g}"
        verdict = "" if goal is None or value is None else ("met" if value <= goal else "missed")
        print(f"{label:<72}{measured:>12}{target:>10}  {verdict}")


def w5(rows):
    """Prints W5's table (medians, each tool's time over PyTorch's) and returns its verdicts."""
    found = {row["tool"]: row for row in rows if row.get("workload") == "w5"}
    if not found:
        return []
    torch = found.get("torch")
    print()
    print("W5, a 784-128-10 MLP (tanh, softmax cross-entropy) on a batch of 32, CPU time, medians")
    labels = [("gradflow", "gradflow grad, end to end"), ("engine", "engine record + backward"),
              ("torch", "PyTorch CPU forward + backward"), ("numpy", "NumPy forward + backward")]
    for tool, label in labels:
        row = found.get(tool)
        if not row:
            continue
        ratio = f"{row['median_seconds'] / torch['median_seconds']:>8.2f} x PyTorch" if torch and tool != "gradflow" else ""
        peak = f"   peak {row['peak_bytes'] / 1e6:.0f} MB" if "peak_bytes" in row else ""
        print(f"{label:<34}{row['median_seconds'] * 1e3:>10.3f} ms{ratio}{peak}")
    if "engine" in found:
        engine = found["engine"]
        print(f"{'hand-written on MatrixProduct.gemm':<34}{engine['handwritten_seconds'] * 1e3:>10.3f} ms")
    verdicts = []
    if "gradflow" in found:
        row = found["gradflow"]
        met = row["median_seconds"] <= 0.3 and row["peak_bytes"] <= 200e6
        verdicts.append(f"W5 gradflow grad end to end: {row['median_seconds'] * 1e3:.1f} ms, peak {row['peak_bytes'] / 1e6:.0f} MB "
                        f"(target 300 ms and 200 MB: {'met' if met else 'missed'})")
    if "engine" in found and torch:
        ratio = found["engine"]["median_seconds"] / torch["median_seconds"]
        verdicts.append(f"W5 engine record + backward: {ratio:.2f}x PyTorch's time (target at most 2x: {'met' if ratio <= 2 else 'missed'})")
    return verdicts


if __name__ == "__main__":
    main()
