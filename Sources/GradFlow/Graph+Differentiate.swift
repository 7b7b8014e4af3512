/// Higher-order differentiation: the backward pass appended to the graph as ordinary nodes.
extension Graph {
    /// Appends nodes that compute ∂y/∂x and returns the term holding it.
    ///
    /// This is reverse mode done symbolically: instead of adding numbers, each adjoint is a
    /// ``Term`` built from the nodes' own partials (see ``partialTerm(of:slot:)``). Because the
    /// result is made of ordinary nodes, it can be differentiated again:
    /// `differentiate(differentiate(y, x), x)` is the second derivative.
    ///
    /// `x` may be any node. Only nodes that both depend on `x` and feed `y` take part, so for a
    /// computed `x` the result is x's adjoint in the sweep from `y`: the derivative along the
    /// paths from `x` to `y`, with the nodes `x` itself depends on held fixed (a path from them
    /// to `y` that bypasses `x` does not count). For a leaf that is the ordinary partial derivative.
    /// - Complexity: O(y − x) nodes visited; the appended nodes are at most a few per operand.
    public mutating func differentiate(_ y: NodeID, withRespectTo x: NodeID) -> Term {
        guard x <= y else { return .number(0) }
        var dependsOnX = [Bool](repeating: false, count: y + 1)
        dependsOnX[x] = true
        for node in (x + 1)..<(y + 1) {
            dependsOnX[node] = operandSlots(of: node).contains { dependsOnX[Int(operandStorage[$0])] }
        }
        guard dependsOnX[y] else { return .number(0) }
        var adjoint = [Term?](repeating: nil, count: y + 1)
        adjoint[y] = .number(1)
        for node in stride(from: y, to: x, by: -1) {
            guard dependsOnX[node], let incoming = adjoint[node] else { continue }
            for slot in operandSlots(of: node) {
                let operand = Int(operandStorage[slot])
                guard dependsOnX[operand] else { continue }
                let contribution = multiply(incoming, partialTerm(of: node, slot: slot))
                adjoint[operand] = adjoint[operand].map { add($0, contribution) } ?? contribution
            }
        }
        return adjoint[x] ?? .number(0)
    }

    /// ∂node/∂operand as a term: the symbolic twin of ``Op/evaluate(_:_:parameter:)``.
    ///
    /// Piecewise-constant partials (relu, abs, max, min, and every constant partial) are the
    /// recorded number itself; the rest reuse the node's own value where the rule allows
    /// (`exp`: the node; `tanh`: 1 − node²), so few new nodes are made.
    public mutating func partialTerm(of node: NodeID, slot: Int) -> Term {
        let operands = operandSlots(of: node).map { Int(operandStorage[$0]) }
        let index = slot - Int(operandStart[node])
        let a = operands[0]
        let c = parameters[node]
        let recorded = Term.number(partialStorage[slot])
        switch ops[node] {
        case .input, .constant:
            preconditionFailure("leaves have no operands")
        case .add, .subtract, .negate, .addConstant, .constantSubtract, .multiplyConstant,
             .divideByConstant, .relu, .abs, .max, .min, .sum, .mean:
            return recorded
        case .multiply:
            return .node(operands[1 - index])
        case .divide:
            // ∂(a/b)/∂a = 1/b; ∂(a/b)/∂b = −(a/b)/b.
            if index == 0 { return apply(.constantDivide, .node(operands[1]), parameter: 1) }
            let quotient = Term.node(append(.divide, node, operands[1]))
            return apply(.negate, quotient)
        case .power:
            let b = operands[1]
            if index == 0 {
                let exponentMinusOne = apply(.addConstant, .node(b), parameter: -1)
                guard case .node(let e) = exponentMinusOne else { return recorded }
                return multiply(.node(b), .node(append(.power, a, e)))
            }
            return multiply(.node(node), apply(.ln, .node(a)))
        case .powerConstant:
            if c == 0 { return .number(0) }
            if c == 1 { return .number(1) }
            if c == 2 { return multiply(.number(2), .node(a)) }
            return multiply(.number(c), apply(.powerConstant, .node(a), parameter: c - 1))
        case .constantPower:
            return multiply(.number(Op.ln.evaluate(c).value), .node(node))
        case .constantDivide:
            // ∂(c/a)/∂a = −(c/a)/a.
            return apply(.negate, .node(append(.divide, node, a)))
        case .exp:
            return .node(node)
        case .ln:
            return apply(.constantDivide, .node(a), parameter: 1)
        case .sin:
            return apply(.cos, .node(a))
        case .cos:
            return apply(.negate, apply(.sin, .node(a)))
        case .tan:
            return apply(.addConstant, apply(.powerConstant, .node(node), parameter: 2), parameter: 1)
        case .tanh:
            return apply(.constantSubtract, apply(.powerConstant, .node(node), parameter: 2), parameter: 1)
        case .sigmoid:
            return multiply(.node(node), apply(.constantSubtract, .node(node), parameter: 1))
        case .sqrt:
            return apply(.constantDivide, .node(node), parameter: 0.5)
        }
    }
}
