"""The graph being recorded, with gradflow's op rules, and its graph file (format version 1).

Every capture (micrograd, PyTorch, JAX) turns the framework's operations into calls on a
``Recorder``. The recorder evaluates each node in double precision with the same rule gradflow
uses (value and local derivatives ∂node/∂operand in one place per op, as in gradflow's op
table), so the file it writes agrees with ``gradflow check``'s rule check by construction; each
capture then compares its outputs with the framework's own, so a capture that recorded the
wrong computation fails loudly instead of writing a file.
"""

import json
import math

FORMAT = "gradflow-graph"
VERSION = 1


class CaptureError(Exception):
    """The computation cannot be recorded faithfully (an op gradflow has no rule for, …)."""


def _logistic(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _safe(f):
    """f, with NaN (or ±inf) where Python raises for a value outside the domain, as IEEE does."""
    def call(*args):
        try:
            return f(*args)
        except (ValueError, ZeroDivisionError):
            return math.nan
        except OverflowError:
            return math.inf
    return call


def _ln(a):
    if a == 0:
        return -math.inf
    return math.log(a) if a > 0 else math.nan


def _div(a, b):
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _pow(a, b):
    try:
        value = math.pow(a, b)
    except ValueError:
        return math.nan
    except (OverflowError, ZeroDivisionError):
        return math.inf
    return value


# Unary rules: value and ∂value/∂a from the operand's value a (and the node's value v).
_UNARY = {
    "negate": lambda a: (-a, -1.0),
    "exp": lambda a: (lambda v: (v, v))(_safe(math.exp)(a)),
    "ln": lambda a: (_ln(a), _div(1.0, a)),
    "sin": lambda a: (math.sin(a), math.cos(a)),
    "cos": lambda a: (math.cos(a), -math.sin(a)),
    "tan": lambda a: (lambda v: (v, 1 + v * v))(math.tan(a)),
    "tanh": lambda a: (lambda v: (v, 1 - v * v))(math.tanh(a)),
    "sigmoid": lambda a: (lambda v: (v, v * (1 - v)))(_logistic(a)),
    "relu": lambda a: (a if a > 0 else 0.0, 1.0 if a > 0 else 0.0),
    "sqrt": lambda a: (lambda v: (v, _div(0.5, v)))(math.sqrt(a) if a >= 0 else math.nan),
    "abs": lambda a: (abs(a), 1.0 if a > 0 else (-1.0 if a < 0 else 0.0)),
}

# Binary rules: value, ∂/∂a, ∂/∂b.
_BINARY = {
    "add": lambda a, b: (a + b, 1.0, 1.0),
    "subtract": lambda a, b: (a - b, 1.0, -1.0),
    "multiply": lambda a, b: (a * b, b, a),
    "divide": lambda a, b: (_div(a, b), _div(1.0, b), _div(-a, b * b)),
    "power": lambda a, b: (lambda v: (v, b * _pow(a, b - 1), 0.0 if v == 0 else v * _ln(a)))(_pow(a, b)),
    # A tie sends the whole derivative to the first operand, as gradflow's rule does.
    "max": lambda a, b: (a, 1.0, 0.0) if a >= b else (b, 0.0, 1.0),
    "min": lambda a, b: (a, 1.0, 0.0) if a <= b else (b, 0.0, 1.0),
}

# Ops with a constant parameter c: value and ∂value/∂a.
_WITH_CONSTANT = {
    "addConstant": lambda a, c: (a + c, 1.0),
    "constantSubtract": lambda a, c: (c - a, -1.0),
    "multiplyConstant": lambda a, c: (c * a, c),
    "divideByConstant": lambda a, c: (_div(a, c), _div(1.0, c)),
    "constantDivide": lambda a, c: (_div(c, a), _div(-c, a * a)),
    "powerConstant": lambda a, c: (_pow(a, c), 0.0 if c == 0 else c * _pow(a, c - 1)),
    "constantPower": lambda a, c: (lambda v: (v, 0.0 if v == 0 else v * _ln(c)))(_pow(c, a)),
}


class Recorder:
    """A graph in evaluation order; nodes are numbered from 0 as they are added."""

    def __init__(self, title=None, producer="gradflow_capture"):
        self.title = title
        self.producer = producer
        self.nodes = []
        self.values = []
        self.groups = []
        self.outputs = []
        self._open_groups = []
        # The name given to computed nodes that are not named otherwise (a capture sets it to
        # the op being recorded, so that the stepper shows `tanh₂` rather than `n14`).
        self.naming = None
        self._named_after_op = set()

    # Leaves and ops -------------------------------------------------------------------------

    def leaf(self, value, name=None, differentiable=True):
        """An input (its gradient is reported) or, with differentiable=False, a constant."""
        value = float(value)
        if not math.isfinite(value):
            raise CaptureError(f"the leaf {name or len(self.nodes)} has the value {value}; a graph file needs finite leaves")
        return self._append({"op": "input" if differentiable else "constant"}, value, name)

    def unary(self, op, a, name=None):
        value, da = _UNARY[op](self.values[a])
        return self._append({"op": op, "operands": [a], "partials": [da]}, value, name)

    def binary(self, op, a, b, name=None):
        value, da, db = _BINARY[op](self.values[a], self.values[b])
        return self._append({"op": op, "operands": [a, b], "partials": [da, db]}, value, name)

    def with_constant(self, op, a, constant, name=None):
        constant = float(constant)
        value, da = _WITH_CONSTANT[op](self.values[a], constant)
        return self._append({"op": op, "parameter": constant, "operands": [a], "partials": [da]}, value, name)

    def total(self, operands, name=None, mean=False):
        """sum (or mean) of one or more nodes; a sum of one node is that node."""
        operands = list(operands)
        if not operands:
            raise CaptureError("a sum of nothing")
        if len(operands) == 1 and not mean:
            return operands[0]
        value = 0.0
        for operand in operands:  # in order, as gradflow's rule adds them
            value += self.values[operand]
        n = len(operands)
        node = {"op": "mean" if mean else "sum", "operands": operands, "partials": [1.0 / n if mean else 1.0] * n}
        return self._append(node, value / n if mean else value, name)

    def _append(self, node, value, name):
        if not name and self.naming:
            name = self.naming
            self._named_after_op.add(len(self.nodes))
        if name:
            node["name"] = str(name)
        self.nodes.append(node)
        self.values.append(value)
        return len(self.nodes) - 1

    # Groups and outputs ---------------------------------------------------------------------

    def open_group(self, label):
        parent = self._open_groups[-1] if self._open_groups else None
        self.groups.append({"label": str(label), "first": len(self.nodes), "count": 0, "parent": parent})
        self._open_groups.append(len(self.groups) - 1)

    def close_group(self):
        index = self._open_groups.pop()
        group = self.groups[index]
        group["count"] = len(self.nodes) - group["first"]

    def output(self, node, name):
        """Declares an output; a node named only after its op (`sub₃`) takes the output's name."""
        self.outputs.append({"name": str(name), "node": node})
        if node in self._named_after_op:
            self.nodes[node]["name"] = str(name)
            self._named_after_op.discard(node)

    # The file ------------------------------------------------------------------------------

    def document(self):
        """The graph file as a JSON-ready dict."""
        nodes = []
        for index, (node, value) in enumerate(zip(self.nodes, self.values)):
            entry = {"id": index, "op": node["op"]}
            for key in ("name", "parameter", "operands"):
                if key in node:
                    entry[key] = node[key]
            if "partials" in node:
                entry["partials"] = [_number(p) for p in node["partials"]]
            entry["value"] = _number(value)
            nodes.append(entry)
        groups = []
        for group in self.groups:
            if group["count"] == 0:
                continue  # a module that recorded nothing (a Flatten of a scalar) draws no box
            entry = {"label": group["label"], "first": group["first"], "count": group["count"]}
            parent = group["parent"]
            while parent is not None and self.groups[parent]["count"] == 0:
                parent = self.groups[parent]["parent"]
            if parent is not None:
                entry["parent"] = groups_index(self.groups, parent)
            groups.append(entry)
        document = {"format": FORMAT, "version": VERSION, "producer": self.producer}
        if self.title:
            document["title"] = self.title
        document["nodes"] = nodes
        if groups:
            document["groups"] = groups
        document["outputs"] = self.outputs
        return document

    def text(self):
        """The graph file's text: one node per line, as gradflow writes it."""
        document = self.document()
        lines = ["{"]
        keys = [key for key in document if key not in ("nodes", "groups", "outputs")]
        for key in keys:
            lines.append(f"  {json.dumps(key)}: {json.dumps(document[key], ensure_ascii=False)},")
        lines.append('  "nodes": [')
        lines.append(",\n".join("    " + json.dumps(node, ensure_ascii=False, allow_nan=False) for node in document["nodes"]))
        lines.append("  ],")
        if "groups" in document:
            lines.append('  "groups": [')
            lines.append(",\n".join("    " + json.dumps(group, ensure_ascii=False) for group in document["groups"]))
            lines.append("  ],")
        lines.append(f'  "outputs": {json.dumps(document["outputs"], ensure_ascii=False)}')
        lines.append("}")
        return "\n".join(lines) + "\n"

    def save(self, path):
        if not self.outputs:
            raise CaptureError("the graph has no output")
        with open(path, "w", encoding="utf-8") as file:
            file.write(self.text())


def groups_index(groups, index):
    """The position of groups[index] among the groups that are written (the non-empty ones)."""
    return sum(1 for group in groups[:index] if group["count"] > 0)


def _number(x):
    """A JSON number, or the string gradflow reads for NaN and the infinities."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def check_agreement(captured, framework, what, tolerance):
    """Raise when the recorded graph's value differs from the framework's: the capture is wrong."""
    captured, framework = float(captured), float(framework)
    if math.isnan(captured) and math.isnan(framework):
        return
    if captured == framework:
        return
    scale = max(1.0, abs(captured), abs(framework))
    if not abs(captured - framework) <= tolerance * scale:
        raise CaptureError(
            f"{what}: the recorded graph gives {captured!r} but the framework computed {framework!r}; "
            "the capture does not describe this computation (please report it)")


def adjoints(recorder, output):
    """The adjoint ∂output/∂node of every node, by a reverse sweep over the recorded partials:
    what gradflow will compute from the file, so a capture can compare it with the framework's
    own gradient before writing anything."""
    adjoint = [0.0] * len(recorder.nodes)
    adjoint[output] = 1.0
    for node in range(output, -1, -1):
        incoming = adjoint[node]
        if incoming == 0.0:
            continue
        entry = recorder.nodes[node]
        for operand, partial in zip(entry.get("operands", ()), entry.get("partials", ())):
            adjoint[operand] += incoming * partial
    return adjoint
