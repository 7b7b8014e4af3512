/// Forward mode over a graph with tensor nodes: the tangent of every node with respect to one
/// element of one input, by one sweep in evaluation order. Each tensor node applies its
/// Jacobian–vector product (`Ẏ = Ȧ · B + A · Ḃ` for `Y = A @ B`); scalar nodes add
/// `partial · tangent` of their operands as in ``Graph/tangents(withRespectTo:)``.
extension Graph {
    /// The tangents ∂node/∂input[element] of every node.
    ///
    /// - Parameters:
    ///   - input: the node whose element is seeded with 1 (any node; usually an input).
    ///   - element: the row-major offset of the element (0 for a scalar node).
    /// - Complexity: O(nodes + operands) after `input`, plus each reached tensor node's product.
    public func tensorTangents(withRespectTo input: NodeID, element: Int = 0) -> TensorTangents {
        precondition(nodes.contains(input), "\(input) is not a node of this graph")
        var tangents = TensorTangents(scalars: Graph.zeros(count: count))
        var reached = [Bool](repeating: false, count: count)
        reached[input] = true
        if isTensor(input) {
            var seed = [Double](repeating: 0, count: tensor(of: input).count)
            seed[element] = 1
            tangents.tensors[input] = seed
        } else {
            tangents.scalars[input] = 1
        }
        for node in (input + 1)..<count {
            let slots = operandSlots(of: node)
            guard slots.contains(where: { reached[Int(operandStorage[$0])] }) else { continue }
            reached[node] = true
            if ops[node] == .tensor, let stored = tensorStorage.nodes[node] {
                // An operand the sweep has not reached has no tangent (nil), so that a NaN partial on
                // a path that does not start at the input cannot leak in through 0 · NaN.
                let operandTangents = slots.map { slot -> [Double]? in
                    let operand = Int(operandStorage[slot])
                    guard reached[operand] else { return nil }
                    return isTensor(operand) ? tangents.tensors[operand] ?? [Double](repeating: 0, count: tensor(of: operand).count)
                        : [tangents.scalars[operand]]
                }
                let tangent = jacobianVectorProduct(of: node, stored, operandTangents: operandTangents)
                if stored.value.rank == 0 { tangents.scalars[node] = tangent[0] } else { tangents.tensors[node] = tangent }
            } else {
                var total = 0.0
                for slot in slots where reached[Int(operandStorage[slot])] {
                    total += partialStorage[slot] * tangents.scalars[Int(operandStorage[slot])]
                }
                tangents.scalars[node] = total
            }
        }
        return tangents
    }

    /// The tangent of tensor node `node` given its operands' tangents (row-major, their shapes).
    func jacobianVectorProduct(of node: NodeID, _ stored: TensorNode, operandTangents given: [[Double]?]) -> [Double] {
        let operands = self.operands(of: node)
        let operandTangents = zip(operands, given).map { operand, tangent in
            tangent ?? [Double](repeating: 0, count: tensor(of: operand).count)
        }
        let shape = stored.value.shape
        var result = [Double](repeating: 0, count: stored.value.count)
        switch stored.op {
        case .leaf:
            break
        case .elementwise:
            for (k, operand) in operands.enumerated() where given[k] != nil {
                let offsets = Broadcast.offsets(of: self.shape(of: operand), in: shape)
                for i in result.indices { result[i] += stored.partials[k][i] * operandTangents[k][offsets[i]] }
            }
        case .matrixProduct:
            let (a, b) = (tensor(of: operands[0]), tensor(of: operands[1]))
            let (m, k, n) = TensorKernels.productDimensions(a.shape, b.shape)
            if given[0] != nil { TensorKernels.gemm(false, false, m, n, k, operandTangents[0], k, b.elements, n, into: &result, n) }  // Ȧ · B
            if given[1] != nil { TensorKernels.gemm(false, false, m, n, k, a.elements, k, operandTangents[1], n, into: &result, n) }  // A · Ḃ
        case .transpose:
            result = TensorKernels.transposed(Tensor(shape: self.shape(of: operands[0]), elements: operandTangents[0])).elements
        case .reduce(let reduction, let axis):
            if reduction == .max {
                for (row, source) in stored.sources.enumerated() { result[row] = operandTangents[0][source] }
            } else {
                let layout = TensorKernels.AxisLayout(shape: self.shape(of: operands[0]), axis: axis)
                let scale = reduction == .mean ? 1 / Double(layout.size) : 1
                layout.forEach { offset, row in result[row] += operandTangents[0][offset] * scale }
            }
        case .normalize(let normalization, let axis):
            let softmax = stored.partials[0], tangent = operandTangents[0]
            let layout = TensorKernels.AxisLayout(shape: self.shape(of: operands[0]), axis: axis)
            // Σ softmax ⊙ ẋ along the axis: the tangent of logsumexp.
            var weighted = [Double](repeating: 0, count: layout.outer * layout.inner)
            layout.forEach { offset, row in weighted[row] += softmax[offset] * tangent[offset] }
            switch normalization {
            case .softmax: layout.forEach { offset, row in result[offset] = softmax[offset] * (tangent[offset] - weighted[row]) }
            case .logSoftmax: layout.forEach { offset, row in result[offset] = tangent[offset] - weighted[row] }
            case .logSumExp: result = weighted
            }
        case .index:
            for (i, source) in stored.sources.enumerated() { result[i] = operandTangents[0][source] }
        case .reshape:
            result = operandTangents[0]
        case .stack:
            result = operandTangents.flatMap { $0 }
        }
        return result
    }
}

/// The tangents of one forward sweep over a graph with tensors.
public struct TensorTangents: Sendable {
    /// The tangent of every scalar node (and tensor node of rank 0); 0 at tensor nodes.
    public var scalars: [Double]
    /// The tangent of every tensor node of rank 1 or more that the sweep reached, row-major.
    public var tensors: [NodeID: [Double]] = [:]

    /// `node`'s tangent in its own shape (zeros where the sweep did not reach it).
    public func tangent(of node: NodeID, in graph: Graph) -> Tensor {
        let shape = graph.shape(of: node)
        if shape.isEmpty { return Tensor(scalar: scalars[node]) }
        return Tensor(shape: shape, elements: tensors[node] ?? [Double](repeating: 0, count: Tensor.count(of: shape)))
    }
}
