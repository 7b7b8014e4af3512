"""Capture a PyTorch forward pass::

    from gradflow_capture.torch import capture
    with capture(model) as graph:
        loss = torch.nn.functional.cross_entropy(model(x), y)
    graph.save("lesson.json", loss)

Every ATen operation the forward pass runs is seen through a ``TorchDispatchMode`` (PyTorch's
documented mechanism for intercepting operators below autograd) and recorded in double
precision with gradflow's op rules, one scalar node per element (gradflow's graph is scalar
until tensors land: ``addmm`` is a ``multiply`` per term and a ``sum`` per entry, views cost no
node). Parameters of the given modules are the inputs, named after them (``0.weight[1,0]``);
each module call is a group (forward hooks). Before writing, the recorded value and gradient are
compared with the tensor's value and ``torch.autograd.grad``: a capture that differs (an op
whose convention differs from gradflow's, a ``detach``) is refused, never written.
"""

import inspect
import math

import torch
from torch.utils._python_dispatch import TorchDispatchMode

from ._graph import CaptureError, Recorder, adjoints, check_agreement
from ._grid import Grid

__all__ = ["capture", "save", "CaptureError"]

_UNARY = {"neg": "negate", "exp": "exp", "log": "ln", "sin": "sin", "cos": "cos", "tan": "tan", "tanh": "tanh",
          "sigmoid": "sigmoid", "relu": "relu", "sqrt": "sqrt", "abs": "abs"}
_BINARY = {"add": "add", "sub": "subtract", "mul": "multiply", "div": "divide", "maximum": "max", "minimum": "min",
           "pow": "power"}
# A binary op with a Python number: (op when the number is on the right, op when on the left).
_WITH_CONSTANT = {"add": ("addConstant", "addConstant"), "sub": ("addConstant", "constantSubtract"),
                  "mul": ("multiplyConstant", "multiplyConstant"), "div": ("divideByConstant", "constantDivide"),
                  "pow": ("powerConstant", "constantPower")}
_ALIASES = {"alias", "detach", "clone", "_to_copy", "lift_fresh", "lift_fresh_copy", "contiguous", "to"}
_NODE_NAMES = {"addmm": "linear", "mm": "matmul", "mv": "matmul", "bmm": "matmul", "dot": "dot",
               "_log_softmax": "log_softmax", "_softmax": "softmax", "nll_loss_forward": "nll_loss"}


def save(f, *args, path, title=None):
    """Runs ``f(*args)`` under a capture (modules among the arguments give names and groups) and
    writes the graph of its result."""
    modules = [a for a in args if isinstance(a, torch.nn.Module)]
    with capture(*modules, title=title or getattr(f, "__name__", None)) as graph:
        result = f(*args)
    graph.save(path, result)


