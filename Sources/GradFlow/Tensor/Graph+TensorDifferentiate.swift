/// Higher-order differentiation with tensors: the backward pass of a graph with tensor nodes
/// appended as ordinary (tensor) nodes, so that `grad(y, W)` can be differentiated again.
///
/// Each tensor node's vector–Jacobian product is written with recorded ops: `Ā = Ȳ @ Bᵀ` as a
/// transpose and a product, the sum over broadcast axes as `sum(axis:)` and a reshape, softmax's
/// `y ⊙ (ȳ − Σ ȳ ⊙ y)` as elementwise ops and a reduction. An elementwise op's local partial
/// comes from the op table's ``OpRule/symbolicPartial``, built on scalar placeholders and
/// replayed element by element on the tensors, so the table stays the one place that knows it.
extension Graph {
    /// Appends nodes that compute ∂y/∂x for a scalar `y` and returns the term holding it: a
    /// tensor node of x's shape for a tensor `x`. As ``differentiate(_:withRespectTo:)``, `x`
    /// may be a computed node (its adjoint in the sweep from `y`).
    ///
    /// - Throws: ``TensorShapeError`` when a backward rule would make a tensor beyond the limits
    ///   (the gradient of a large gather).
    public mutating func differentiateTensors(_ y: NodeID, withRespectTo x: NodeID) throws(TensorShapeError) -> Term {
        precondition(!isTensor(y), "differentiateTensors takes a scalar output")
        guard x <= y else { return zeroTerm(shapedLike: x) }
        var dependsOnX = [Bool](repeating: false, count: y + 1)
        dependsOnX[x] = true
        for node in (x + 1)..<(y + 1) {
            dependsOnX[node] = operandSlots(of: node).contains { dependsOnX[Int(operandStorage[$0])] }
        }
        guard dependsOnX[y] else { return zeroTerm(shapedLike: x) }
        var adjoint = [Term?](repeating: nil, count: y + 1)
        adjoint[y] = .number(1)
        for node in stride(from: y, to: x, by: -1) {
            guard dependsOnX[node], let incoming = adjoint[node] else { continue }
            let operands = self.operands(of: node)
            let contributions: [Term?]
            if ops[node] == .tensor, let stored = tensorStorage.nodes[node] {
                let needed = operands.map { dependsOnX[$0] }
                contributions = try backwardNodes(of: node, stored, operands, incoming, needed: needed)
            } else {
                contributions = operandSlots(of: node).map { slot in
                    dependsOnX[Int(operandStorage[slot])] ? multiply(incoming, partialTerm(of: node, slot: slot)) : nil
                }
            }
            for (operand, contribution) in zip(operands, contributions) {
                guard dependsOnX[operand], let contribution, contribution != .number(0) else { continue }
                adjoint[operand] = try adjoint[operand].map { (existing) throws(TensorShapeError) in
                    try elementwise(.add, existing, contribution)
                } ?? contribution
            }
        }
        return adjoint[x] ?? zeroTerm(shapedLike: x)
    }

    /// 0 in the shape of `node`: the number for a scalar, a constant leaf of zeros for a tensor.
    private mutating func zeroTerm(shapedLike node: NodeID) -> Term {
        isTensor(node) ? .node(appendTensorLeaf(.constant, Tensor(repeating: 0, shape: shape(of: node)))) : .number(0)
    }

