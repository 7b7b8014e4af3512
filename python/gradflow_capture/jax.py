"""Capture a JAX function: ``save(f, *args, path="lesson.json")``.

``jax.make_jaxpr(f)(*args)`` gives the function's equations; this module evaluates them in
double precision with gradflow's op rules, one scalar node per element (``jnp.dot`` of two
vectors is a ``multiply`` per term and a ``sum``), with nested calls (``jax.jit``-decorated
functions, ``jax.checkpoint``) as groups. Every float argument element is an input, named after
the argument (``w[0,1]``). Before writing, the recorded graph's value and gradient are compared
with ``f(*args)`` and ``jax.grad(f)``: a capture that differs is refused, never written.

Enable double precision (``jax.config.update("jax_enable_x64", True)``) for results that match
``jax.grad`` to the last digits; in single precision they match to about 1e-6.
"""

import inspect
import math

import jax

from ._graph import CaptureError, Recorder, adjoints, check_agreement
from ._grid import Grid

__all__ = ["save", "record", "CaptureError"]

_UNARY = {"neg": "negate", "sin": "sin", "cos": "cos", "tan": "tan", "exp": "exp", "log": "ln",
          "tanh": "tanh", "logistic": "sigmoid", "sqrt": "sqrt", "abs": "abs"}
_BINARY = {"add": "add", "sub": "subtract", "mul": "multiply", "div": "divide", "max": "max", "min": "min", "pow": "power"}
# A binary op with a constant: (op when the constant is on the right, op when on the left).
_WITH_CONSTANT = {"add": ("addConstant", "addConstant"), "sub": ("addConstant", "constantSubtract"),
                  "mul": ("multiplyConstant", "multiplyConstant"), "div": ("divideByConstant", "constantDivide"),
                  "pow": ("powerConstant", "constantPower")}
_VIEWS = {"copy", "copy_p", "convert_element_type", "reduce_precision", "optimization_barrier"}
_CALLS = {"pjit", "jit", "closed_call", "core_call", "remat", "checkpoint", "remat2", "custom_jvp_call",
          "custom_vjp_call", "custom_vjp_call_jaxpr", "custom_lin"}
# Names for the nodes an equation makes (gradflow versions repeats: tanh, tanh₂, …).
_NODE_NAMES = {"dot_general": "dot", "reduce_sum": "sum", "reduce_max": "max", "reduce_min": "min",
               "integer_pow": "pow", "logistic": "sigmoid", "log": "ln"}
_COMPARISONS = {"gt": lambda a, b: a > b, "ge": lambda a, b: a >= b, "lt": lambda a, b: a < b,
                "le": lambda a, b: a <= b, "eq": lambda a, b: a == b, "ne": lambda a, b: a != b}


def save(f, *args, path, title=None):
    """Writes the graph of ``f(*args)`` as a gradflow graph file at ``path``."""
    record(f, *args, title=title).save(path)


def record(f, *args, title=None):
    """The ``Recorder`` holding the graph of ``f(*args)`` (see ``save``)."""
    closed = jax.make_jaxpr(f)(*args)
    leaves_with_paths, _ = jax.tree_util.tree_flatten_with_path(args)
    argument_names = _argument_names(f, len(args))
    recorder = Recorder(title=title or _function_name(f), producer="gradflow_capture.jax")
    evaluator = _Evaluator(recorder)
    inputs = []
    for var, (path, leaf) in zip(closed.jaxpr.invars, leaves_with_paths):
        name = argument_names[path[0].idx] + jax.tree_util.keystr(path[1:])
        if _is_float(var.aval.dtype):
            grid = _leaf_grid(recorder, leaf, name, differentiable=True)
            inputs.append(grid)
        else:
            grid = _Values(_python_values(leaf), tuple(var.aval.shape))
        evaluator.env[var] = grid
    for var, const in zip(closed.jaxpr.constvars, closed.consts):
        evaluator.env[var] = _leaf_grid(recorder, const, "const", differentiable=False)
    outputs = evaluator.run(closed.jaxpr)
    output_name = _function_name(f) or "f"
    flat_outputs = [node for grid in outputs for node in _nodes(grid, "an output")]
    for index, node in enumerate(flat_outputs):
        recorder.output(node, output_name if len(flat_outputs) == 1 else f"{output_name}[{index}]")
    _check_against_jax(f, args, recorder, flat_outputs, inputs)
    return recorder


def _check_against_jax(f, args, recorder, outputs, inputs):
    """The recorded graph must give f's value and, for a scalar f, jax.grad(f)."""
    double = jax.config.read("jax_enable_x64")
    tolerance = 1e-9 if double else 1e-5
    expected = _flat_floats(f(*args))
    for index, (node, value) in enumerate(zip(outputs, expected)):
        check_agreement(recorder.values[node], value, f"output {index}", tolerance)
    if len(outputs) != 1 or not inputs:
        return
    float_arguments = [i for i, leaf in enumerate(args) if _all_float(leaf)]
    gradients = jax.grad(f, argnums=tuple(float_arguments))(*args)
    adjoint = adjoints(recorder, outputs[0])
    recorded = [adjoint[node] for grid in inputs for node in grid.nodes]
    for index, (mine, theirs) in enumerate(zip(recorded, _flat_floats(gradients))):
        check_agreement(mine, theirs, f"the gradient with respect to input element {index} (jax.grad)", tolerance)


