import GradFlow
import Notation

/// The arithmetic of the current step, written out as on a blackboard, and the notes of the
/// nodes involved; or, after a click or a find, what is known about the inspected node.
///
/// Forward: `v2 = x1 · x2 = 2 · 5 = 10` and `∂v2/∂x1 = 5, ∂v2/∂x2 = 2`. Backward:
/// `x̄1 += v̄2 · ∂v2/∂x1 = 1 · 5 = 5   (x̄1: 0 → 5)`. Every number comes from the timeline.
struct Inspector {
    let model: StepperModel
    let state: StepState

    var notation: Notation { state.notation }
    var graph: Graph { model.graph }

    /// The pane's title and its lines.
    func content() -> (title: String, lines: [Line]) {
        if let node = model.inspected { return ("node \(graph.label(of: node))  (any step key returns)", inspection(of: node)) }
        var lines: [Line]
        switch model.currentStep {
        case nil:
            lines = [
                [Span("Nothing is evaluated yet.")],
                [Span("→", .key), Span(" or "), Span("space", .key), Span(" evaluates the first node, "),
                 Span("]", .key), Span(" jumps a phase, "), Span("?", .key), Span(" lists every key.")],
            ]
        case .evaluate(let evaluation)? where graph.tensorStorage.nodes[evaluation.node] != nil:
            lines = tensorDefinition(of: evaluation.node)
            if model.differentiation == .forward { lines += tensorTangentLines(of: evaluation.node) }
            lines += notes(of: [evaluation.node])
        case .evaluate(let evaluation)?:
            lines = [definition(of: evaluation.node)]
            if model.differentiation == .forward {
                lines.append(tangentLine(of: evaluation.node))
            } else if let partials = partialsLine(of: evaluation.node) {
                lines.append(partials)
            }
            lines += notes(of: [evaluation.node])
        case .seed(let output)?:
            let label = graph.label(of: output)
            lines = [
                [Span(notation.adjoint(label), .freshDerivative), Span(" = " + notation.partial(label, label) + " = "),
                 Span("1", .freshDerivative), Span("   (the seed: the backward pass starts at the output)")],
            ]
            lines += graph.tensorStorage.nodes[output] != nil ? tensorDefinition(of: output) : [definition(of: output)]
            lines += notes(of: [output])
        case .contribute(let contribution)?:
            if let focus = state.elementFocus {
                lines = elementLines(focus)
            } else if let index = model.contributionIndex, model.timeline.isTensorStep(index) {
                lines = tensorStepLines(index)
            } else {
                lines = contributionLines(contribution)
            }
            lines += notes(of: [contribution.from, contribution.to])
        }
        // At the end the whole gradient comes first: it is what the walk was for.
        if model.isAtEnd, model.step > 0 { lines.insert(resultLine(), at: 0) }
        let phase = model.phase == .backward && model.isAtEnd ? "done" : "\(model.phase.rawValue)"
        return ("step \(model.step): \(phase)", lines)
    }

    // MARK: Pieces

    /// The most operands written out for one node: a `sum` of 30,000 terms was wrapped into
    /// 18,000 lines at every step (160 ms) to show a dozen. The rest are counted.
    static let shownOperands = 16

    /// The node's formula over its first ``shownOperands`` operands, each written by `write`,
    /// and a count of the others: `sum(v0, v1, …, v15, … 29984 more)`.
    private func shortened(_ node: NodeID, writing write: (NodeID) -> String) -> String {
        let operands = graph.operands(of: node)
        let names = operands.prefix(Self.shownOperands).map(write) + ["… \(operands.count - Self.shownOperands) more"]
        return graph.formula(of: node, operandNames: names, nodeName: notation.name(graph.label(of: node)), format: notation.format)
    }

