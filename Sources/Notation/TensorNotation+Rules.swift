import GradFlow

/// The backward step of a tensor node as a teacher writes it: the vector–Jacobian product it
/// adds to one operand's adjoint, with the nodes' names in it.
///
/// | node | operand | Unicode | ASCII | LaTeX |
/// | --- | --- | --- | --- | --- |
/// | `z = W @ x` (matrix · vector) | `W` | `W̄ += z̄ · xᵀ` | `W_bar += z_bar . x^T` | `\bar{W} \mathrel{+}= \bar{z}\, x^\top` |
/// | the same | `x` | `x̄ += Wᵀ · z̄` | `x_bar += W^T . z_bar` | `\bar{x} \mathrel{+}= W^\top\, \bar{z}` |
/// | `Y = A @ B` (matrices) | `A`, `B` | `Ā += Ȳ · Bᵀ`, `B̄ += Aᵀ · Ȳ` | | |
/// | `y = a @ B` (vector · matrix) | `a`, `B` | `ā += B · ȳ`, `B̄ += a · ȳᵀ` | | |
/// | `s = a @ b` (vectors) | `a` | `ā += s̄ · b` | | |
/// | `z = t + b`, `b` repeated on every row | `b` | `b̄ += Σ_rows z̄` | `b_bar += sum_rows(z_bar)` | `\bar{b} \mathrel{+}= \sum_{\mathrm{rows}} \bar{z}` |
/// | `h = tanh(a)` | `a` | `ā += h̄ ⊙ (1 − h^2)` | `a_bar += h_bar * (1 - h^2)` | `\bar{a} \mathrel{+}= \bar{h} \odot (1 - h^{2})` |
/// | `t = y · y` | `y` | `ȳ += t̄ ⊙ y` (once per operand) | | |
/// | `z = 3 · t` | `t` | `t̄ += z̄ · 3` | | |
/// | `y = softmax(x)` | `x` | `x̄ += ȳ ⊙ y − y (ȳ · y)` | `x_bar += y_bar * y - y (y_bar . y)` | `\bar{x} \mathrel{+}= \bar{y} \odot y - y\,(\bar{y} \cdot y)` |
/// | `y = log_softmax(x)` | `x` | `x̄ += ȳ − softmax(x) Σ ȳ` | | |
/// | `y = logsumexp(x)` | `x` | `x̄ += ȳ · softmax(x)` | | |
/// | `s = sum(x)`, `mean(x)`, `max(x)` | `x` | `x̄ += s̄`, `x̄ += s̄ / 4`, `x̄[argmax x] += s̄` | | |
/// | `s = sum(A, axis: 1)` | `A` | `Ā[i, :] += s̄[i]` (`mean`: `/ 3`; `max`: `Ā[i, argmax A[i, :]]`) | | |
/// | `y = A[1, :]` | `A` | `Ā[1, :] += ȳ` | | |
/// | `y = transpose(A)`, `reshape(x, 2, 3)` | | `Ā += ȳᵀ`, `x̄ += reshape(ȳ, 6)` (x's shape) | | |
/// | `v = [a, b, c]` | `b` | `b̄ += v̄[1]` | | |
///
/// A softmax, log-softmax or logsumexp of a matrix adds ` (row by row)` (along its last axis),
/// ` (column by column)` or ` (along axis 2)`.
extension Notation {
    /// The backward step of `node` into its operand number `operand` (0 for the first), as
    /// above for a tensor node; for a scalar node the scalar step ``update(to:from:)``,
    /// `x̄1 += v̄2 · ∂v2/∂x1`, so a view can ask every row of a backward pass the same way.
    public func tensorUpdate(of node: NodeID, operand: Int, in graph: Graph) -> String {
        let operands = graph.operands(of: node)
        guard operands.indices.contains(operand) else { return "" }
        let target = operands[operand]
        guard let stored = graph.tensorStorage.nodes[node] else {
            return update(to: graph.label(of: target), from: graph.label(of: node))
        }
        let receiver = adjoint(graph.label(of: target))
        let upstream = adjoint(graph.label(of: node))
        let operandName = name(graph.label(of: target))
        let shape = graph.shape(of: target)
        func rule(_ body: String) -> String { receiver + accumulates + body }
        switch stored.op {
        case .leaf:
            return ""
        case .elementwise(let op, let parameter):
            let body = elementwiseBody(op, parameter: parameter, node: node, operand: operand, upstream: upstream, in: graph)
            return rule(summedOverBroadcast(body, operand: shape, result: stored.value.shape))
        case .matrixProduct:
            let (a, b) = (name(graph.label(of: operands[0])), name(graph.label(of: operands[1])))
            switch (graph.shape(of: operands[0]).count, graph.shape(of: operands[1]).count, operand) {
            case (2, 2, 0): return rule(upstream + product + transposed(b))
            case (2, 2, _): return rule(transposed(a) + product + upstream)
            case (2, _, 0): return rule(upstream + product + transposed(b))
            case (2, _, _): return rule(transposed(a) + product + upstream)
            case (_, 2, 0): return rule(b + product + upstream)
            case (_, 2, _): return rule(a + product + transposed(upstream))
            case (_, _, 0): return rule(upstream + product + b)
            default: return rule(upstream + product + a)
            }
        case .transpose:
            return rule(transposed(upstream))
        case .reduce(let reduction, let axis):
            return reductionRule(reduction, axis: axis, shape: shape, receiver: receiver, upstream: upstream, operand: operandName)
        case .normalize(let normalization, let axis):
            let nodeName = name(graph.label(of: node))
            let softmax = function("softmax") + "(" + operandName + ")"
            let body = switch normalization {
            case .softmax: upstream + odot + nodeName + minus + nodeName + symbol(" (", " (", "\\,(") + upstream + dot + nodeName + ")"
            case .logSoftmax: upstream + minus + softmax + " " + sum(upstream)
            case .logSumExp: upstream + times + softmax
            }
            return rule(body) + along(axis: axis, rank: shape.count)
        case .index(let entries):
            return receiver + "[" + entries.map(\.description).joined(separator: ", ") + "]" + accumulates + upstream
        case .reshape:
            let sizes = shape.isEmpty ? "" : ", " + shape.map(String.init).joined(separator: ", ")
            return rule(function("reshape") + "(" + upstream + sizes + ")")
        case .stack:
            return rule(upstream + "[\(operand)]")
        }
    }