    /// What tensor node `node` passes back to each operand, as terms in the operands' shapes
    /// (nil for an operand `needed` says nothing depends on).
    private mutating func backwardNodes(
        of node: NodeID, _ stored: TensorNode, _ operands: [NodeID], _ upstream: Term, needed: [Bool]
    ) throws(TensorShapeError) -> [Term?] {
        switch stored.op {
        case .leaf:
            return []
        case .elementwise(let op, let parameter):
            var result: [Term?] = []
            for index in operands.indices {
                guard needed[index] else { result.append(nil); continue }
                let partial = try elementwisePartial(op, parameter, node, stored, operands, index)
                result.append(try sum(try elementwise(.multiply, upstream, partial), toShape: shape(of: operands[index])))
            }
            return result
        case .matrixProduct:
            return try matrixProductBackward(operands[0], operands[1], upstream)
        case .transpose:
            return [.node(try appendTranspose(try materialized(upstream, shaped: stored.value.shape)))]
        case .reshape:
            return [.node(try appendReshape(try materialized(upstream, shaped: stored.value.shape), to: shape(of: operands[0])))]
        case .stack:
            let stacked = try materialized(upstream, shaped: stored.value.shape)
            var result: [Term?] = []
            for index in operands.indices {
                result.append(needed[index] ? .node(try appendIndex(stacked, [.at(index)])) : nil)
            }
            return result
        case .reduce(let reduction, let axis):
            let shape = self.shape(of: operands[0])
            let kept = try keepingAxis(upstream, axis, of: shape)
            switch reduction {
            case .sum: return [try elementwise(.multiply, kept, .node(constant(1, shape)))]
            case .mean:
                let size = axis.map { shape[$0] } ?? Tensor.count(of: shape)
                return [try elementwise(.multiply, kept, .node(constant(1 / Double(size), shape)))]
            case .max:
                return [try elementwise(.multiply, kept, .node(mask(stored.sources, shape)))]
            }
        case .normalize(let normalization, let axis):
            let operand = operands[0]
            let shape = self.shape(of: operand)
            switch normalization {
            case .softmax:
                // x̄ = y ⊙ (ȳ − Σ ȳ ⊙ y) along the axis.
                let products = try materialized(try elementwise(.multiply, upstream, .node(node)), shaped: shape)
                let dot = try appendReduction(.sum, products, axis: axis)
                let centred = try elementwise(.subtract, upstream, try keepingAxis(.node(dot), axis, of: shape))
                return [try elementwise(.multiply, .node(node), centred)]
            case .logSoftmax:
                // x̄ = ȳ − softmax(x) Σ ȳ along the axis, softmax(x) = exp(y).
                let total = try appendReduction(.sum, try materialized(upstream, shaped: shape), axis: axis)
                let softmax = Term.node(appendElementwise(.exp, node))
                let share = try elementwise(.multiply, softmax, try keepingAxis(.node(total), axis, of: shape))
                return [try elementwise(.subtract, upstream, share)]
            case .logSumExp:
                // x̄ = ȳ (along the axis) ⊙ softmax(x).
                let softmax = Term.node(try appendNormalization(.softmax, operand, axis: axis))
                return [try elementwise(.multiply, try keepingAxis(upstream, axis, of: shape), softmax)]
            }
        case .index:
            return [try scatter(upstream, stored.sources, into: shape(of: operands[0]))]
        }
    }

    /// ∂y/∂operand[index] of an elementwise node, per element: the op table's symbolic partial
    /// replayed on the tensors, or the recorded partials where the op has none (they are
    /// piecewise constant: `+`, `relu`, `max`, …).
    private mutating func elementwisePartial(
        _ op: Op, _ parameter: Double, _ node: NodeID, _ stored: TensorNode, _ operands: [NodeID], _ index: Int
    ) throws(TensorShapeError) -> Term {
        if let rule = op.rule.symbolicPartial {
            // Placeholders 0..<operands.count for the operands, then one for the node itself.
            var scratch = Graph()
            for _ in operands { scratch.appendLeaf(.constant, value: 0.5) }
            let placeholderNode = scratch.appendLeaf(.constant, value: 0.5)
            let built = rule(&scratch, OpRule.SymbolicPartial(
                node: placeholderNode, operands: Array(operands.indices), index: index, parameter: parameter, recorded: .number(.nan)))
            if case .number(let number) = built, !number.isNaN { return built }
            if case .node = built {
                var mapped = operands + [node]
                for step in mapped.count..<scratch.count {
                    let inputs = scratch.operands(of: step).map { mapped[$0] }
                    switch inputs.count {
                    case 0: mapped.append(appendLeaf(.constant, value: scratch.values[step]))
                    case 1: mapped.append(appendElementwise(scratch.ops[step], inputs[0], parameter: scratch.parameters[step]))
                    default: mapped.append(try appendElementwise(scratch.ops[step], inputs[0], inputs[1]))
                    }
                }
                if case .node(let result) = built { return .node(mapped[result]) }
            }
        }
        let partials = stored.partials[index]
        if let first = partials.first, partials.allSatisfy({ $0 == first }) { return .number(first) }
        return .node(appendTensorLeaf(.constant, Tensor(shape: stored.value.shape, elements: partials)))
    }