    /// `v2 = x1 · x2 = 2 · 5 = 10`, or `x1 = 2   (input)` for a leaf.
    private func definition(of node: NodeID) -> Line {
        let label = graph.label(of: node)
        let value = graph.values[node]
        var line: Line = [Span(label, .strong), Span(" = ")]
        let op = graph.ops[node]
        if op.isLeaf {
            line.append(Span(notation.number(value), state.role(of: value, otherwise: .text)))
            line.append(Span(op == .input ? "   (input)" : "   (constant)", .pending))
        } else if graph.operands(of: node).count > Self.shownOperands {
            line.append(Span(shortened(node, writing: { notation.name(graph.label(of: $0)) }) + " = "))
            line.append(Span(shortened(node, writing: { notation.number(graph.values[$0]) }) + " = "))
            line.append(Span(notation.number(value), state.role(of: value, otherwise: .strong)))
        } else {
            line.append(Span(notation.expression(of: node, in: graph) + " = "))
            line.append(Span(notation.substituted(node, in: graph) + " = "))
            line.append(Span(notation.number(value), state.role(of: value, otherwise: .strong)))
        }
        if !value.isFinite {
            let first = model.firstNonFiniteNode == node
            line.append(Span(first ? "   ⚠ the first non-finite node" : "   ⚠ not finite", .warning))
        }
        return line
    }

    /// `∂v2/∂x1 = 5, ∂v2/∂x2 = 2`; nil for a leaf.
    private func partialsLine(of node: NodeID) -> Line? {
        let operands = graph.operands(of: node)
        guard !operands.isEmpty else {
            let role = graph.ops[node] == .input ? "an input: its adjoint at the end is a gradient" : "a constant: it gets an adjoint, not reported as a gradient"
            return [Span(role, .pending)]
        }
        let label = graph.label(of: node)
        var line: Line = []
        for (operand, partial) in zip(operands, graph.partials(of: node)).prefix(Self.shownOperands) {
            if !line.isEmpty { line.append(Span(", ")) }
            line.append(Span(notation.partial(label, graph.label(of: operand)) + " = "))
            line.append(Span(notation.number(partial), state.role(of: partial, otherwise: .text)))
        }
        if operands.count > Self.shownOperands { line.append(Span(", … \(operands.count - Self.shownOperands) more", .pending)) }
        return line
    }

    /// Forward mode: `v̇2 = ∂v2/∂x1 · ẋ1 + ∂v2/∂x2 · ẋ2 = 5 · 1 + 2 · 0 = 5`.
    private func tangentLine(of node: NodeID) -> Line {
        let label = graph.label(of: node)
        let tangent = model.timeline.derivatives[node]
        let name = Span(notation.tangent(label), .freshDerivative)
        let operands = graph.operands(of: node)
        guard !operands.isEmpty else {
            let seeded = node == model.seededInput
            return [name, Span(" = "), Span(notation.number(tangent), .freshDerivative),
                    Span(seeded ? "   (the seed: " + notation.partial(label, label) + ")" : "   (not the seeded input)", .pending)]
        }
        let partials = graph.partials(of: node)
        let more = operands.count > Self.shownOperands ? " + … \(operands.count - Self.shownOperands) more" : ""
        let symbolic = zip(operands, partials).prefix(Self.shownOperands).map { operand, _ in
            notation.partial(label, graph.label(of: operand)) + notation.times + notation.tangent(graph.label(of: operand))
        }.joined(separator: " + ") + more
        let numeric = zip(operands, partials).prefix(Self.shownOperands).map { operand, partial in
            notation.operand(partial) + notation.times + notation.operand(model.timeline.derivatives[operand])
        }.joined(separator: " + ") + more
        return [name, Span(" = " + symbolic + " = " + numeric + " = "),
                Span(notation.number(tangent), state.role(of: tangent, otherwise: .freshDerivative))]
    }

    /// `x̄1 += v̄2 · ∂v2/∂x1 = 1 · 5 = 5   (x̄1: 0 → 5)`, and where it stands among the
    /// contributions the node receives.
    private func contributionLines(_ contribution: Contribution) -> [Line] {
        let to = graph.label(of: contribution.to), from = graph.label(of: contribution.from)
        let receiving = notation.adjoint(to)
        let first: Line = [
            Span(receiving, .freshDerivative),
            Span(String(notation.update(to: to, from: from).dropFirst(receiving.count))),
            Span(" = " + String(notation.arithmetic(contribution).dropLast(notation.number(contribution.contribution).count))),
            Span(notation.number(contribution.contribution), state.role(of: contribution.contribution, otherwise: .strong)),
            Span("   (" + receiving + ": " + notation.number(contribution.adjointBefore) + notation.arrow),
            Span(notation.number(contribution.adjointAfter), state.role(of: contribution.adjointAfter, otherwise: .freshDerivative)),
            Span(")"),
        ]
        let received = model.timeline.contributions(into: contribution.to)
        let index = model.step - graph.count - 2
        // The indices are ascending: the contributions arrive in order.
        let position = (binarySearch(received, index) ?? 0) + 1
        var second: Line = [Span("contribution \(position) of \(received.count) into \(to)", .pending)]
        if position == received.count {
            second.append(Span("; \(receiving) is complete: " + notation.partial(model.output.name, to) + " = "))
            second.append(Span(notation.number(contribution.adjointAfter), .strong))
        }
        return [first, second]
    }