    // MARK: Rules

    /// `ȳ`, `−ȳ`, `ȳ · 3` (a constant partial) or `ȳ ⊙ (1 − h^2)` (a partial of the nodes).
    func elementwiseBody(_ op: Op, parameter: Double, node: NodeID, operand: Int, upstream: String, in graph: Graph) -> String {
        let rule = op.rule
        if rule.stopsGradient { return number(0) }
        let names = graph.operands(of: node).map { name(graph.label(of: $0)) }
        let partial = styled(node, in: graph, operands: names) { operands, nodeName in
            rule.partialFormula(OpRule.Formula(operands: operands, node: nodeName, parameter: parameter, format: format), operand)
        }
        // Whether the partial mentions a node: written once more with markers for the names.
        let markers = (0...names.count).map { String(Character(Unicode.Scalar(0xE100 + UInt32($0))!)) }
        let probe = rule.partialFormula(OpRule.Formula(operands: Array(markers.dropLast()), node: markers[names.count],
                                                       parameter: parameter, format: format), operand)
        let mentionsNodes = markers.contains { probe.contains($0) }
        if !mentionsNodes && probe == "1" { return upstream }
        if !mentionsNodes && probe == "−1" { return symbol("−", "-", "-") + upstream }
        let factor = Notation.isAtom(probe) ? partial : "(" + partial + ")"
        return upstream + (mentionsNodes ? odot : times) + factor
    }

    /// `body` summed over the axes along which an operand of shape `operand` was repeated to
    /// make `result`: `Σ_rows z̄`, `Σ_columns`, `Σ` (every axis), `Σ_axes0,2`.
    private func summedOverBroadcast(_ body: String, operand: [Int], result: [Int]) -> String {
        let offset = result.count - operand.count
        let axes = result.indices.filter { $0 < offset || (operand[$0 - offset] == 1 && result[$0] != 1) }
        guard !axes.isEmpty else { return body }
        switch (axes.count == result.count, result.count, axes) {
        case (true, _, _): return sum(body)
        case (_, 2, [0]): return sum(body, over: "rows")
        case (_, 2, [1]): return sum(body, over: "columns")
        default: return sum(body, over: axes.count == 1 ? "axis" : "axes", axes.map(String.init).joined(separator: ","))
        }
    }