class _Values:
    """Non-differentiable numbers (integer arguments, comparison results): not graph nodes."""

    def __init__(self, values, shape):
        self.values, self.shape = list(values), tuple(shape)


class _Evaluator:
    def __init__(self, recorder):
        self.recorder = recorder
        self.env = {}

    def read(self, atom):
        if type(atom).__name__ == "Literal":  # jax.extend.core.Literal: the 2.0 in `div h 2.0`
            return _Constant(atom.val)
        return self.env[atom]

    def run(self, jaxpr):
        for equation in jaxpr.eqns:
            operands = [self.read(atom) for atom in equation.invars]
            results = self.equation(equation, operands)
            for var, result in zip(equation.outvars, results):
                self.env[var] = result
        return [self.read(atom) for atom in jaxpr.outvars]

    def equation(self, equation, operands):
        name, params, r = equation.primitive.name, equation.params, self.recorder
        r.naming = _NODE_NAMES.get(name, name)
        try:
            return self._equation(equation, name, params, operands)
        finally:
            r.naming = None

    def _equation(self, equation, name, params, operands):
        r = self.recorder
        if name in _CALLS:
            return self.call(name, params, operands)
        if name in _COMPARISONS:
            a, b = (self.values(x) for x in operands)
            return [_Values([_COMPARISONS[name](x, y) for x, y in _broadcast_values(a, b)], _broadcast_values(a, b, shape=True))]
        if name == "select_n":
            return [self.select(operands)]
        if name in _VIEWS:
            return [operands[0]]
        grid = operands[0] if operands else None
        if name in _UNARY:
            return [self.grid(grid).map(lambda n: r.unary(_UNARY[name], n))]
        if name == "integer_pow":
            return [self.grid(grid).map(lambda n: r.with_constant("powerConstant", n, params["y"]))]
        if name == "square":
            return [self.grid(grid).map(lambda n: r.with_constant("powerConstant", n, 2))]
        if name == "rsqrt":
            return [self.grid(grid).map(lambda n: r.with_constant("powerConstant", n, -0.5))]
        if name in _BINARY:
            return [self.binary(name, operands[0], operands[1])]
        if name == "reduce_sum":
            return [self.grid(grid).reduce(params["axes"], lambda terms: r.total(terms))]
        if name in ("reduce_max", "reduce_min"):
            op = "max" if name == "reduce_max" else "min"
            return [self.grid(grid).reduce(params["axes"], lambda terms: _chain(r, op, terms))]
        if name == "dot_general":
            contracting, batch = params["dimension_numbers"]
            return [Grid.dot_general(self.grid(operands[0]), self.grid(operands[1]), contracting, batch,
                                     lambda a, b: r.binary("multiply", a, b), r.total,
                                     lambda: r.leaf(0.0, "0", differentiable=False))]
        if name == "broadcast_in_dim":
            return [self.grid(grid).broadcast_in_dim(params["shape"], params["broadcast_dimensions"])]
        if name == "reshape":
            return [self.grid(grid).reshape(params["new_sizes"])]
        if name == "transpose":
            return [self.grid(grid).transpose(list(params["permutation"]))]
        if name == "squeeze":
            return [self.grid(grid).squeeze(params["dimensions"])]
        if name == "expand_dims":
            return [self.grid(grid).expand_dims(params["dimensions"])]
        if name == "slice":
            return [self.grid(grid).slice(params["start_indices"], params["limit_indices"], params["strides"])]
        if name == "concatenate":
            return [Grid.concatenate([self.grid(x) for x in operands], params["dimension"])]
        raise CaptureError(
            f"the JAX primitive `{name}` is not one gradflow_capture.jax can record as gradflow ops "
            f"(in the equation `{equation}`); nothing was written")

    def call(self, name, params, operands):
        inner = params.get("jaxpr") or params.get("call_jaxpr") or params.get("fun_jaxpr")
        if inner is None:
            raise CaptureError(f"the JAX call `{name}` carries no jaxpr gradflow_capture.jax can read")
        jaxpr, consts = (inner.jaxpr, inner.consts) if hasattr(inner, "consts") else (inner, [])
        label = params.get("name")
        grouped = label is not None and name not in ("custom_jvp_call", "custom_vjp_call", "custom_vjp_call_jaxpr")
        if grouped:
            self.recorder.open_group(str(label))
        inner_evaluator = _Evaluator(self.recorder)
        for var, const in zip(jaxpr.constvars, consts):
            inner_evaluator.env[var] = _leaf_grid(self.recorder, const, "const", differentiable=False)
        for var, operand in zip(jaxpr.invars, operands):
            inner_evaluator.env[var] = operand
        results = inner_evaluator.run(jaxpr)
        results = [self.grid(result) if isinstance(result, _Constant) else result for result in results]
        if grouped:
            self.recorder.close_group()
        return results

    def binary(self, name, a, b):
        r = self.recorder
        if isinstance(b, _Constant) and name in _WITH_CONSTANT and b.is_scalar:
            return self.grid(a).map(lambda n: r.with_constant(_WITH_CONSTANT[name][0], n, -b.value if name == "sub" else b.value))
        if isinstance(a, _Constant) and name in _WITH_CONSTANT and a.is_scalar:
            return self.grid(b).map(lambda n: r.with_constant(_WITH_CONSTANT[name][1], n, a.value))
        return Grid.zip(self.grid(a), self.grid(b), lambda x, y: r.binary(_BINARY[name], x, y))

    def select(self, operands):
        predicate, cases = self.values(operands[0]), [self.grid(case) for case in operands[1:]]
        shape = cases[0].shape
        chosen = predicate.values if len(predicate.values) == len(cases[0].nodes) else predicate.values * len(cases[0].nodes)
        return Grid(shape, [cases[int(which)].nodes[i] for i, which in enumerate(chosen)])

    def grid(self, operand):
        """Nodes for an operand: a literal or non-differentiable numbers become constant leaves."""
        if isinstance(operand, Grid):
            return operand
        if isinstance(operand, _Constant):
            return _leaf_grid(self.recorder, operand.raw, _number_name(operand.value) if operand.is_scalar else "const",
                              differentiable=False)
        if isinstance(operand, _Values):
            return Grid(operand.shape, [self.recorder.leaf(float(v), None, differentiable=False) for v in operand.values])
        raise CaptureError(f"internal: cannot use {type(operand).__name__} as nodes")

    def values(self, operand):
        if isinstance(operand, _Values):
            return operand
        if isinstance(operand, _Constant):
            return _Values(operand.flat, operand.shape)
        return _Values([self.recorder.values[n] for n in operand.nodes], operand.shape)