    /// The gradient (reverse) or the tangents of the outputs (forward), once the walk is over.
    private func resultLine() -> Line {
        var line: Line = []
        switch model.timeline.mode {
        case .reverse(let output):
            line.append(Span("gradient of \(graph.label(of: output)): ", .strong))
            for (index, input) in model.inputs.enumerated() {
                if index > 0 { line.append(Span(", ")) }
                line.append(Span(notation.partial(graph.label(of: output), graph.label(of: input)) + " = "))
                let value = model.timeline.finalTensorDerivative(of: input)
                let role: Role = value.elements.allSatisfy(\.isFinite) ? .derivative : .warning
                line.append(Span(value.rank == 0 ? notation.number(value.elements[0]) : notation.tensor(value), role))
            }
        case .forward(let input):
            let seeded = model.seededLabel ?? graph.label(of: input)
            line.append(Span("derivatives by \(seeded): ", .strong))
            for (index, output) in model.outputs.enumerated() {
                if index > 0 { line.append(Span(", ")) }
                line.append(Span(notation.partial(output.name, seeded) + " = "))
                let value = model.timeline.finalTensorDerivative(of: output.node)
                let role: Role = value.elements.allSatisfy(\.isFinite) ? .derivative : .warning
                line.append(Span(value.rank == 0 ? notation.number(value.elements[0]) : notation.tensor(value), role))
            }
        }
        return line
    }

    /// What is known about a clicked or found node at this step.
    private func inspection(of node: NodeID) -> [Line] {
        let label = graph.label(of: node)
        var lines: [Line] = []
        if graph.tensorStorage.nodes[node] != nil {
            lines = state.isEvaluated(node) ? tensorDefinition(of: node)
                : [[Span(label, .strong), Span(" = " + notation.expression(of: node, in: graph)), Span("   (not evaluated yet at this step)", .pending)]]
            let name = notation.derivative(label, mode: model.differentiation)
            if let adjoint = state.tensorDerivative(node) {
                lines += matrixLines(name + " = ", adjoint, role: .derivative)
            } else {
                lines.append([Span(name + " is not known yet at this step", .pending)])
            }
            return lines + notes(of: [node])
        }
        if state.isEvaluated(node) {
            lines.append(definition(of: node))
        } else {
            lines.append([Span(label, .strong), Span(" = " + notation.expression(of: node, in: graph)),
                          Span("   (not evaluated yet at this step)", .pending)])
        }
        let name = notation.derivative(label, mode: model.differentiation)
        if let derivative = state.derivative(node) {
            var line: Line = [Span(name + " = "), Span(notation.number(derivative), .derivative), Span(" at this step")]
            if model.differentiation == .reverse, model.step > graph.count + 1 {
                let applied = model.timeline.contributions(into: node).filter { $0 < model.step - graph.count - 1 }
                let shown = applied.prefix(3).map { index -> String in
                    let contribution = model.timeline.contribution(index)
                    return notation.number(contribution.contribution) + " from " + graph.label(of: contribution.from)
                }
                if !applied.isEmpty {
                    line.append(Span("   (\(applied.count) contribution\(applied.count == 1 ? "" : "s"): "
                        + shown.joined(separator: ", ") + (applied.count > 3 ? ", …" : "") + ")", .pending))
                }
            }
            lines.append(line)
        } else {
            lines.append([Span(name + " is not known yet at this step", .pending)])
        }
        if state.isEvaluated(node), let partials = partialsLine(of: node) { lines.append(partials) }
        lines += notes(of: [node])
        return lines
    }

    /// The teaching notes of the nodes, each once.
    private func notes(of nodes: [NodeID]) -> [Line] {
        var seen = Set<NodeID>()
        return nodes.compactMap { node in
            guard seen.insert(node).inserted, let note = graph.annotations.notes[node] else { return nil }
            return [Span("note ", .strong), Span(graph.label(of: node) + ": ", .note), Span(note, .note)]
        }
    }
}
