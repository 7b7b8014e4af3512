import GradFlow
import Notation

/// The traces of a scene with tensors, for people: one row per node with its shape and value
/// (in full up to 4×4, else shape and summary), the tangents with respect to one element, and
/// the backward pass one vector–Jacobian product per row (`W̄ += z̄ · xᵀ`) with its numbers.
///
/// `multiline` writes a matrix one row per line (aligned text); otherwise on one line
/// (Markdown) or as a `bmatrix` (LaTeX). Tensor columns are left-aligned, so that matrices of
/// different widths start in one column.
extension EvaluationTrace {
    /// A tensor for a cell of this trace.
    func tensorCell(_ value: Tensor, _ notation: Notation, multiline: Bool) -> Table.Cell {
        .math(multiline ? notation.tensorRows(value).joined(separator: "\n") : notation.tensor(value))
    }

    /// `[2, 3]`, or `scalar`.
    static func shapeText(_ shape: [Int]) -> String { shape.isEmpty ? "scalar" : Tensor.describe(shape) }

    /// The forward primal trace with shapes: node, expression, shape, the scalar arithmetic, value.
    func tensorPrimalTable(_ notation: Notation, multiline: Bool) -> Table {
        let graph = computation.graph
        return Table(
            title: "Forward primal trace",
            columns: [.init("node"), .init("expression"), .init("shape"), .init("with values"), .init("value")],
            rowCount: graph.count
        ) { node in
            let expression = primalExpression(of: node, notation: notation)
            // Written-out arithmetic for scalar ops only: a tensor op's would repeat its operands' values.
            let substituted = graph.ops[node] == .tensor ? "" : notation.substituted(node, in: graph)
            return [
                .math(notation.name(graph.label(of: node))),
                graph.ops[node].isLeaf ? .text(expression) : .math(expression),
                .text(Self.shapeText(graph.shape(of: node))),
                .math(substituted),
                tensorCell(graph.tensor(of: node), notation, multiline: multiline),
            ]
        }
    }

    /// The tangent of every node with respect to one element of the input (`W[0, 1]`), with its
    /// rule (`Ẇ · x + W · ẋ`).
    func tensorTangentTable(_ notation: Notation, multiline: Bool) -> Table? {
        guard let input = tangentInput, let tensorTangents else { return nil }
        let graph = computation.graph
        let seeded = seededLabel ?? input.name
        return Table(
            title: "Forward tangent trace with respect to \(seeded)",
            columns: [.init("tangent"), .init("rule"), .init("shape"), .init("value")],
            rowCount: graph.count,
            footnotes: computation.outputs.map { output in
                .math(notation.partial(output.name, seeded) + " = " + notation.number(tensorTangents.tangent(of: output.node, in: graph).elements[0]))
            }
        ) { node in
            let rule: Table.Cell
            if graph.ops[node].isLeaf {
                rule = node == input.node ? .text("seed") : .math(notation.number(0))
            } else if graph.ops[node] == .tensor {
                rule = .math(notation.tensorTangentRule(of: node, in: graph))
            } else {
                rule = .math(tangentRule(of: node, notation: notation).symbolic)
            }
            return [.math(notation.tangent(graph.label(of: node))), rule, .text(Self.shapeText(graph.shape(of: node))),
                    tensorCell(tensorTangents.tangent(of: node, in: graph), notation, multiline: multiline)]
        }
    }

    /// The seeded element as people write it: `W[0, 1]`, or the input's name for a scalar.
    public var seededLabel: String? {
        tangentInput.map { ElementReference.label($0.name, offset: tangentElement, in: computation.graph.shape(of: $0.node)) }
    }

    /// The backward pass of each chosen output in vector–Jacobian form: the seed, then one row
    /// per contribution with the rule, the adjoint coming in, what it passes back, and the
    /// receiving adjoint before and after.
    func tensorAdjointTables(_ notation: Notation, multiline: Bool) -> [Table] {
        let graph = computation.graph
        return backwardPasses.map { pass in
            let timeline = pass.timeline
            let gradient: [Table.Cell] = computation.inputs.map { input in
                .math(notation.adjoint(input.name) + " = " + notation.tensor(timeline.finalTensorDerivative(of: input.node)))
            }
            return Table(
                title: "Reverse adjoint trace of \(pass.output.name)",
                columns: [
                    .init("step", alignment: .right), .init("adjoint update"), .init("incoming"),
                    .init("passed back"), .init("before"), .init("after"),
                ],
                rowCount: 1 + timeline.contributionCount,
                footnotes: gradient
            ) { index in
                guard index > 0 else {
                    return [.math("0"), .math(notation.adjoint(graph.label(of: pass.output.node)) + " = 1"), .text("seed"),
                            .math(""), .math(""), .math("1")]
                }
                let step = timeline.tensorContribution(index - 1)
                return [
                    .math(String(index)),
                    .math(updateRule(step, notation)),
                    tensorCell(step.incomingAdjoint, notation, multiline: multiline),
                    tensorCell(step.passed, notation, multiline: multiline),
                    tensorCell(Self.before(step), notation, multiline: multiline),
                    tensorCell(step.adjointAfter, notation, multiline: multiline),
                ]
            }
        }
    }

    /// A step's rule with the local derivative written in: `W̄ += z̄ · xᵀ` for a tensor node;
    /// `t̄2 += t̄3 · (1 − t3^2)`, `t̄1 += t̄2` for a scalar node, in the same form.
    func updateRule(_ step: TensorContribution, _ notation: Notation) -> String {
        let graph = computation.graph
        if graph.ops[step.from] == .tensor { return notation.tensorUpdate(of: step.from, operand: step.operandIndex, in: graph) }
        let unicode = Notation(.unicode, format: notation.format)
        let shape = unicode.localDerivative(of: step.from, operandIndex: step.operandIndex, in: graph)
        let local = notation.localDerivative(of: step.from, operandIndex: step.operandIndex, in: graph)
        let incoming = notation.adjoint(graph.label(of: step.from))
        let body: String = switch shape {
        case "1": incoming
        case "−1": (notation.style == .unicode ? "−" : "-") + incoming
        default: incoming + notation.times + (shape.contains(" ") ? "(\(local))" : local)
        }
        return notation.adjoint(graph.label(of: step.to)) + notation.accumulates + body
    }

    /// The receiver's adjoint before a step: zeros when the step is the first to reach it.
    static func before(_ step: TensorContribution) -> Tensor {
        step.adjointBefore ?? Tensor(repeating: 0, shape: step.adjointAfter.shape)
    }

    /// The tables of a scene with tensors (see ``tables(_:format:style:)``).
    func tensorTables(_ sections: Set<Section>, format: NumberFormat, style: Notation.Style, multiline: Bool) -> [Table] {
        let notation = Notation(style, format: format)
        var tables: [Table] = []
        if sections.contains(.primal) { tables.append(tensorPrimalTable(notation, multiline: multiline)) }
        if sections.contains(.tangent), let table = tensorTangentTable(notation, multiline: multiline) { tables.append(table) }
        if sections.contains(.adjoint) { tables += tensorAdjointTables(notation, multiline: multiline) }
        return tables
    }
}
