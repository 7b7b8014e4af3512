import Foundation

/// Recording tensor nodes. Each is one node of the graph (op ``Op/tensor``, its operands in the
/// usual operand rows so every walk over the graph sees them) whose shape, value and backward
/// needs live in ``Graph/tensorStorage``. A result of rank 0 (`sum(x)`, `A[i, j]`) also keeps its
/// value in ``Graph/values``, so scalar ops take it as an operand exactly as any scalar node.
extension Graph {
    /// Whether any node is a tensor node (commands that show only scalars refuse such graphs).
    public var hasTensors: Bool { !tensorStorage.isEmpty }

    /// The shape of `node`'s value: `[]` for a scalar node.
    public func shape(of node: NodeID) -> [Int] { tensorStorage.nodes[node]?.value.shape ?? [] }

    /// `node`'s value as a tensor (a scalar node is a tensor of rank 0).
    public func tensor(of node: NodeID) -> Tensor {
        tensorStorage.nodes[node]?.value ?? Tensor(scalar: values[node])
    }

    /// The first tensor node with an element that is NaN or ±infinity, if any.
    var firstNonFiniteTensorNode: NodeID? {
        tensorStorage.nodes.filter { $0.value.value.elements.contains { !$0.isFinite } }.keys.min()
    }

    /// Whether `node` holds a tensor of rank 1 or more.
    public func isTensor(_ node: NodeID) -> Bool { !shape(of: node).isEmpty }

    /// Appends a tensor leaf: an input or constant holding `value`.
    @discardableResult
    public mutating func appendTensorLeaf(_ op: Op = .input, _ value: Tensor, name: String? = nil) -> NodeID {
        precondition(op.isLeaf, "appendTensorLeaf takes .input or .constant")
        let id = uniqueBuffers().commit(op, value: value.rank == 0 ? value.elements[0] : 0, parameter: 0)
        tensorStorage.nodes[id] = TensorNode(op: .leaf, value: value)
        tensorStorage.elementCount += value.count
        if let name { annotations.names[id] = name }
        return id
    }

    /// Stores a computed tensor node. Its operand slots hold partial 0: the scalar sweep never
    /// uses them (the tensor sweep calls the node's vector–Jacobian product instead).
    mutating func commitTensor(_ node: TensorNode, operands: [NodeID]) -> NodeID {
        let buffers = uniqueBuffers()
        buffers.growSlots(toHold: buffers.slotCount + operands.count)
        for operand in operands { buffers.appendSlot(operand, 0) }
        let id = buffers.commit(.tensor, value: node.value.rank == 0 ? node.value.elements[0] : 0, parameter: 0)
        tensorStorage.nodes[id] = node
        tensorStorage.elementCount += node.value.count
        return id
    }

    // MARK: Elementwise

    /// A unary op of the op table (with its constant parameter) applied to every element.
    @discardableResult
    public mutating func appendElementwise(_ op: Op, _ a: NodeID, parameter: Double = 0) -> NodeID {
        precondition(op.arity == 1, "appendElementwise(_:_:parameter:) takes a unary op")
        let x = tensor(of: a)
        let rule = op.rule
        var result = [Double](repeating: 0, count: x.count)
        var partial = [Double](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let (value, da, _) = rule.evaluate(x.elements[i], 0, parameter)
            (result[i], partial[i]) = (value, da)
        }
        let node = TensorNode(op: .elementwise(op, parameter: parameter),
                              value: Tensor(shape: x.shape, elements: result), partials: [partial])
        return commitTensor(node, operands: [a])
    }

    /// A binary op of the op table applied element by element, with NumPy broadcasting: shapes
    /// are aligned at their last axis, and an axis of size 1 (or a missing one) is repeated.
    ///
    /// - Parameter symbol: how the scene wrote the op, for the error (`*`, `max`); default the op's symbol.
    /// - Throws: ``TensorShapeError`` when the shapes do not broadcast.
    @discardableResult
    public mutating func appendElementwise(_ op: Op, _ a: NodeID, _ b: NodeID, symbol: String? = nil) throws(TensorShapeError) -> NodeID {
        precondition(op.arity == 2, "appendElementwise(_:_:_:) takes a binary op")
        let (x, y) = (tensor(of: a), tensor(of: b))
        guard let shape = Broadcast.shape(x.shape, y.shape) else {
            throw .binary(x.shape, symbol ?? op.symbol, y.shape, Broadcast.mismatch(x.shape, y.shape))
        }
        guard Tensor.fits(shape) else {
            throw .binary(x.shape, symbol ?? op.symbol, y.shape, "the result \(Tensor.describe(shape)) would hold more than \(Tensor.maxElements) elements, the limit for one tensor")
        }
        let left = Broadcast.offsets(of: x.shape, in: shape)
        let right = Broadcast.offsets(of: y.shape, in: shape)
        let rule = op.rule
        let count = Tensor.count(of: shape)
        var result = [Double](repeating: 0, count: count)
        var partialA = [Double](repeating: 0, count: count)
        var partialB = [Double](repeating: 0, count: count)
        for i in 0..<count {
            let (value, da, db) = rule.evaluate(x.elements[left[i]], y.elements[right[i]], 0)
            (result[i], partialA[i], partialB[i]) = (value, da, db)
        }
        let node = TensorNode(op: .elementwise(op, parameter: 0), value: Tensor(shape: shape, elements: result),
                              partials: [partialA, partialB])
        return commitTensor(node, operands: [a, b])
    }

