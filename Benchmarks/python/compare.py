"""Times one Python autodiff tool on W1 (the chain) or W2 (the network) and checks its gradient.

    python3 compare.py --tool micrograd --workload chain --iterations 20000 --runs 5

Prints one JSON line: the tool, the workload, gradflow's node count for the same computation,
the median and fastest seconds of forward + backward in CPU time of the process (one warm-up run
first; imports, interpreter start and input set-up are not timed), and the time per node. CPU
time, because the benchmark machine is shared; every tool here runs on one thread. Per-node figures divide by the
nodes *gradflow* records, so every tool is charged for the same computation. Exits non-zero if
the gradient is wrong: against the closed form for W1, against central differences for W2.
"""
import argparse
import json
import math
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workloads  # noqa: E402


# Each tool: chain(iterations) -> (dx, dw) and network() -> (loss, gradient list), timed whole.

def micrograd_tool():
    from micrograd.engine import Value

    def chain(iterations):
        x, w = Value(workloads.CHAIN_X), Value(workloads.CHAIN_W)
        v = x
        for _ in range(iterations):
            v = (v * w + x).relu() * 0.5
        v.backward()
        return x.grad, w.grad

    def tanh(a):
        # micrograd's package (0.1.0) stops at relu; this is the tanh of its lecture, same pattern.
        t = math.tanh(a.data)
        out = Value(t, (a,), "tanh")

        def _backward():
            a.grad += (1 - t * t) * out.grad
        out._backward = _backward
        return out

    def network():
        p = [Value(value) for value in workloads.parameters()]
        loss = workloads.network_loss(p, tanh)
        loss.backward()
        return loss.data, [parameter.grad for parameter in p]

    return chain, network


def autograd_tool():
    import autograd.numpy as anp
    from autograd import grad, value_and_grad

    def chain_value(parameters, iterations):
        x, w = parameters
        v = x
        for _ in range(iterations):
            v = anp.maximum(v * w + x, 0.0) * 0.5
        return v

    def chain(iterations):
        dx, dw = grad(chain_value)((workloads.CHAIN_X, workloads.CHAIN_W), iterations)
        return dx, dw

    # list(p) takes each parameter out of autograd's list box once; indexing the box inside the
    # loops would record 337-wide gradient scatters at every use (15 s a run instead of ~1 s).
    loss_and_gradient = value_and_grad(lambda p: workloads.network_loss(list(p), anp.tanh))

    def network():
        loss, gradient = loss_and_gradient(list(workloads.parameters()))
        return loss, list(gradient)

    return chain, network


def jax_tool():
    import jax
    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_platforms", "cpu")
    import jax.numpy as jnp

    def chain_value(parameters, iterations):
        x, w = parameters
        v = x
        for _ in range(iterations):
            v = jax.nn.relu(v * w + x) * 0.5
        return v

    def chain(iterations):
        start = (jnp.asarray(workloads.CHAIN_X), jnp.asarray(workloads.CHAIN_W))
        dx, dw = jax.grad(chain_value)(start, iterations)
        return float(dx), float(dw)

    loss_and_gradient = jax.value_and_grad(lambda p: workloads.network_loss(p, jnp.tanh))

    def network():
        loss, gradient = loss_and_gradient([jnp.asarray(value) for value in workloads.parameters()])
        return float(loss), [float(g) for g in gradient]

    return chain, network


def jax_jit_tool():
    """JAX as its users would write W1: a compiled fori_loop. Not a recorded graph at all."""
    import jax
    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_platforms", "cpu")
    import jax.numpy as jnp

    def chain_value(parameters, iterations):
        x, w = parameters
        return jax.lax.fori_loop(0, iterations, lambda _, v: jax.nn.relu(v * w + x) * 0.5, x)

    compiled = jax.jit(jax.grad(chain_value), static_argnums=1)

    def chain(iterations):
        dx, dw = compiled((jnp.asarray(workloads.CHAIN_X), jnp.asarray(workloads.CHAIN_W)), iterations)
        return float(dx), float(dw)

    return chain, None


