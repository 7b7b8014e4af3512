import GradFlow

/// The tangent of a tensor node in forward mode, as a teacher writes it: its Jacobian–vector
/// product in terms of its operands and their tangents.
///
/// | node | Unicode (the tangent `ż` is the left-hand side) | ASCII | LaTeX |
/// | --- | --- | --- | --- |
/// | `z = W @ x` | `ż = Ẇ · x + W · ẋ` | `z_dot = W_dot . x + W . x_dot` | `\dot{z} = \dot{W}\, x + W\, \dot{x}` |
/// | `h = tanh(a)` | `ḣ = ȧ ⊙ (1 − h^2)` | `h_dot = a_dot * (1 - h^2)` | |
/// | `z = t + b` | `ż = ṫ + ḃ` (broadcast as the values are) | | |
/// | `y = softmax(x)` | `ẏ = y ⊙ (ẋ − y · ẋ)` (row by row for a matrix) | | |
/// | `y = log_softmax(x)`, `logsumexp(x)` | `ẏ = ẋ − softmax(x) · ẋ`, `ẏ = softmax(x) · ẋ` | | |
/// | `s = sum(A, axis: 1)`, `mean(x)`, `max(x)` | `ṡ = sum(Ȧ, axis: 1)`, `ṡ = mean(ẋ)`, `ṡ = ẋ[argmax x]` | | |
/// | `y = A[1, :]`, `transpose(A)`, `reshape(x, 6)`, `[a, b]` | `ẏ = Ȧ[1, :]`, `ẏ = Ȧᵀ`, `ẏ = reshape(ẋ, 6)`, `ẏ = [ȧ, ḃ]` | | |
extension Notation {
    /// The forward-mode rule of tensor node `node`, the right-hand side of its tangent:
    /// `Ẇ · x + W · ẋ` for `z = W @ x`. Empty for a leaf or a scalar node (whose tangent is the
    /// sum of its partials times its operands' tangents, as the scalar trace writes it).
    public func tensorTangentRule(of node: NodeID, in graph: Graph) -> String {
        guard let stored = graph.tensorStorage.nodes[node] else { return "" }
        let operands = graph.operands(of: node)
        let names = operands.map { name(graph.label(of: $0)) }
        let dots = operands.map { tangent(graph.label(of: $0)) }
        let shape = operands.first.map { graph.shape(of: $0) } ?? []
        switch stored.op {
        case .leaf:
            return ""
        case .elementwise(let op, let parameter):
            let terms = operands.indices.map {
                elementwiseBody(op, parameter: parameter, node: node, operand: $0, upstream: dots[$0], in: graph)
            }
            return joinedSum(terms)
        case .matrixProduct:
            return joinedSum([dots[0] + product + names[1], names[0] + product + dots[1]])
        case .transpose:
            return transposed(dots[0])
        case .reduce(let reduction, let axis):
            if reduction == .max {
                guard let axis, shape.count >= 2 else {
                    return dots[0] + "[" + symbol("argmax ", "argmax ", "\\arg\\max ") + names[0] + "]"
                }
                let k = axis < 0 ? axis + shape.count : axis
                let letters = ["i", "j", "k", "l"]
                let whole = shape.indices.map { $0 == k ? ":" : letters[$0] }.joined(separator: ", ")
                let picked = shape.indices.map { $0 == k ? symbol("argmax ", "argmax ", "\\arg\\max ") + names[0] + "[" + whole + "]" : letters[$0] }
                return dots[0] + "[" + picked.joined(separator: ", ") + "]"
            }
            return function(reduction.rawValue) + "(" + dots[0] + (axis.map { ", axis: \($0)" } ?? "") + ")"
        case .normalize(let normalization, let axis):
            let nodeName = name(graph.label(of: node))
            let softmax = function("softmax") + "(" + names[0] + ")"
            let body = switch normalization {
            case .softmax: nodeName + odot + "(" + dots[0] + minus + nodeName + dot + dots[0] + ")"
            case .logSoftmax: dots[0] + minus + softmax + dot + dots[0]
            case .logSumExp: softmax + dot + dots[0]
            }
            return body + along(axis: axis, rank: shape.count)
        case .index(let entries):
            return dots[0] + "[" + entries.map(\.description).joined(separator: ", ") + "]"
        case .reshape:
            return function("reshape") + "(" + dots[0] + ", " + stored.value.shape.map(String.init).joined(separator: ", ") + ")"
        case .stack:
            return "[" + dots.joined(separator: ", ") + "]"
        }
    }

    /// Terms joined by ` + `, a term that starts with a minus sign by ` − `.
    private func joinedSum(_ terms: [String]) -> String {
        var text = ""
        for (index, term) in terms.enumerated() {
            let negative = term.hasPrefix("−") || (style != .unicode && term.hasPrefix("-"))
            if index == 0 { text = term; continue }
            text += negative ? minus + term.dropFirst() : " + " + term
        }
        return text
    }
}