class capture:
    """A context manager recording every operation run inside it; ``save(path, output)`` after."""

    def __init__(self, *modules, title=None, names=None):
        self.recorder = Recorder(title=title, producer="gradflow_capture.torch")
        self._grids = {}          # id(tensor) → (tensor, Grid); the tensor is kept alive so ids stay unique
        self._leaves = {}         # id(tensor) → (tensor, name given) for leaves met on first use
        self._names = {id(t): n for t, n in (names or {}).items()}
        self._modules = modules
        for module in modules:
            for name, parameter in module.named_parameters():
                self._names.setdefault(id(parameter), name)
        self._hooks = []
        self._mode = _Mode(self)

    def __enter__(self):
        for module in self._modules:
            for name, submodule in module.named_modules():
                label = f"{name} ({type(submodule).__name__})" if name else type(submodule).__name__
                self._hooks.append(submodule.register_forward_pre_hook(lambda *_, label=label: self.recorder.open_group(label)))
                self._hooks.append(submodule.register_forward_hook(lambda *_: self.recorder.close_group()))
        self._mode.__enter__()
        return self

    def __exit__(self, *exception):
        self._mode.__exit__(*exception)
        for hook in self._hooks:
            hook.remove()
        # Leaves that are the caller's variables (x, y) take their names.
        caller = inspect.currentframe().f_back
        for variable, value in (caller.f_locals.items() if caller else []):
            if isinstance(value, torch.Tensor) and id(value) in self._leaves and id(value) not in self._names:
                self._rename(value, variable)
        return False

    def save(self, path, output, name=None):
        """Writes the graph of ``output`` (a tensor computed inside the capture)."""
        grid = self._grid_or_none(output)
        if grid is None:
            raise CaptureError("the output was not computed inside the capture from anything it recorded")
        output_name = name or "loss"
        for index, node in enumerate(grid.nodes):
            self.recorder.output(node, output_name if len(grid.nodes) == 1 else f"{output_name}[{index}]")
        self._check_against_torch(output, grid)
        self.recorder.save(path)

    # Recording ------------------------------------------------------------------------------------

    def record(self, func, args, kwargs, out):
        packet = func.overloadpacket.__name__
        tensors = [a for a in _flat(args) + _flat(list(kwargs.values())) if isinstance(a, torch.Tensor)]
        if not any(self._tracked(t) for t in tensors):
            return  # only data: its result becomes a constant where it is used
        if packet.endswith("_") and packet not in ("_to_copy",) and not packet.startswith("_"):
            raise CaptureError(f"the in-place operation aten.{packet} changes a tensor the graph depends on; "
                               "gradflow_capture.torch records out-of-place programs")
        self.recorder.naming = _NODE_NAMES.get(packet, packet)
        try:
            result = _Operations(self).run(packet, func, args, kwargs)
        finally:
            self.recorder.naming = None
        outputs = out if isinstance(out, (tuple, list)) else [out]
        results = result if isinstance(result, list) else [result]
        for tensor, grid in zip(outputs, results):
            if isinstance(tensor, torch.Tensor) and grid is not None:
                self._grids[id(tensor)] = (tensor, grid)

    def _tracked(self, tensor):
        return id(tensor) in self._grids or tensor.requires_grad

    def _grid_or_none(self, tensor):
        entry = self._grids.get(id(tensor))
        return entry[1] if entry and entry[0] is tensor else None

    def grid(self, tensor):
        """The nodes of a tensor: recorded, or a new leaf (an input if it requires grad)."""
        grid = self._grid_or_none(tensor)
        if grid is not None:
            return grid
        values = tensor.detach().to(torch.float64).reshape(-1).tolist()
        name = self._names.get(id(tensor))
        differentiable = tensor.requires_grad
        base = name or ("input" if differentiable else "data")
        shape = tuple(tensor.shape)
        indices = [",".join(map(str, index)) for index in _indices(shape)]
        nodes = [self.recorder.leaf(v, base if not shape else f"{base}[{i}]", differentiable) for v, i in zip(values, indices)]
        grid = Grid(shape, nodes)
        self._grids[id(tensor)] = (tensor, grid)
        self._leaves[id(tensor)] = (tensor, name)
        return grid

    def _rename(self, tensor, name):
        shape, grid = tuple(tensor.shape), self._grids[id(tensor)][1]
        for node, index in zip(grid.nodes, _indices(shape)):
            self.recorder.nodes[node]["name"] = name if not shape else f"{name}[{','.join(map(str, index))}]"

    def _check_against_torch(self, output, grid):
        double = output.dtype == torch.float64
        tolerance = 1e-9 if double else 1e-4
        values = output.detach().to(torch.float64).reshape(-1).tolist()
        for index, (node, value) in enumerate(zip(grid.nodes, values)):
            check_agreement(self.recorder.values[node], value, f"output element {index}", tolerance)
        inputs = [(t, g) for t, g in (self._grids[key] for key in self._leaves) if t.requires_grad]
        if len(grid.nodes) != 1 or not inputs or not output.requires_grad:
            return
        gradients = torch.autograd.grad(output, [t for t, _ in inputs], retain_graph=True, allow_unused=True)
        adjoint = adjoints(self.recorder, grid.nodes[0])
        for (tensor, leaf_grid), gradient in zip(inputs, gradients):
            expected = [0.0] * len(leaf_grid.nodes) if gradient is None else gradient.to(torch.float64).reshape(-1).tolist()
            for node, value in zip(leaf_grid.nodes, expected):
                name = self.recorder.nodes[node].get("name", node)
                check_agreement(adjoint[node], value, f"the gradient with respect to {name} (torch.autograd.grad)", tolerance)


class _Mode(TorchDispatchMode):
    def __init__(self, graph):
        super().__init__()
        self.graph = graph

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        self.graph.record(func, args, kwargs, out)
        return out