    /// The vector–Jacobian products of `A @ B` as products: `Ā = Ȳ Bᵀ`, `B̄ = Aᵀ Ȳ`, with a vector
    /// operand taken as a row (left) or a column (right), so that each result has its operand's shape.
    private mutating func matrixProductBackward(_ a: NodeID, _ b: NodeID, _ upstream: Term) throws(TensorShapeError) -> [Term?] {
        let (shapeA, shapeB) = (shape(of: a), shape(of: b))
        switch (shapeA.count, shapeB.count) {
        case (1, 1):
            // y = a · b: ā = ȳ b, b̄ = ȳ a.
            return [try elementwise(.multiply, upstream, .node(b)), try elementwise(.multiply, upstream, .node(a))]
        case (2, 1):
            // y = A b: Ā = ȳ bᵀ (an outer product), b̄ = Aᵀ ȳ.
            let column = try appendReshape(try materialized(upstream, shaped: [shapeA[0]]), to: [shapeA[0], 1])
            let row = try appendReshape(b, to: [1, shapeB[0]])
            return [.node(try appendMatrixProduct(column, row)),
                    .node(try appendMatrixProduct(try appendTranspose(a), try materialized(upstream, shaped: [shapeA[0]])))]
        case (1, 2):
            // y = a B: ā = B ȳ, B̄ = a ȳᵀ (an outer product).
            let adjoint = try materialized(upstream, shaped: [shapeB[1]])
            let column = try appendReshape(a, to: [shapeA[0], 1])
            return [.node(try appendMatrixProduct(b, adjoint)),
                    .node(try appendMatrixProduct(column, try appendReshape(adjoint, to: [1, shapeB[1]])))]
        default:
            let adjoint = try materialized(upstream, shaped: [shapeA[0], shapeB[1]])
            return [.node(try appendMatrixProduct(adjoint, try appendTranspose(b))),
                    .node(try appendMatrixProduct(try appendTranspose(a), adjoint))]
        }
    }

    // MARK: Building blocks

    /// `a op b` element by element with broadcasting, folding numbers (`· 1`, `· 0`, `+ 0`) as
    /// ``multiply(_:_:)`` and ``add(_:_:)`` do; scalar terms go through those.
    mutating func elementwise(_ op: Op, _ a: Term, _ b: Term) throws(TensorShapeError) -> Term {
        guard isTensorTerm(a) || isTensorTerm(b) else {
            switch op {
            case .add: return add(a, b)
            case .multiply: return multiply(a, b)
            default: return add(a, multiply(.number(-1), b))
            }
        }
        switch (op, a, b) {
        case (.multiply, .number(0), _), (.multiply, _, .number(0)): return .number(0)
        case (.multiply, .number(1), let t), (.multiply, let t, .number(1)), (.add, .number(0), let t), (.add, let t, .number(0)),
             (.subtract, let t, .number(0)):
            return t
        case let (.multiply, .number(c), .node(n)), let (.multiply, .node(n), .number(c)):
            return .node(appendElementwise(.multiplyConstant, n, parameter: c))
        case let (.add, .number(c), .node(n)), let (.add, .node(n), .number(c)):
            return .node(appendElementwise(.addConstant, n, parameter: c))
        case let (.subtract, .node(n), .number(c)):
            return .node(appendElementwise(.addConstant, n, parameter: -c))
        case let (.subtract, .number(c), .node(n)):
            return .node(appendElementwise(.constantSubtract, n, parameter: c))
        case let (_, .node(x), .node(y)):
            return .node(try appendElementwise(op, x, y))
        default:
            preconditionFailure("a number with a number is folded above")
        }
    }

