"""The benchmark workloads W1 and W2, defined once for every Python tool and for the scenes.

The numbers are built from sin and cos only (C's libm, as in Swift's GradflowBench), and the
scenes print every float with repr(), the shortest text that reads back to the same double, so
gradflow, micrograd, autograd, JAX and PyTorch all start from bit-identical inputs.
"""
import math

# W1, the chain: v = x, then N times v = relu(v * w + x) * 0.5.
CHAIN_X = 0.5
CHAIN_W = 0.9
# The fixed point's gradient, exact once (w/2)^N underflows (N >= 100): 1/(2 - w), x/(2 - w)^2.
CHAIN_DX = 1 / (2 - CHAIN_W)
CHAIN_DW = CHAIN_X / (2 - CHAIN_W) ** 2


def chain_nodes(iterations):
    """Nodes gradflow records for the chain: the two inputs, then four per iteration."""
    return 2 + 4 * iterations


# W2, the network: 2 -> 16 tanh -> 16 tanh -> 1, squared loss averaged over 100 points.
WIDTH = 16
POINTS = 100
SECOND_LAYER = WIDTH * 3
OUTPUT_LAYER = SECOND_LAYER + WIDTH * (WIDTH + 1)
PARAMETER_COUNT = OUTPUT_LAYER + WIDTH + 1


def parameters():
    """The 337 weights and biases: sin(0.7 p + 0.3) / sqrt(fan-in), layer by layer."""
    values = []
    for p in range(PARAMETER_COUNT):
        fan_in = 2.0 if p < SECOND_LAYER else float(WIDTH)
        values.append(math.sin(0.7 * p + 0.3) / math.sqrt(fan_in))
    return values


def points():
    """The 100 data points (x0, x1, y) with y = x0 * x1."""
    data = []
    for k in range(POINTS):
        x0 = 0.5 + 0.45 * math.cos(0.37 * k + 0.1)
        x1 = 0.5 + 0.45 * math.sin(0.61 * k + 0.2)
        data.append((x0, x1, x0 * x1))
    return data


def network_loss(p, tanh, data=None):
    """The loss in plain scalar operations on whatever number type p holds.

    Written once for every tool: each tool passes its own parameters and tanh. The expression
    shapes (left-to-right sums, the bias added last, (o - y) ** 2, / 100) are the scene's.
    """
    total = None
    for x0, x1, y in data or points():
        hidden1 = [tanh(p[3 * j] * x0 + p[3 * j + 1] * x1 + p[3 * j + 2]) for j in range(WIDTH)]
        hidden2 = []
        for j in range(WIDTH):
            row = SECOND_LAYER + j * (WIDTH + 1)
            total_in = p[row] * hidden1[0]
            for i in range(1, WIDTH):
                total_in = total_in + p[row + i] * hidden1[i]
            hidden2.append(tanh(total_in + p[row + WIDTH]))
        output = p[OUTPUT_LAYER] * hidden2[0]
        for i in range(1, WIDTH):
            output = output + p[OUTPUT_LAYER + i] * hidden2[i]
        output = output + p[OUTPUT_LAYER + WIDTH]
        squared_error = (output - y) ** 2
        total = squared_error if total is None else total + squared_error
    return total / POINTS


def network_nodes():
    """Nodes gradflow records for W2 (the inputs plus the per-point arithmetic), counted."""
    per_neuron_1 = 5                      # two scalings, two additions, tanh
    per_neuron_2 = WIDTH + (WIDTH - 1) + 2  # products, sums, bias, tanh
    per_output = WIDTH + (WIDTH - 1) + 1
    per_point = WIDTH * per_neuron_1 + WIDTH * per_neuron_2 + per_output + 3  # - y, ^2, +total
    return PARAMETER_COUNT + POINTS * per_point - 1 + 1  # the first point adds no total; / 100


def chain_scene(iterations):
    """W1 as a scene."""
    return (f'title "W1, the chain: {iterations} iterations of v = relu(v * w + x) * 0.5"\n'
            f"input x = {CHAIN_X!r}, w = {CHAIN_W!r}\n"
            "v = x\n"
            f"repeat {iterations} {{ v = relu(v * w + x) * 0.5 }}\n"
            "output v\n")


def network_scene():
    """W2 as a scene: the parameters are inputs p0...p336, the data are literals."""
    lines = ['title "W2, a 2-16-16-1 tanh network, squared loss over 100 points"']
    values = parameters()
    for start in range(0, PARAMETER_COUNT, 8):
        lines.append("input " + ", ".join(f"p{p} = {values[p]!r}" for p in range(start, min(start + 8, PARAMETER_COUNT))))
    for k, (x0, x1, y) in enumerate(points()):
        lines.append(f"# point {k}")
        for j in range(WIDTH):
            lines.append(f"h{j} = tanh(p{3 * j} * {x0!r} + p{3 * j + 1} * {x1!r} + p{3 * j + 2})")
        for j in range(WIDTH):
            row = SECOND_LAYER + j * (WIDTH + 1)
            terms = " + ".join(f"p{row + i} * h{i}" for i in range(WIDTH))
            lines.append(f"g{j} = tanh({terms} + p{row + WIDTH})")
        terms = " + ".join(f"p{OUTPUT_LAYER + i} * g{i}" for i in range(WIDTH))
        lines.append(f"o = {terms} + p{OUTPUT_LAYER + WIDTH}")
        error = f"(o - {y!r})^2"
        lines.append(f"loss = {error}" if k == 0 else f"loss = loss + {error}")
    lines.append(f"loss = loss / {POINTS}")
    lines.append("output loss")
    return "\n".join(lines) + "\n"