class _Operations:
    """ATen operations as scalar nodes."""

    def __init__(self, graph):
        self.graph, self.r = graph, graph.recorder

    def nodes(self, x):
        if isinstance(x, Grid):
            return x
        if isinstance(x, torch.Tensor):
            return self.graph.grid(x)
        return Grid.scalar(self.r.leaf(float(x), _number_name(x), differentiable=False))

    def run(self, packet, func, args, kwargs):
        r, a = self.r, args
        if packet in _ALIASES:
            return self.nodes(a[0])
        if packet in _UNARY:
            return self.nodes(a[0]).map(lambda n: r.unary(_UNARY[packet], n))
        if packet == "rsqrt":
            return self.nodes(a[0]).map(lambda n: r.with_constant("powerConstant", n, -0.5))
        if packet in _BINARY:
            alpha = kwargs.get("alpha", 1)
            other = a[1] if len(a) > 1 else kwargs.get("other", kwargs.get("exponent"))
            if alpha != 1:
                other = self.scaled(other, alpha)
            return self.binary(packet, a[0], other)
        if packet == "rsub":
            alpha = kwargs.get("alpha", a[2] if len(a) > 2 else 1)
            return self.binary("sub", a[1], self.scaled(a[0], alpha) if alpha != 1 else a[0])
        if packet in ("clamp_min",):
            return self.binary("maximum", a[0], a[1])
        if packet in ("sum", "mean"):
            grid = self.nodes(a[0])
            dims = a[1] if len(a) > 1 and a[1] is not None else kwargs.get("dim") or list(range(grid.rank))
            keepdim = (a[2] if len(a) > 2 else kwargs.get("keepdim", False))
            reduced = grid.reduce(_dims(dims, grid.rank), lambda terms: r.total(terms, mean=packet == "mean") if terms else self.zero())
            return reduced.reshape(_kept(grid.shape, _dims(dims, grid.rank))) if keepdim else reduced
        if packet in ("mm", "mv", "dot", "bmm"):
            return self.matmul(self.nodes(a[0]), self.nodes(a[1]))
        if packet == "addmm":
            beta, alpha = kwargs.get("beta", 1), kwargs.get("alpha", 1)
            if beta != 1 or alpha != 1:
                raise CaptureError("aten.addmm with beta or alpha other than 1 is not recorded")
            product = self.matmul(self.nodes(a[1]), self.nodes(a[2]))
            return Grid.zip(product, self.nodes(a[0]), lambda x, y: r.binary("add", x, y))
        if packet in ("t", "transpose", "permute", "view", "_unsafe_view", "reshape", "expand", "unsqueeze",
                      "squeeze", "select", "slice"):
            return self.view(packet, self.nodes(a[0]), a[1:], kwargs)
        if packet in ("_log_softmax", "_softmax"):
            return self.softmax(self.nodes(a[0]), a[1], log=packet == "_log_softmax")
        if packet == "nll_loss_forward":
            return [self.nll_loss(self.nodes(a[0]), a[1], a[2], a[3], a[4]), None]
        if packet == "mse_loss":
            reduction = a[2] if len(a) > 2 else kwargs.get("reduction", 1)
            squares = Grid.zip(self.nodes(a[0]), self.nodes(a[1]), lambda x, y: r.with_constant(
                "powerConstant", r.binary("subtract", x, y), 2))
            return self.reduced(squares, reduction)
        raise CaptureError(f"the PyTorch operation aten.{packet} ({func}) is not one gradflow_capture.torch "
                           "can record as gradflow ops; nothing was written")

    def binary(self, packet, x, y):
        r = self.r
        if _is_number(y) and packet in _WITH_CONSTANT:
            c = float(y)
            return self.nodes(x).map(lambda n: r.with_constant(_WITH_CONSTANT[packet][0], n, -c if packet == "sub" else c))
        if _is_number(x) and packet in _WITH_CONSTANT:
            return self.nodes(y).map(lambda n: r.with_constant(_WITH_CONSTANT[packet][1], n, float(x)))
        return Grid.zip(self.nodes(x), self.nodes(y), lambda p, q: r.binary(_BINARY[packet], p, q))

    def scaled(self, x, alpha):
        if _is_number(x):
            return x * alpha
        return self.nodes(x).map(lambda n: self.r.with_constant("multiplyConstant", n, alpha))

    def zero(self):
        return self.r.leaf(0.0, "0", differentiable=False)

    def matmul(self, lhs, rhs):
        # mm: (i,k)·(k,j); mv: (i,k)·(k); dot: (k)·(k); bmm: (b,i,k)·(b,k,j).
        batch = ([0], [0]) if lhs.rank == 3 else ([], [])
        contracting = ([lhs.rank - 1], [rhs.rank - 2 if rhs.rank >= 2 else 0])
        return Grid.dot_general(lhs, rhs, contracting, batch, lambda x, y: self.r.binary("multiply", x, y),
                                self.r.total, self.zero)

    def view(self, packet, grid, rest, kwargs):
        if packet == "t":
            return grid.transpose([1, 0]) if grid.rank == 2 else grid
        if packet == "transpose":
            d0, d1 = (d % grid.rank for d in rest[:2])
            permutation = list(range(grid.rank))
            permutation[d0], permutation[d1] = d1, d0
            return grid.transpose(permutation)
        if packet == "permute":
            return grid.transpose([d % grid.rank for d in rest[0]])
        if packet in ("view", "_unsafe_view", "reshape"):
            return grid.reshape(list(rest[0]))
        if packet == "expand":
            size = [grid.shape[i - (len(rest[0]) - grid.rank)] if s == -1 else s for i, s in enumerate(rest[0])]
            return grid.broadcast_to(size)
        if packet == "unsqueeze":
            return grid.expand_dims([rest[0] % (grid.rank + 1)])
        if packet == "squeeze":
            dims = rest[0] if rest else [d for d, s in enumerate(grid.shape) if s == 1]
            dims = [dims] if isinstance(dims, int) else dims
            return grid.squeeze([d % max(1, grid.rank) for d in dims if grid.shape[d % max(1, grid.rank)] == 1])
        if packet == "select":
            dim = rest[0] % grid.rank
            return grid.select(dim, rest[1] % grid.shape[dim])
        if packet == "slice":
            dim = (rest[0] if rest else 0) % grid.rank
            start = rest[1] if len(rest) > 1 and rest[1] is not None else 0
            end = min(rest[2] if len(rest) > 2 and rest[2] is not None else grid.shape[dim], grid.shape[dim])
            step = rest[3] if len(rest) > 3 else 1
            starts, limits, strides = [0] * grid.rank, list(grid.shape), [1] * grid.rank
            starts[dim], limits[dim], strides[dim] = start % (grid.shape[dim] + 1), end, step
            return grid.slice(starts, limits, strides)
        raise CaptureError(f"internal: view aten.{packet}")

    def softmax(self, grid, dim, log):
        """(log_)softmax along dim from exp, sum, ln, with the row's largest value subtracted as a
        constant for stability (softmax does not change when a constant is subtracted)."""
        r, dim = self.r, dim % grid.rank
        moved = grid.transpose([d for d in range(grid.rank) if d != dim] + [dim])
        rows = moved.reshape([-1, grid.shape[dim]])
        out = []
        for row in range(rows.shape[0]):
            nodes = rows.nodes[row * rows.shape[1]:(row + 1) * rows.shape[1]]
            largest = max(r.values[n] for n in nodes)
            shifted = [r.with_constant("addConstant", n, -largest) for n in nodes]
            exps = [r.unary("exp", n) for n in shifted]
            total = r.total(exps)
            if log:
                log_total = r.unary("ln", total)
                out.extend(r.binary("subtract", n, log_total) for n in shifted)
            else:
                out.extend(r.binary("divide", e, total) for e in exps)
        permutation = [d for d in range(grid.rank) if d != dim] + [dim]
        back = Grid(moved.shape, out)
        return back.transpose([permutation.index(d) for d in range(grid.rank)])

    def nll_loss(self, log_probabilities, target, weight, reduction, ignore_index):
        if weight is not None:
            raise CaptureError("aten.nll_loss_forward with class weights is not recorded")
        targets = target.reshape(-1).tolist()
        grid = log_probabilities if log_probabilities.rank == 2 else log_probabilities.reshape([1, -1])
        picked = [self.r.unary("negate", grid.at([row, t])) for row, t in enumerate(targets) if t != ignore_index]
        return self.reduced(Grid((len(picked),), picked), reduction)

    def reduced(self, grid, reduction):
        if reduction == 0:
            return grid
        return Grid.scalar(self.r.total(grid.nodes, mean=reduction == 1))


def _is_number(x):
    return not isinstance(x, (torch.Tensor, Grid))


def _number_name(x):
    x = float(x)
    return str(int(x)) if math.isfinite(x) and x.is_integer() and abs(x) < 1e15 else repr(x)


def _dims(dims, rank):
    dims = [dims] if isinstance(dims, int) else list(dims)
    return [d % max(1, rank) for d in dims]


def _kept(shape, dims):
    return [1 if d in dims else s for d, s in enumerate(shape)]


def _indices(shape):
    import itertools
    return itertools.product(*(range(extent) for extent in shape))


def _flat(items):
    flat = []
    for item in items:
        if isinstance(item, (list, tuple)):
            flat.extend(_flat(item))
        else:
            flat.append(item)
    return flat
