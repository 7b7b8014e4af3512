"""Capture a micrograd computation: ``save(loss, "lesson.json")``.

Walks the ``Value`` graph from the output through ``_prev`` and ``_op`` (the attributes
micrograd's own ``draw_dot`` reads), records each node's value, and derives its local
derivatives from micrograd's op (micrograd keeps none: its ``_backward`` closures apply them).
Labels come from ``label`` where a ``Value`` has one (the lecture's version), else from the
caller's variable names (``a``, ``b``, ``loss``); ``inputs=[…]`` makes every other leaf a constant.

Any class shaped like micrograd's ``Value`` works (the lecture notebook's own, with ``label``,
``tanh`` and ``exp``): nothing is imported from micrograd.

Ops: ``+``, ``*``, ``**k``, ``ReLU``, ``tanh``, ``exp`` (and the same in other spellings);
another op is refused with its name, never recorded with a guessed derivative.
"""

import inspect

from ._graph import CaptureError, Recorder, check_agreement

__all__ = ["save", "record", "CaptureError"]

# micrograd's _op strings → gradflow's op, for the unary ops.
_UNARY_OPS = {"ReLU": "relu", "relu": "relu", "tanh": "tanh", "exp": "exp", "log": "ln", "sigmoid": "sigmoid"}


def save(root, path, inputs=None, title=None, names=None):
    """Writes the graph that computed ``root`` (a micrograd ``Value``) as a gradflow graph file.

    - inputs: the leaves whose gradients gradflow reports; the other leaves become constants.
      By default the named leaves (a ``label``, or a variable of the caller's) are the inputs and
      the unnamed ones, which micrograd makes from plain numbers (the 3 in ``3 * d``), constants;
      when no leaf has a name, every leaf is an input.
    - names: ``{value: "name"}`` for nodes without a label; by default the caller's local
      variables name the values they hold.
    """
    if names is None:
        names = _caller_names(inspect.currentframe().f_back)
    record(root, inputs=inputs, title=title, names=names).save(path)


def record(root, inputs=None, title=None, names=None):
    """The ``Recorder`` holding ``root``'s graph (see ``save``)."""
    if not _is_value(root):
        raise CaptureError(f"expected a micrograd Value (with data, _prev and _op), got {type(root).__name__}")
    if names is None:
        names = _caller_names(inspect.currentframe().f_back)
    name_of = {key if isinstance(key, int) else id(key): name for key, name in names.items()}
    order = _topological_order(root)
    label_of = {id(value): getattr(value, "label", "") or name_of.get(id(value)) for value in order}
    leaves = [value for value in order if not value._prev]
    if inputs is not None:
        input_ids = [id(value) for value in inputs]
    else:
        # Leaves the program named are the inputs; micrograd's operators wrap plain numbers
        # (the 3 in `3 * d`) in unnamed leaves, which become constants. No names: all inputs.
        named = [id(value) for value in leaves if label_of[id(value)]]
        input_ids = named or [id(value) for value in leaves]
    ranked = {key: rank for rank, key in enumerate(list(input_ids) + [key for key in name_of if key not in input_ids])}
    leaves.sort(key=lambda value: ranked.get(id(value), len(ranked)))
    recorder = Recorder(title=title, producer="gradflow_capture.micrograd")
    node_of = {}
    wanted = set(input_ids)
    # Leaves first (inputs in the order given or written, then constants), then the ops.
    for value in leaves + [value for value in order if value._prev]:
        label = label_of[id(value)] or (None if value._prev else _number_name(value.data))
        node_of[id(value)] = _record(recorder, value, node_of, label, wanted)
    recorder.output(node_of[id(root)], label_of[id(root)] or "loss")
    return recorder


def _number_name(x):
    """A constant's name: its value, as a person would write it (3, -1, 0.5)."""
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


def _record(recorder, value, node_of, label, input_ids):
    op = value._op
    children = list(value._prev)
    operands = [node_of[id(child)] for child in children]
    if not children:
        differentiable = id(value) in input_ids
        node = recorder.leaf(value.data, label, differentiable)
    elif op in ("+", "*"):
        # _prev is a set: `x * x` has one child, used twice.
        a, b = (operands * 2)[:2] if len(operands) == 1 else operands
        node = recorder.binary("add" if op == "+" else "multiply", a, b, label)
    elif op.startswith("**"):
        node = recorder.with_constant("powerConstant", operands[0], float(op[2:]), label)
    elif op in _UNARY_OPS and len(operands) == 1:
        node = recorder.unary(_UNARY_OPS[op], operands[0], label)
    else:
        raise CaptureError(
            f"micrograd op {op!r} (on {len(children)} operand{'s' if len(children) != 1 else ''}) is not one "
            "gradflow_capture.micrograd knows (+, *, **k, ReLU, tanh, exp); nothing was written")
    check_agreement(recorder.values[node], value.data, f"micrograd node {label or op!r}", 1e-12)
    return node


def _topological_order(root):
    """Every value root depends on, operands first; iterative, so deep graphs do not recurse."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        value, expanded = stack.pop()
        if expanded:
            order.append(value)
            continue
        if id(value) in seen:
            continue
        seen.add(id(value))
        stack.append((value, True))
        for child in value._prev:
            if id(child) not in seen:
                stack.append((child, False))
    return order


def _caller_names(frame):
    """The caller's local variables that hold a micrograd Value, keyed by the value's id."""
    names = {}
    if frame is None:
        return names
    for name, value in frame.f_locals.items():
        if _is_value(value) and not name.startswith("_"):
            names.setdefault(id(value), name)
    return names


def _is_value(x):
    """Whether x is shaped like micrograd's Value (duck typing: the lecture's own class counts)."""
    return all(hasattr(x, attribute) for attribute in ("data", "_prev", "_op"))