    private func isTensorTerm(_ term: Term) -> Bool {
        if case .node(let node) = term { isTensor(node) } else { false }
    }

    /// `term` summed over the axes it was broadcast along, down to `target` (NumPy's rules: the
    /// leading axes it lacks, and the axes where `target` has size 1).
    private mutating func sum(_ term: Term, toShape target: [Int]) throws(TensorShapeError) -> Term {
        guard case .node(var node) = term else {
            guard case .number(let c) = term, c != 0, !target.isEmpty else { return term }
            return .node(constant(c, target))
        }
        var current = shape(of: node)
        if current == target { return term }
        if target.isEmpty { return .node(try appendReduction(.sum, node)) }
        while current.count > target.count {
            node = try appendReduction(.sum, node, axis: 0)
            current.removeFirst()
        }
        for axis in current.indices.reversed() where target[axis] == 1 && current[axis] != 1 {
            node = try appendReduction(.sum, node, axis: axis)
            current.remove(at: axis)
        }
        return .node(current == target ? node : try appendReshape(node, to: target))
    }

    /// A reduced adjoint with its axis put back with size 1 (`keepdims`), so that it broadcasts
    /// over `shape`; the whole-tensor case (axis nil) is a scalar term, which broadcasts already.
    private mutating func keepingAxis(_ term: Term, _ axis: Int?, of shape: [Int]) throws(TensorShapeError) -> Term {
        guard let axis, case .node(let node) = term, isTensor(node) else { return term }
        var kept = shape
        kept[axis] = 1
        return .node(try appendReshape(node, to: kept))
    }

    /// `term` as a node of `shape`: a number becomes a constant leaf of that shape.
    private mutating func materialized(_ term: Term, shaped shape: [Int]) throws(TensorShapeError) -> NodeID {
        switch term {
        case .node(let node): node
        case .number(let c): shape.isEmpty ? appendLeaf(.constant, value: c) : constant(c, shape)
        }
    }

    /// A constant tensor leaf with every element `value`.
    private mutating func constant(_ value: Double, _ shape: [Int]) -> NodeID {
        appendTensorLeaf(.constant, Tensor(repeating: value, shape: shape))
    }

    /// A constant 0/1 tensor marking the elements at `offsets`.
    private mutating func mask(_ offsets: [Int], _ shape: [Int]) -> NodeID {
        var elements = [Double](repeating: 0, count: Tensor.count(of: shape))
        for offset in offsets { elements[offset] = 1 }
        return appendTensorLeaf(.constant, Tensor(shape: shape, elements: elements))
    }

    /// The adjoint of a gather (`A[i, :]`): `upstream`'s elements put back where they came from,
    /// zeros elsewhere, as a product with a constant 0/1 matrix (one element: a one-hot mask).
    private mutating func scatter(_ upstream: Term, _ sources: [Int], into target: [Int]) throws(TensorShapeError) -> Term {
        let count = Tensor.count(of: target)
        if sources.count == 1 { return try elementwise(.multiply, upstream, .node(mask(sources, target))) }
        guard Tensor.fits([count, sources.count]) else {
            throw TensorShapeError("cannot build the gradient of indexing \(Tensor.describe(target)) as nodes: "
                + "its \(count) × \(sources.count) selection would hold more than \(Tensor.maxElements) elements")
        }
        var selection = [Double](repeating: 0, count: count * sources.count)
        for (i, source) in sources.enumerated() { selection[source * sources.count + i] = 1 }
        let matrix = appendTensorLeaf(.constant, Tensor(shape: [count, sources.count], elements: selection))
        var flat = try materialized(upstream, shaped: [sources.count])
        if shape(of: flat) != [sources.count] { flat = try appendReshape(flat, to: [sources.count]) }
        let spread = try appendMatrixProduct(matrix, flat)
        return .node(target == [count] ? spread : try appendReshape(spread, to: target))
    }
}