    /// `Σ_rows z̄`, `Σ (z̄ ⊙ x)`, `sum_rows(z_bar)`, `\sum_{\mathrm{rows}} \bar{z}`: `body` summed
    /// over every element (`over` nil) or over the named axes.
    private func sum(_ body: String, over: String? = nil, _ axes: String = "") -> String {
        let compound = body.contains(" ") || body.hasPrefix("−") || body.hasPrefix("-")
        let summand = compound ? "(" + body + ")" : body
        switch style {
        case .unicode: return "Σ" + (over.map { "_" + $0 + axes } ?? "") + " " + summand
        case .ascii: return "sum" + (over.map { "_" + $0 + axes } ?? "") + "(" + body + ")"
        case .latex: return "\\sum" + (over.map { "_{\\mathrm{\($0)}" + (axes.isEmpty ? "" : "\\," + axes) + "}" } ?? "") + " " + summand
        }
    }

    private func reductionRule(
        _ reduction: TensorOp.Reduction, axis: Int?, shape: [Int], receiver: String, upstream: String, operand: String
    ) -> String {
        let argmax = symbol("argmax ", "argmax ", "\\arg\\max ")
        guard let axis, shape.count >= 2 else {
            switch reduction {
            case .sum: return receiver + accumulates + upstream
            case .mean: return receiver + accumulates + upstream + " / " + number(Double(Tensor.count(of: shape)))
            case .max: return receiver + "[" + argmax + operand + "]" + accumulates + upstream
            }
        }
        let k = axis < 0 ? axis + shape.count : axis
        let letters = ["i", "j", "k", "l"]
        let kept = shape.indices.filter { $0 != k }.map { letters[$0] }.joined(separator: ", ")
        let whole = shape.indices.map { $0 == k ? ":" : letters[$0] }.joined(separator: ", ")
        let received = shape.indices.map { $0 == k && reduction == .max ? argmax + operand + "[" + whole + "]" : ($0 == k ? ":" : letters[$0]) }
        let lhs = receiver + "[" + received.joined(separator: ", ") + "]"
        let rhs = upstream + "[" + kept + "]" + (reduction == .mean ? " / " + number(Double(shape[k])) : "")
        return lhs + accumulates + rhs
    }

    // MARK: Symbols

    /// ` · `, ` . `, `\, ` between the factors of a matrix product.
    var product: String { symbol(" · ", " . ", "\\, ") }
    /// A dot product inside a rule: ` · `, ` . `, ` \cdot `.
    var dot: String { symbol(" · ", " . ", " \\cdot ") }
    /// The elementwise product: ` ⊙ `, ` * `, ` \odot `.
    var odot: String { symbol(" ⊙ ", " * ", " \\odot ") }
    var minus: String { symbol(" − ", " - ", " - ") }

    /// `xᵀ`, `x^T`, `x^\top`.
    func transposed(_ name: String) -> String { name + symbol("ᵀ", "^T", "^\\top") }

    /// A function's name: `softmax`, or `\mathrm{softmax}` in LaTeX.
    func function(_ name: String) -> String { style == .latex ? "\\mathrm{\(name)}" : name }

    /// ` (row by row)` for a normalisation along the last axis of a matrix, nothing for a vector.
    func along(axis: Int, rank: Int) -> String {
        guard rank >= 2 else { return "" }
        let k = axis < 0 ? axis + rank : axis
        let words = rank == 2 ? (k == 1 ? "row by row" : "column by column") : "along axis \(k)"
        return symbol(" (\(words))", " (\(words))", "\\quad\\mbox{(\(words))}")
    }

    /// Whether a formula reads as one factor: no space outside parentheses and brackets.
    static func isAtom(_ formula: String) -> Bool {
        var depth = 0
        for character in formula {
            switch character {
            case "(", "[": depth += 1
            case ")", "]": depth -= 1
            case " " where depth == 0: return false
            default: break
            }
        }
        return !formula.hasPrefix("−")
    }
}