class _Constant:
    """A literal of the jaxpr (the 2.0 in `div h 2.0`)."""

    def __init__(self, raw):
        self.raw = raw
        self.flat = _python_values(raw)
        self.shape = tuple(getattr(raw, "shape", ()))
        self.is_scalar = len(self.flat) == 1 and not self.shape
        self.value = float(self.flat[0]) if self.flat else math.nan


def _chain(recorder, op, terms):
    node = terms[0]
    for term in terms[1:]:
        node = recorder.binary(op, node, term)
    return node


def _broadcast_values(a, b, shape=False):
    ga, gb = Grid(a.shape, range(len(a.values))), Grid(b.shape, range(len(b.values)))
    pairs = Grid.zip(ga, gb, lambda i, j: (i, j))
    if shape:
        return pairs.shape
    return [(a.values[i], b.values[j]) for i, j in pairs.nodes]


def _leaf_grid(recorder, array, name, differentiable):
    values = _python_values(array)
    shape = tuple(getattr(array, "shape", ()))
    if not shape:
        return Grid((), [recorder.leaf(values[0], name, differentiable)])
    indices = [",".join(str(i) for i in index) for index in _all_indices(shape)]
    return Grid(shape, [recorder.leaf(v, f"{name}[{i}]" if name else None, differentiable) for v, i in zip(values, indices)])


def _all_indices(shape):
    import itertools
    return itertools.product(*(range(extent) for extent in shape))


def _python_values(array):
    """The elements of an array or number as Python numbers, row-major."""
    if hasattr(array, "tolist"):
        values = array.tolist()
    else:
        values = array
    flat, stack = [], [values]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
        else:
            flat.append(item)
    return flat


def _flat_floats(tree):
    return [float(v) for leaf in jax.tree_util.tree_leaves(tree) for v in _python_values(leaf)]


def _nodes(operand, what):
    if isinstance(operand, Grid):
        return operand.nodes
    raise CaptureError(f"{what} does not depend on the inputs; gradflow has nothing to differentiate")


def _is_float(dtype):
    return jax.numpy.issubdtype(dtype, jax.numpy.floating)


def _all_float(leaf):
    return all(_is_float(getattr(x, "dtype", jax.numpy.asarray(x).dtype)) for x in jax.tree_util.tree_leaves(leaf))


def _argument_names(f, count):
    try:
        parameters = [p.name for p in inspect.signature(f).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        parameters = []
    return [parameters[i] if i < len(parameters) else f"x{i}" for i in range(count)]


def _function_name(f):
    name = getattr(f, "__name__", None)
    return name if name and name.isidentifier() else None


def _number_name(x):
    return str(int(x)) if math.isfinite(x) and x.is_integer() and abs(x) < 1e15 else repr(x)
