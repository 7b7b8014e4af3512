/// Reverse mode over a graph with tensor nodes: each tensor node passes its operands the
/// vector–Jacobian product of its adjoint (`Ā += Ȳ · Bᵀ`, `B̄ += Aᵀ · Ȳ` for `Y = A @ B`); scalar
/// nodes pass `adjoint · partial` exactly as in ``Graph/adjoints(from:seed:)``.
extension Graph {
    /// The adjoints of every node with respect to `output`, by one reverse sweep.
    ///
    /// `output` is normally a scalar (a loss). A tensor output is seeded with `seed` in every
    /// element, which is the gradient of the sum of its elements; the scene language refuses
    /// such an output before it gets here, as PyTorch's `backward()` does.
    /// - Complexity: O(output + operands up to it), plus each tensor node's product.
    public func tensorAdjoints(from output: NodeID, seed: Double = 1) -> TensorAdjoints {
        precondition(nodes.contains(output), "output \(output) is not a node of this graph")
        var adjoints = TensorAdjoints(scalars: Graph.zeros(count: count))
        var reached = [Bool](repeating: false, count: output + 1)
        reached[output] = true
        if isTensor(output) {
            adjoints.tensors[output] = [Double](repeating: seed, count: tensor(of: output).count)
        } else {
            adjoints.scalars[output] = seed
        }
        for node in stride(from: output, through: 0, by: -1) where reached[node] {
            let slots = operandSlots(of: node)
            if ops[node] == .tensor, let stored = tensorStorage.nodes[node] {
                let upstream = stored.value.rank == 0
                    ? [adjoints.scalars[node]]
                    : adjoints.tensors[node] ?? [Double](repeating: 0, count: stored.value.count)
                let contributions = vectorJacobianProducts(of: node, upstream: upstream)
                for (slot, contribution) in zip(slots, contributions) {
                    let operand = Int(operandStorage[slot])
                    adjoints.accumulate(contribution, into: operand, isTensor: isTensor(operand))
                    reached[operand] = true
                }
            } else {
                let incoming = adjoints.scalars[node]
                for slot in slots {
                    let operand = Int(operandStorage[slot])
                    adjoints.scalars[operand] += incoming * partialStorage[slot]
                    reached[operand] = true
                }
            }
        }
        return adjoints
    }

    /// The gradient of `output` with respect to every input, scalar or tensor, in declaration order.
    public func tensorGradient(of output: NodeID) -> [(input: NodeID, derivative: Tensor)] {
        let adjoints = tensorAdjoints(from: output)
        return inputs.map { ($0, adjoints.adjoint(of: $0, in: self)) }
    }

