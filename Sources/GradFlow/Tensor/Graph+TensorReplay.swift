/// Recording a tensor node from its ``TensorOp`` and operands: what a graph file reader and a
/// replay of a graph at moved inputs both do, in one place.
extension Graph {
    /// Records `op` applied to `operands` with the engine's rules (values, shapes and backward
    /// needs computed afresh). `shape` is the result's shape, used by `reshape` alone.
    ///
    /// - Throws: ``TensorShapeError`` when the operands do not fit the op (or their number is wrong).
    @discardableResult
    public mutating func appendTensor(_ op: TensorOp, _ operands: [NodeID], shape: [Int]) throws(TensorShapeError) -> NodeID {
        func expect(_ count: Int) throws(TensorShapeError) {
            guard operands.count == count else {
                throw TensorShapeError("`\(op.symbol)` takes \(count) operand\(count == 1 ? "" : "s"), not \(operands.count)")
            }
        }
        switch op {
        case .leaf:
            throw TensorShapeError("a leaf is not computed from operands")
        case .elementwise(let function, let parameter):
            guard let arity = function.arity, arity == operands.count, !function.isLeaf, function != .tensor else {
                throw TensorShapeError("`\(function.symbol)` does not take \(operands.count) operand\(operands.count == 1 ? "" : "s") element by element")
            }
            return arity == 1 ? appendElementwise(function, operands[0], parameter: parameter)
                : try appendElementwise(function, operands[0], operands[1])
        case .matrixProduct:
            try expect(2)
            return try appendMatrixProduct(operands[0], operands[1])
        case .transpose:
            try expect(1)
            return try appendTranspose(operands[0])
        case .reshape:
            try expect(1)
            return try appendReshape(operands[0], to: shape)
        case .stack:
            guard !operands.isEmpty else { throw TensorShapeError("a stack needs at least one operand") }
            return try appendStack(operands)
        case .reduce(let reduction, let axis):
            try expect(1)
            return try appendReduction(reduction, operands[0], axis: axis)
        case .normalize(let normalization, let axis):
            try expect(1)
            return try appendNormalization(normalization, operands[0], axis: axis)
        case .index(let entries):
            try expect(1)
            return try appendIndex(operands[0], entries)
        }
    }

    /// This graph recorded again with some leaves holding other values (a scalar leaf's
    /// replacement is a tensor of rank 0): every node is computed afresh by its op's rule, so a
    /// central difference can move one element of an input of a graph that has no scene to trace.
    ///
    /// - Throws: ``TensorShapeError`` when a replacement's shape makes an op fail.
    public func replayed(replacing leaves: [NodeID: Tensor]) throws(TensorShapeError) -> Graph {
        var replay = Graph()
        replay.reserveCapacity(count)
        for node in nodes {
            let op = ops[node], operands = self.operands(of: node)
            if op.isLeaf {
                let value = leaves[node] ?? tensor(of: node)
                if isTensor(node) { replay.appendTensorLeaf(op, value) } else { replay.appendLeaf(op, value: value.elements[0]) }
            } else if op == .tensor, let stored = tensorStorage.nodes[node] {
                try replay.appendTensor(stored.op, operands, shape: stored.value.shape)
            } else if op.arity == nil {
                replay.appendVariadic(op, operands)
            } else if operands.count == 1 {
                replay.append(op, operands[0], parameter: parameters[node])
            } else {
                replay.append(op, operands[0], operands[1])
            }
        }
        replay.annotations = annotations
        return replay
    }
}