    // MARK: Shapes

    /// `transpose(A)`: a matrix's rows become its columns; a vector or scalar is unchanged.
    @discardableResult
    public mutating func appendTranspose(_ a: NodeID) throws(TensorShapeError) -> NodeID {
        let x = tensor(of: a)
        guard x.rank <= 2 else {
            throw TensorShapeError("cannot transpose \(Tensor.describe(x.shape)): transpose takes a vector or a matrix")
        }
        return commitTensor(TensorNode(op: .transpose, value: TensorKernels.transposed(x)), operands: [a])
    }

    /// `reshape(x, d1, d2, …)`: the same elements, row-major, in a shape of the same size.
    @discardableResult
    public mutating func appendReshape(_ a: NodeID, to shape: [Int]) throws(TensorShapeError) -> NodeID {
        let x = tensor(of: a)
        guard shape.allSatisfy({ $0 >= 1 }), Tensor.count(of: shape) == x.count else {
            throw TensorShapeError("cannot reshape \(Tensor.describe(x.shape)) (\(x.count) elements) to "
                + "\(Tensor.describe(shape)) (\(Tensor.count(of: shape)) elements)")
        }
        return commitTensor(TensorNode(op: .reshape, value: Tensor(shape: shape, elements: x.elements)), operands: [a])
    }

    /// `[a, b, c]`: operands of one shape stacked along a new first axis (scalars make a vector).
    @discardableResult
    public mutating func appendStack(_ operands: [NodeID]) throws(TensorShapeError) -> NodeID {
        precondition(!operands.isEmpty, "a stack needs at least one operand")
        let shape = self.shape(of: operands[0])
        for operand in operands where self.shape(of: operand) != shape {
            throw TensorShapeError("cannot stack \(Tensor.describe(shape)) and \(Tensor.describe(self.shape(of: operand))): every entry of a list must have the same shape")
        }
        // Before a single element is copied: 64 entries of 2^24 elements would be 8 GiB.
        guard Tensor.fits([operands.count] + shape) else {
            throw TensorShapeError("cannot stack \(operands.count) entries of shape \(Tensor.describe(shape)): the result would hold more than \(Tensor.maxElements) elements, the limit for one tensor")
        }
        var elements: [Double] = []
        elements.reserveCapacity(Tensor.count(of: [operands.count] + shape))
        for operand in operands { elements += tensor(of: operand).elements }
        let value = Tensor(shape: [operands.count] + shape, elements: elements)
        return commitTensor(TensorNode(op: .stack, value: value), operands: operands)
    }

    /// `x[i]`, `A[i, j]`, `A[i, :]`, `A[:, j]`: one entry per leading axis; a position may count
    /// from the end (`-1` is the last). Positions make the axis disappear, `:` keeps it, so
    /// `A[i, j]` is a scalar node and `A[:, j]` a vector.
    @discardableResult
    public mutating func appendIndex(_ a: NodeID, _ entries: [TensorIndex]) throws(TensorShapeError) -> NodeID {
        let x = tensor(of: a)
        guard entries.count <= x.rank else {
            throw TensorShapeError("cannot index \(Tensor.describe(x.shape)) with \(entries.count) indices: it has \(x.rank) \(x.rank == 1 ? "axis" : "axes")")
        }
        var resolved: [TensorIndex] = []
        for (axis, entry) in entries.enumerated() {
            guard case .at(let position) = entry else { resolved.append(.all); continue }
            let size = x.shape[axis]
            guard position >= -size, position < size else {
                throw TensorShapeError("index \(position) is out of range for axis \(axis) of \(Tensor.describe(x.shape)) (size \(size): from \(-size) to \(size - 1))")
            }
            resolved.append(.at(position < 0 ? position + size : position))
        }
        resolved += [TensorIndex](repeating: .all, count: x.rank - entries.count)
        let (shape, sources) = TensorKernels.gather(x.shape, resolved)
        let value = Tensor(shape: shape, elements: sources.map { x.elements[$0] })
        return commitTensor(TensorNode(op: .index(resolved), value: value, sources: sources), operands: [a])
    }

