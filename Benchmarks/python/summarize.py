"""Prints the end-to-end table from the JSON lines that endtoend.py and compare.py wrote.

    python3 summarize.py Benchmarks/.out/results.jsonl

Ratios are per node: a tool's time per node divided by gradflow's on the same workload, so a
ratio of 50 means gradflow does each node of the computation 50 times faster. The issue's
targets (50x micrograd, 30x PyTorch, at most 100 bytes per node end to end) are checked.
"""
import json
import sys

TARGETS = {"micrograd": 50, "torch": 30}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: summarize.py RESULTS.jsonl")
    with open(sys.argv[1], encoding="utf-8") as results:
        rows = [json.loads(line) for line in results if line.strip()]
    timings = [row for row in rows if "ns_per_node" in row and not row["workload"].startswith("export")]
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
    for row in memory:
        verdicts.append(f"peak memory end to end, {row['nodes']:,}-node chain: {row['bytes_per_node']:.0f} bytes/node "
                        f"(target 100: {'met' if row['bytes_per_node'] <= 100 else 'missed'})")
    print()
    for verdict in verdicts:
        print("TARGET " + verdict)


if __name__ == "__main__":
    main()
