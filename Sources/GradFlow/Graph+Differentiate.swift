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

    /// ∂node/∂operand as a term: the op rule's ``OpRule/symbolicPartial``, or the recorded
    /// number for ops whose partials are piecewise constant (`+`, `relu`, `max`, …).
    ///
    /// Rules reuse the node's own value where they can (`exp`: the node; `tanh`: 1 − node²),
    /// so few new nodes are made.
    public mutating func partialTerm(of node: NodeID, slot: Int) -> Term {
        let recorded = Term.number(partialStorage[slot])
        guard let rule = ops[node].rule.symbolicPartial else { return recorded }
        let partial = OpRule.SymbolicPartial(
            node: node, operands: operands(of: node), index: slot - Int(operandStart[node]),
            parameter: parameters[node], recorded: recorded)
        return rule(&self, partial)
    }
}