    // MARK: Products and reductions

    /// `A @ B` for vectors and matrices (through ``MatrixProduct/gemm``): a vector on the left is a
    /// row, on the right a column, and the dimension it adds is dropped from the result.
    @discardableResult
    public mutating func appendMatrixProduct(_ a: NodeID, _ b: NodeID) throws(TensorShapeError) -> NodeID {
        let (x, y) = (tensor(of: a), tensor(of: b))
        guard (1...2).contains(x.rank), (1...2).contains(y.rank) else {
            throw .binary(x.shape, "@", y.shape, "@ takes vectors and matrices (rank 1 or 2); use * to scale by a scalar")
        }
        let inner = (x.shape.last!, y.shape[0])
        guard inner.0 == inner.1 else {
            throw .binary(x.shape, "@", y.shape, "inner dimensions \(inner.0) and \(inner.1) differ")
        }
        let (m, k, n) = TensorKernels.productDimensions(x.shape, y.shape)
        guard m * n <= Tensor.maxElements, Tensor.checkedCount(of: [m, k, n]).map({ $0 <= Tensor.maxProductWork }) ?? false else {
            throw .binary(x.shape, "@", y.shape, "the product would take more than \(Tensor.maxProductWork) multiply–adds (or hold more than \(Tensor.maxElements) elements), the limit for one product")
        }
        return commitTensor(TensorNode(op: .matrixProduct, value: TensorKernels.product(x, y)), operands: [a, b])
    }

    /// `sum`, `mean` or `max` of all elements (a scalar node) or along `axis` (negative counts from
    /// the end). `max` passes the whole gradient to the first largest element, as for scalars.
    @discardableResult
    public mutating func appendReduction(_ reduction: TensorOp.Reduction, _ a: NodeID, axis: Int? = nil) throws(TensorShapeError) -> NodeID {
        let x = tensor(of: a)
        let resolvedAxis = try axis.map { (axis) throws(TensorShapeError) in try TensorKernels.resolve(axis: axis, of: x.shape, in: "\(reduction.rawValue)(axis: \(axis))") }
        let layout = TensorKernels.AxisLayout(shape: x.shape, axis: resolvedAxis)
        guard layout.size > 0 else {
            throw TensorShapeError("cannot take \(reduction.rawValue) of \(Tensor.describe(x.shape)): the axis is empty")
        }
        let (elements, sources) = TensorKernels.reduce(reduction, x.elements, layout)
        let value = Tensor(shape: layout.reducedShape, elements: elements)
        return commitTensor(TensorNode(op: .reduce(reduction, axis: resolvedAxis), value: value, sources: sources), operands: [a])
    }

    /// `softmax`, `log_softmax` (same shape) or `logsumexp` (the axis removed) along `axis`,
    /// the last one by default; computed after subtracting the largest element, so nothing overflows.
    @discardableResult
    public mutating func appendNormalization(_ normalization: TensorOp.Normalization, _ a: NodeID, axis: Int = -1) throws(TensorShapeError) -> NodeID {
        let x = tensor(of: a)
        guard x.rank >= 1 else {
            throw TensorShapeError("cannot take \(normalization.rawValue) of a scalar: it takes a vector or a matrix")
        }
        let resolved = try TensorKernels.resolve(axis: axis, of: x.shape, in: "\(normalization.rawValue)(axis: \(axis))")
        let layout = TensorKernels.AxisLayout(shape: x.shape, axis: resolved)
        let (softmax, logSumExp) = TensorKernels.softmax(x.elements, layout)
        let value: Tensor
        switch normalization {
        case .softmax: value = Tensor(shape: x.shape, elements: softmax)
        case .logSoftmax:
            var elements = x.elements
            layout.forEach { offset, row in elements[offset] -= logSumExp[row] }
            value = Tensor(shape: x.shape, elements: elements)
        case .logSumExp: value = Tensor(shape: layout.reducedShape, elements: logSumExp)
        }
        let node = TensorNode(op: .normalize(normalization, axis: resolved), value: value, partials: [softmax])
        return commitTensor(node, operands: [a])
    }
}
