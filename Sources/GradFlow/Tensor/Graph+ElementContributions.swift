/// The scalar view of a tensor backward step: the per-element contributions inside one
/// vector–Jacobian product, derived on demand (nothing is stored for them while recording).
///
/// For `Y = A @ B` the step `Ā += Ȳ · Bᵀ` opens into `Ā[i, p] += Ȳ[i, j] · B[p, j]`, one term of
/// each dot product; for an elementwise op into `x̄[i] += ȳ[i] · ∂y[i]/∂x[i]`. Grouped by the
/// receiving element, the contributions add up to ``Graph/vectorJacobianProducts(of:upstream:)``
/// (to the last bit where the additions come in the same order; within rounding where the matrix
/// kernel orders them otherwise).
extension Graph {
    /// One scalar contribution `operand[to] += upstream[from] · localDerivative`.
    public struct ElementContribution: Sendable, Equatable {
        /// The element of the node passing its adjoint back (row-major offset).
        public let from: Int
        /// The element of the operand receiving it (row-major offset).
        public let to: Int
        /// ∂node[from] / ∂operand[to].
        public let localDerivative: Double
    }

    /// The scalar contributions of tensor node `node`'s backward step to its operand number
    /// `operand`, in the order a teacher would walk them: by receiving element, then by the
    /// element passing the adjoint back.
    ///
    /// - Complexity: one per nonzero entry of the local Jacobian: `m·n·k` for a matrix product,
    ///   the axis length squared per row for a softmax; callers open one step at a time.
    public func elementContributions(of node: NodeID, operand: Int) -> [ElementContribution] {
        guard let stored = tensorStorage.nodes[node] else { return [] }
        let operands = self.operands(of: node)
        guard operands.indices.contains(operand) else { return [] }
        let operandValue = tensor(of: operands[operand])
        var result: [ElementContribution] = []
        func add(_ from: Int, _ to: Int, _ derivative: Double) {
            result.append(ElementContribution(from: from, to: to, localDerivative: derivative))
        }
        switch stored.op {
        case .leaf:
            break
        case .elementwise:
            let offsets = Broadcast.offsets(of: operandValue.shape, in: stored.value.shape)
            for i in offsets.indices { add(i, offsets[i], stored.partials[operand][i]) }
        case .matrixProduct:
            let (a, b) = (tensor(of: operands[0]), tensor(of: operands[1]))
            let (m, k, n) = TensorKernels.productDimensions(a.shape, b.shape)
            for i in 0..<m {
                for j in 0..<n {
                    for p in 0..<k {
                        // Y[i, j] = Σ_p A[i, p] · B[p, j].
                        if operand == 0 { add(i * n + j, i * k + p, b.elements[p * n + j]) } else { add(i * n + j, p * n + j, a.elements[i * k + p]) }
                    }
                }
            }
        case .transpose:
            let columns = stored.value.rank == 2 ? stored.value.shape[1] : 1
            let rows = stored.value.count / Swift.max(columns, 1)
            for r in 0..<rows { for c in 0..<columns { add(r * columns + c, stored.value.rank == 2 ? c * rows + r : r, 1) } }
        case .reduce(let reduction, let axis):
            if reduction == .max {
                for (row, source) in stored.sources.enumerated() { add(row, source, 1) }
            } else {
                let layout = TensorKernels.AxisLayout(shape: operandValue.shape, axis: axis)
                let derivative = reduction == .mean ? 1 / Double(layout.size) : 1
                layout.forEach { offset, row in add(row, offset, derivative) }
            }
        case .normalize(let normalization, let axis):
            let softmax = stored.partials[0]
            let layout = TensorKernels.AxisLayout(shape: operandValue.shape, axis: axis)
            for o in 0..<layout.outer {
                for i in 0..<layout.inner {
                    let row = o * layout.inner + i
                    let offset = { (d: Int) in (o * layout.size + d) * layout.inner + i }
                    for to in 0..<layout.size {
                        if normalization == .logSumExp { add(row, offset(to), softmax[offset(to)]); continue }
                        for from in 0..<layout.size {
                            let delta: Double = from == to ? 1 : 0
                            // ∂softmax_f/∂x_t = s_f (δ − s_t); ∂log_softmax_f/∂x_t = δ − s_t.
                            let derivative = normalization == .softmax
                                ? softmax[offset(from)] * (delta - softmax[offset(to)])
                                : delta - softmax[offset(to)]
                            add(offset(from), offset(to), derivative)
                        }
                    }
                }
            }
        case .index:
            for (i, source) in stored.sources.enumerated() { add(i, source, 1) }
        case .reshape:
            for i in 0..<stored.value.count { add(i, i, 1) }
        case .stack:
            let size = operandValue.count
            for e in 0..<size { add(operand * size + e, e, 1) }
        }
        return result.sorted { ($0.to, $0.from) < ($1.to, $1.from) }
    }

    /// The scalar contributions of `node`'s backward step to one element `to` of its operand
    /// number `operand`: the terms of that element's dot product, in the order of
    /// ``elementContributions(of:operand:)``.
    ///
    /// - Complexity: the dot product's length for a matrix product (an opened step of a
    ///   784-by-128 layer is walked element by element without listing its 3 million terms); as
    ///   ``elementContributions(of:operand:)`` for the other ops.
    public func elementContributions(of node: NodeID, operand: Int, into to: Int) -> [ElementContribution] {
        guard let stored = tensorStorage.nodes[node], case .matrixProduct = stored.op else {
            return elementContributions(of: node, operand: operand).filter { $0.to == to }
        }
        let operands = self.operands(of: node)
        let (a, b) = (tensor(of: operands[0]), tensor(of: operands[1]))
        let (m, k, n) = TensorKernels.productDimensions(a.shape, b.shape)
        if operand == 0 {
            // Ā[i, p] = Σ_j Ȳ[i, j] · B[p, j].
            let (i, p) = (to / k, to % k)
            return (0..<n).map { j in ElementContribution(from: i * n + j, to: to, localDerivative: b.elements[p * n + j]) }
        }
        // B̄[p, j] = Σ_i A[i, p] · Ȳ[i, j].
        let (p, j) = (to / n, to % n)
        return (0..<m).map { i in ElementContribution(from: i * n + j, to: to, localDerivative: a.elements[i * k + p]) }
    }

    /// The elements of operand number `operand` that `node`'s backward step reaches, ascending
    /// (every element for a matrix product; the indexed ones for `A[1, :]`).
    public func receivingElements(of node: NodeID, operand: Int) -> [Int] {
        guard let stored = tensorStorage.nodes[node], operands(of: node).indices.contains(operand) else { return [] }
        if case .matrixProduct = stored.op { return Array(0..<tensor(of: operands(of: node)[operand]).count) }
        var seen: [Int] = []
        for term in elementContributions(of: node, operand: operand) where seen.last != term.to { seen.append(term.to) }
        return seen
    }
}