    /// What tensor node `node` passes back to each of its operands, given its adjoint `upstream`
    /// (row-major, the node's shape): one array per operand, in the operand's shape. These are the
    /// node's tensor contributions, the steps of a tensor backward pass.
    public func vectorJacobianProducts(of node: NodeID, upstream: [Double]) -> [[Double]] {
        guard let stored = tensorStorage.nodes[node] else { return [] }
        let operands = self.operands(of: node)
        let operandValues = operands.map { tensor(of: $0) }
        switch stored.op {
        case .leaf:
            return []
        case .elementwise:
            return zip(operandValues, stored.partials).map { operand, partial in
                var contribution = [Double](repeating: 0, count: operand.count)
                let offsets = Broadcast.offsets(of: operand.shape, in: stored.value.shape)
                // A broadcast operand receives the sum over the axes it was repeated along.
                for i in upstream.indices { contribution[offsets[i]] += upstream[i] * partial[i] }
                return contribution
            }
        case .matrixProduct:
            let (a, b) = (operandValues[0], operandValues[1])
            let (m, k, n) = TensorKernels.productDimensions(a.shape, b.shape)
            var adjointA = [Double](repeating: 0, count: m * k)
            var adjointB = [Double](repeating: 0, count: k * n)
            TensorKernels.gemm(false, true, m, k, n, upstream, n, b.elements, n, into: &adjointA, k)  // Ā += Ȳ · Bᵀ
            TensorKernels.gemm(true, false, k, n, m, a.elements, k, upstream, n, into: &adjointB, n)  // B̄ += Aᵀ · Ȳ
            return [adjointA, adjointB]
        case .transpose:
            return [TensorKernels.transposed(Tensor(shape: stored.value.shape, elements: upstream)).elements]
        case .reduce(let reduction, let axis):
            let operand = operandValues[0]
            var contribution = [Double](repeating: 0, count: operand.count)
            switch reduction {
            case .max:
                for (row, source) in stored.sources.enumerated() { contribution[source] += upstream[row] }
            case .sum, .mean:
                let layout = TensorKernels.AxisLayout(shape: operand.shape, axis: axis)
                let scale = reduction == .mean ? 1 / Double(layout.size) : 1
                layout.forEach { offset, row in contribution[offset] = upstream[row] * scale }
            }
            return [contribution]
        case .normalize(let normalization, let axis):
            let softmax = stored.partials[0]
            let layout = TensorKernels.AxisLayout(shape: operandValues[0].shape, axis: axis)
            var contribution = [Double](repeating: 0, count: softmax.count)
            switch normalization {
            case .softmax:
                // x̄ = y ⊙ (ȳ − Σ ȳ ⊙ y) along the axis.
                var dot = [Double](repeating: 0, count: layout.outer * layout.inner)
                layout.forEach { offset, row in dot[row] += upstream[offset] * softmax[offset] }
                layout.forEach { offset, row in contribution[offset] = softmax[offset] * (upstream[offset] - dot[row]) }
            case .logSoftmax:
                // x̄ = ȳ − softmax(x) · Σ ȳ along the axis.
                var total = [Double](repeating: 0, count: layout.outer * layout.inner)
                layout.forEach { offset, row in total[row] += upstream[offset] }
                layout.forEach { offset, row in contribution[offset] = upstream[offset] - softmax[offset] * total[row] }
            case .logSumExp:
                // x̄ = ȳ (broadcast along the axis) ⊙ softmax(x).
                layout.forEach { offset, row in contribution[offset] = upstream[row] * softmax[offset] }
            }
            return [contribution]
        case .index:
            var contribution = [Double](repeating: 0, count: operandValues[0].count)
            for (i, source) in stored.sources.enumerated() { contribution[source] += upstream[i] }
            return [contribution]
        case .reshape:
            return [upstream]
        case .stack:
            let size = upstream.count / Swift.max(operands.count, 1)
            return operands.indices.map { Array(upstream[($0 * size)..<(($0 + 1) * size)]) }
        }
    }
}

/// The adjoints of one reverse sweep over a graph with tensors.
public struct TensorAdjoints: Sendable {
    /// The adjoint of every scalar node (and tensor node of rank 0); 0 at tensor nodes.
    public var scalars: [Double]
    /// The adjoint of every tensor node of rank 1 or more that the sweep reached, row-major.
    public var tensors: [NodeID: [Double]] = [:]

    /// `node`'s adjoint in its own shape (zeros where the sweep did not reach it).
    public func adjoint(of node: NodeID, in graph: Graph) -> Tensor {
        let shape = graph.shape(of: node)
        if shape.isEmpty { return Tensor(scalar: scalars[node]) }
        return Tensor(shape: shape, elements: tensors[node] ?? [Double](repeating: 0, count: Tensor.count(of: shape)))
    }

    mutating func accumulate(_ contribution: [Double], into node: NodeID, isTensor: Bool) {
        guard isTensor else {
            scalars[node] += contribution[0]
            return
        }
        if var existing = tensors.removeValue(forKey: node) {
            for i in existing.indices { existing[i] += contribution[i] }
            tensors[node] = existing
        } else {
            tensors[node] = contribution
        }
    }
}