def torch_tool():
    import torch
    torch.set_num_threads(1)

    def chain(iterations):
        x = torch.tensor(workloads.CHAIN_X, dtype=torch.float64, requires_grad=True)
        w = torch.tensor(workloads.CHAIN_W, dtype=torch.float64, requires_grad=True)
        v = x
        for _ in range(iterations):
            v = torch.relu(v * w + x) * 0.5
        v.backward()
        return x.grad.item(), w.grad.item()

    def network():
        p = [torch.tensor(value, dtype=torch.float64, requires_grad=True) for value in workloads.parameters()]
        loss = workloads.network_loss(p, torch.tanh)
        loss.backward()
        return loss.item(), [parameter.grad.item() for parameter in p]

    return chain, network


TOOLS = {"micrograd": micrograd_tool, "autograd": autograd_tool, "jax": jax_tool,
         "jax-jit": jax_jit_tool, "torch": torch_tool}


def check_chain(gradient):
    dx, dw = gradient
    if not (math.isclose(dx, workloads.CHAIN_DX, rel_tol=1e-12) and math.isclose(dw, workloads.CHAIN_DW, rel_tol=1e-12)):
        sys.exit(f"compare.py: error: W1 gradient ({dx}, {dw}) is not ({workloads.CHAIN_DX}, {workloads.CHAIN_DW})")


def check_network(result):
    loss, gradient = result
    values = workloads.parameters()
    expected = workloads.network_loss(values, math.tanh)
    if not math.isclose(loss, expected, rel_tol=1e-12):
        sys.exit(f"compare.py: error: W2 loss {loss} is not {expected}")
    for p in range(0, workloads.PARAMETER_COUNT, 37):  # ten parameters spread over all layers
        h = 1e-6
        up, down = list(values), list(values)
        up[p] += h
        down[p] -= h
        estimate = (workloads.network_loss(up, math.tanh) - workloads.network_loss(down, math.tanh)) / (2 * h)
        if abs(gradient[p] - estimate) > 1e-6 * max(1.0, abs(estimate)):
            sys.exit(f"compare.py: error: W2 gradient[{p}] = {gradient[p]}, central difference {estimate}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tool", choices=sorted(TOOLS), required=True)
    parser.add_argument("--workload", choices=["chain", "network"], required=True)
    parser.add_argument("--iterations", type=int, default=10000, help="W1's N (at least 100)")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    if arguments.iterations < 100 or arguments.runs < 1:
        parser.error("--iterations must be at least 100 and --runs at least 1")

    chain, network = TOOLS[arguments.tool]()
    if arguments.workload == "chain":
        body, check = (lambda: chain(arguments.iterations)), check_chain
        nodes = workloads.chain_nodes(arguments.iterations)
    else:
        if network is None:
            parser.error(f"{arguments.tool} runs W1 only")
        body, check, nodes = network, check_network, workloads.network_nodes()

    check(body())  # warm-up, and the check
    seconds = []
    for _ in range(arguments.runs):
        start = time.process_time()
        body()
        seconds.append(time.process_time() - start)
    median = statistics.median(seconds)
    print(json.dumps({"tool": arguments.tool, "workload": arguments.workload, "nodes": nodes,
                      "median_seconds": median, "fastest_seconds": min(seconds),
                      "ns_per_node": median / nodes * 1e9}))


if __name__ == "__main__":
    # micrograd sorts the graph by recursion, one Python frame per node: give it a deep stack.
    sys.setrecursionlimit(10_000_000)
    threading.stack_size(1 << 30)
    outcome = {"status": 0}

    def run():
        try:
            main()
        except SystemExit as exit_:  # a thread's sys.exit ends only the thread: pass it on
            if isinstance(exit_.code, str):
                print(exit_.code, file=sys.stderr)
            outcome["status"] = exit_.code if isinstance(exit_.code, int) else 1
        except Exception as error:  # noqa: BLE001 - any failure of a tool is a failed run
            print(f"compare.py: error: {type(error).__name__}: {error}", file=sys.stderr)
            outcome["status"] = 1

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    sys.exit(outcome["status"])
