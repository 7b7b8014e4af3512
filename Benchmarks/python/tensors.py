"""W5: a 784-128-10 MLP (tanh, softmax cross-entropy) on a batch of 32, forward + backward in
NumPy (a backward written by hand) or PyTorch (autograd), CPU, float64, one thread; or
`gradflow grad` end to end on the same computation written as a scene.

    python3 tensors.py --tool numpy --runs 21
    python3 tensors.py --tool torch --runs 21
    python3 tensors.py --tool gradflow --gradflow .build/release/gradflow --runs 11

Prints one JSON line in the format of compare.py: the tool, workload "w5", the median and fastest
CPU seconds (one warm-up first). NumPy and PyTorch: forward + backward inside the interpreter
(imports and data set-up not timed). gradflow: the whole process (start, parse, trace, sweep,
JSON out), user + system CPU time, and its peak resident size. Every tool draws the data with
gradflow's own `randn` generator, so all compute the same numbers, and each is checked before it
is timed: NumPy's hand-written backward against central differences on a few entries, PyTorch's
and gradflow's loss and gradients against NumPy's (to 1e-10).
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

# One thread for every library here, as for gradflow (OpenBLAS on one thread unless asked).
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import numpy as np  # noqa: E402

BATCH, INPUTS, HIDDEN, CLASSES = 32, 784, 128, 10


GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def randn(seed, *shape):
    """gradflow's `randn(SEED, d1, d2)`: element i is the Box–Muller normal of SplitMix64 words
    2i + 1 and 2i + 2 of the stream seeded with SEED (Sources/GradFlow/StandardNormal.swift)."""
    count = int(np.prod(shape))
    with np.errstate(over="ignore"):
        def split_mix(calls):
            z = np.uint64(seed) + calls * GOLDEN
            z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            return z ^ (z >> np.uint64(31))
        calls = np.arange(count, dtype=np.uint64) * np.uint64(2)
        u1 = ((split_mix(calls + np.uint64(1)) >> np.uint64(11)).astype(np.float64) + 0.5) / 9007199254740992.0
        u2 = ((split_mix(calls + np.uint64(2)) >> np.uint64(11)).astype(np.float64) + 0.5) / 9007199254740992.0
    return (np.sqrt(-2 * np.log(u1)) * np.cos(2 * np.pi * u2)).reshape(shape)


def data():
    """X [32, 784], W1 [784, 128], b1 [128], W2 [128, 10], b2 [10], one-hot Y [32, 10]: the
    numbers of W5's scene (`scene()`), drawn with gradflow's generator."""
    X = randn(1, BATCH, INPUTS)
    W1 = randn(2, INPUTS, HIDDEN) / 28                  # 28 = √784
    b1 = np.zeros(HIDDEN)
    W2 = randn(3, HIDDEN, CLASSES) / 16                 # about 1/√128
    b2 = np.zeros(CLASSES)
    Y = np.eye(CLASSES)[np.arange(BATCH) % CLASSES]
    return X, Y, [W1, b1, W2, b2]


def scene():
    """W5 as a scene: the same data and the same operations as the NumPy and PyTorch versions."""
    labels = ", ".join("[" + ", ".join("1" if c == i % CLASSES else "0" for c in range(CLASSES)) + "]"
                       for i in range(BATCH))
    return (f'title "W5: a 784-128-10 MLP, tanh, softmax cross-entropy, batch of 32"\n'
            f"const X = randn(1, {BATCH}, {INPUTS})\n"
            f"const Y = [{labels}]\n"
            f"input W1 = randn(2, {INPUTS}, {HIDDEN}) / 28\n"
            f"input b1 = zeros({HIDDEN})\n"
            f"input W2 = randn(3, {HIDDEN}, {CLASSES}) / 16\n"
            f"input b2 = zeros({CLASSES})\n"
            "h = tanh(X @ W1 + b1)\n"
            "logits = h @ W2 + b2\n"
            "L = -sum(Y * log_softmax(logits)) / 32\n"
            "output L\n")


def numpy_loss(X, Y, parameters):
    W1, b1, W2, b2 = parameters
    logits = np.tanh(X @ W1 + b1) @ W2 + b2
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -(Y * log_p).sum() / BATCH


def numpy_step(X, Y, parameters):
    """(loss, [W̄1, b̄1, W̄2, b̄2]): forward, then each vector–Jacobian product by hand."""
    W1, b1, W2, b2 = parameters
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    total = e.sum(axis=1, keepdims=True)
    loss = -(Y * (shifted - np.log(total))).sum() / BATCH
    logits_bar = (e / total * Y.sum(axis=1, keepdims=True) - Y) / BATCH   # log_softmax's VJP
    h_bar = logits_bar @ W2.T
    a_bar = h_bar * (1 - h * h)
    return loss, [X.T @ a_bar, a_bar.sum(axis=0), h.T @ logits_bar, logits_bar.sum(axis=0)]


def torch_step():
    import torch
    torch.set_num_threads(1)
    X, Y, parameters = data()
    X, Y = torch.from_numpy(X), torch.from_numpy(Y)
    leaves = [torch.from_numpy(p.copy()).requires_grad_() for p in parameters]

    def step():
        for leaf in leaves:
            leaf.grad = None
        W1, b1, W2, b2 = leaves
        logits = torch.tanh(X @ W1 + b1) @ W2 + b2
        loss = -(Y * torch.log_softmax(logits, dim=1)).sum() / BATCH
        loss.backward()
        return loss.item(), [leaf.grad.numpy() for leaf in leaves]
    return step


def check_numpy():
    X, Y, parameters = data()
    _, gradient = numpy_step(X, Y, parameters)
    random = np.random.default_rng(1)
    for which in range(4):
        for _ in range(3):
            index = tuple(random.integers(0, n) for n in parameters[which].shape)
            h = 1e-6
            up = [p.copy() for p in parameters]
            down = [p.copy() for p in parameters]
            up[which][index] += h
            down[which][index] -= h
            estimate = (numpy_loss(X, Y, up) - numpy_loss(X, Y, down)) / (2 * h)
            if abs(gradient[which][index] - estimate) > 1e-6 * max(1.0, abs(estimate)):
                sys.exit(f"tensors.py: error: NumPy gradient {which}{index} = {gradient[which][index]}, "
                         f"central difference {estimate}")


def check_against_numpy(result, tool):
    X, Y, parameters = data()
    loss, gradient = numpy_step(X, Y, parameters)
    if not np.isclose(result[0], loss, rtol=1e-10, atol=0):
        sys.exit(f"tensors.py: error: {tool}'s loss {result[0]} is not NumPy's {loss}")
    for name, got, want in zip(("W1", "b1", "W2", "b2"), result[1], gradient):
        if np.shape(got) != np.shape(want) or not np.allclose(got, want, rtol=1e-10, atol=1e-14):
            sys.exit(f"tensors.py: error: {tool}'s gradient of {name} is not NumPy's hand-written one")


def child_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def gradflow_tool(binary, runs, directory):
    """Times `gradflow grad W5.scene --format json`; returns the JSON line's fields."""
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "w5.scene")
    with open(path, "w", encoding="utf-8") as file:
        file.write(scene())
    command = [binary, "grad", path, "--format", "json"]

    def run():
        finished = subprocess.run(command, capture_output=True, text=True)
        if finished.returncode != 0:
            sys.exit(f"tensors.py: error: {' '.join(command)} exited {finished.returncode}: {finished.stderr.strip()}")
        return finished.stdout

    output = json.loads(run())["outputs"][0]
    gradient = output["gradient"]
    check_against_numpy((output["value"], [np.array(gradient[name]) for name in ("W1", "b1", "W2", "b2")]), "gradflow")
    seconds = []
    for _ in range(runs):
        start = child_seconds()
        run()
        seconds.append(child_seconds() - start)
    return {"median_seconds": statistics.median(seconds), "fastest_seconds": min(seconds),
            "peak_bytes": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tool", choices=["numpy", "torch", "gradflow"], required=True)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--gradflow", help="the gradflow binary (a release build), for --tool gradflow")
    parser.add_argument("--scenes", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".out"))
    arguments = parser.parse_args()
    if arguments.runs < 1:
        parser.error("--runs must be at least 1")
    row = {"tool": arguments.tool, "workload": "w5"}
    if arguments.tool == "gradflow":
        if not arguments.gradflow:
            parser.error("--tool gradflow needs --gradflow BINARY")
        row.update(gradflow_tool(arguments.gradflow, arguments.runs, arguments.scenes))
        print(json.dumps(row))
        return
    if arguments.tool == "numpy":
        check_numpy()
        X, Y, parameters = data()

        def body():
            return numpy_step(X, Y, parameters)
    else:
        body = torch_step()
        check_against_numpy(body(), "PyTorch")
    body()  # warm-up
    seconds = []
    for _ in range(arguments.runs):
        start = time.process_time()
        body()
        seconds.append(time.process_time() - start)
    row.update({"median_seconds": statistics.median(seconds), "fastest_seconds": min(seconds)})
    print(json.dumps(row))


if __name__ == "__main__":
    main()
