"""A tensor of graph nodes: how a tensor program becomes a scalar graph.

gradflow's graph is scalar (tensors come later). A captured tensor op is recorded as the scalar
nodes that compute each of its elements: ``tanh`` of a vector is one ``tanh`` node per element, a
matrix product one ``multiply`` per term and one ``sum`` per entry. A ``Grid`` holds, for each
element of a tensor, the node that computes it (row-major), so that views (reshape, transpose,
broadcast, slices) cost no nodes at all. Pure Python, so that this package imports nothing but
the framework it captures from.
"""

import itertools

from ._graph import CaptureError


def _size(shape):
    size = 1
    for extent in shape:
        size *= extent
    return size


def _strides(shape):
    strides, step = [], 1
    for extent in reversed(shape):
        strides.append(step)
        step *= extent
    return tuple(reversed(strides))


def _indices(shape):
    return itertools.product(*(range(extent) for extent in shape))


class Grid:
    """``shape`` and the node of every element, row-major."""

    def __init__(self, shape, nodes):
        self.shape = tuple(int(extent) for extent in shape)
        self.nodes = list(nodes)
        if len(self.nodes) != _size(self.shape):
            raise CaptureError(f"internal: {len(self.nodes)} nodes for the shape {self.shape}")

    @staticmethod
    def scalar(node):
        return Grid((), [node])

    @staticmethod
    def build(shape, element):
        """A grid whose element at each multi-index is ``element(index)``."""
        return Grid(shape, [element(index) for index in _indices(shape)])

    def at(self, index):
        return self.nodes[sum(i * s for i, s in zip(index, _strides(self.shape)))]

    @property
    def rank(self):
        return len(self.shape)

    # Views: no nodes ----------------------------------------------------------------------------

    def reshape(self, shape):
        shape = tuple(shape)
        if -1 in shape:
            known = _size([extent for extent in shape if extent != -1])
            shape = tuple(len(self.nodes) // known if extent == -1 else extent for extent in shape)
        return Grid(shape, self.nodes)

    def transpose(self, permutation):
        shape = tuple(self.shape[axis] for axis in permutation)
        return Grid.build(shape, lambda index: self.at([index[permutation.index(axis)] for axis in range(self.rank)]))

    def broadcast_to(self, shape):
        """NumPy broadcasting: dimensions aligned from the right, extents of 1 repeated."""
        shape = tuple(shape)
        offset = len(shape) - self.rank
        if offset < 0 or any(own not in (1, want) for own, want in zip(self.shape, shape[offset:])):
            raise CaptureError(f"cannot broadcast the shape {self.shape} to {shape}")
        if shape == self.shape:
            return self
        return Grid.build(shape, lambda index: self.at([0 if own == 1 else i for own, i in zip(self.shape, index[offset:])]))

    def broadcast_in_dim(self, shape, dimensions):
        """XLA's broadcast: operand dimension k becomes output dimension dimensions[k]."""
        return Grid.build(shape, lambda index: self.at([0 if self.shape[k] == 1 else index[d] for k, d in enumerate(dimensions)]))

    def slice(self, starts, limits, strides=None):
        strides = strides or [1] * self.rank
        shape = [max(0, -(-(limit - start) // stride)) for start, limit, stride in zip(starts, limits, strides)]
        return Grid.build(shape, lambda index: self.at([start + i * stride for start, i, stride in zip(starts, index, strides)]))

    def select(self, axis, position):
        """The sub-grid at ``position`` along ``axis`` (the axis removed)."""
        shape = self.shape[:axis] + self.shape[axis + 1:]
        return Grid.build(shape, lambda index: self.at(list(index[:axis]) + [position] + list(index[axis:])))

    def squeeze(self, axes):
        return Grid([extent for axis, extent in enumerate(self.shape) if axis not in axes], self.nodes)

    def expand_dims(self, axes):
        shape = list(self.shape)
        for axis in sorted(axes):
            shape.insert(axis, 1)
        return Grid(shape, self.nodes)

    @staticmethod
    def concatenate(grids, axis):
        shape = list(grids[0].shape)
        shape[axis] = sum(grid.shape[axis] for grid in grids)
        starts = list(itertools.accumulate([0] + [grid.shape[axis] for grid in grids]))

        def element(index):
            part = max(k for k, start in enumerate(starts[:-1]) if index[axis] >= start)
            inner = list(index)
            inner[axis] -= starts[part]
            return grids[part].at(inner)
        return Grid.build(shape, element)

    # Computations: nodes made through ``make`` --------------------------------------------------

    def map(self, make):
        return Grid(self.shape, [make(node) for node in self.nodes])

    @staticmethod
    def zip(a, b, make):
        """``make(x, y)`` elementwise, with NumPy broadcasting."""
        shape = _broadcast_shape(a.shape, b.shape)
        a, b = a.broadcast_to(shape), b.broadcast_to(shape)
        return Grid(shape, [make(x, y) for x, y in zip(a.nodes, b.nodes)])

    def reduce(self, axes, combine):
        """``combine([nodes along axes])`` for every position of the other axes."""
        axes = sorted(set(axis % max(1, self.rank) for axis in axes))
        kept = [axis for axis in range(self.rank) if axis not in axes]
        shape = [self.shape[axis] for axis in kept]
        reduced = [self.shape[axis] for axis in axes]

        def element(index):
            terms = []
            for inner in _indices(reduced):
                full = [0] * self.rank
                for axis, i in zip(kept, index):
                    full[axis] = i
                for axis, i in zip(axes, inner):
                    full[axis] = i
                terms.append(self.at(full))
            return combine(terms)
        return Grid.build(shape, element)

    @staticmethod
    def dot_general(lhs, rhs, contracting, batch, multiply, total, zero):
        """XLA's dot_general: batch dimensions, then lhs's free ones, then rhs's free ones; each
        entry is ``total`` of the products along the contracting dimensions."""
        (lhs_contract, rhs_contract), (lhs_batch, rhs_batch) = contracting, batch
        lhs_free = [d for d in range(lhs.rank) if d not in lhs_contract and d not in lhs_batch]
        rhs_free = [d for d in range(rhs.rank) if d not in rhs_contract and d not in rhs_batch]
        shape = [lhs.shape[d] for d in lhs_batch] + [lhs.shape[d] for d in lhs_free] + [rhs.shape[d] for d in rhs_free]
        contracted = [lhs.shape[d] for d in lhs_contract]

        def element(index):
            b, i, j = index[:len(lhs_batch)], index[len(lhs_batch):len(lhs_batch) + len(lhs_free)], index[len(lhs_batch) + len(lhs_free):]
            terms = []
            for k in _indices(contracted):
                left, right = [0] * lhs.rank, [0] * rhs.rank
                for dims, values, target in ((lhs_batch, b, left), (lhs_free, i, left), (lhs_contract, k, left),
                                             (rhs_batch, b, right), (rhs_free, j, right), (rhs_contract, k, right)):
                    for d, v in zip(dims, values):
                        target[d] = v
                terms.append(multiply(lhs.at(left), rhs.at(right)))
            return total(terms) if terms else zero()
        return Grid.build(shape, element)


def _broadcast_shape(a, b):
    rank = max(len(a), len(b))
    a, b = (1,) * (rank - len(a)) + tuple(a), (1,) * (rank - len(b)) + tuple(b)
    shape = []
    for x, y in zip(a, b):
        if x != y and 1 not in (x, y):
            raise CaptureError(f"the shapes {a} and {b} do not broadcast")
        shape.append(max(x, y) if 1 in (x, y) else x)
    return tuple(shape)
