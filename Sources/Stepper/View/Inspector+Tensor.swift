import GradFlow
import Notation

/// The inspector on tensor nodes and steps.
///
/// Forward: `y = x + 2` and its value as a matrix. Backward, one tensor step:
/// `ȳ += w̄ ⊙ y` (the vector–Jacobian product), the numbers it reads (`w̄ = …`, `y = …`), what it
/// adds and the adjoint before and after. An opened step (`e`), one element:
/// `Ā[0, 1] += Ȳ[0, 0] · B[1, 0] + Ȳ[0, 1] · B[1, 1] = 1 · 9 + 1 · 10 = 19   (Ā[0, 1]: 0 → 19)`.
extension Inspector {
    /// The most terms of one element's dot product written out; the rest are counted.
    static let shownTerms = 8

    /// `y = x + 2` and the value's rows under it; a leaf's value with what kind of leaf it is.
    func tensorDefinition(of node: NodeID) -> [Line] {
        let label = graph.label(of: node)
        let value = graph.tensor(of: node)
        let op = graph.ops[node]
        var first: Line = [Span(label, .strong)]
        if value.rank > 0 { first.append(Span(" " + Tensor.describe(value.shape), .pending)) }
        if op.isLeaf {
            first.append(Span(op == .input ? "   (input)" : "   (constant)", .pending))
        } else {
            first.append(Span(" = " + notation.expression(of: node, in: graph)))
        }
        return [first] + matrixLines("  = ", value, role: value.elements.allSatisfy(\.isFinite) ? .strong : .warning)
    }

    /// Forward mode: the node's tangent, `ż = Ẇ · x + W · ẋ` and its value; for a leaf, the
    /// seed (one at the seeded element, zero elsewhere) or zeros.
    func tensorTangentLines(of node: NodeID) -> [Line] {
        guard let tangent = model.timeline.tensorDerivative(of: node, at: model.step) else { return [] }
        let name = notation.tangent(graph.label(of: node))
        let role: Role = tangent.elements.allSatisfy(\.isFinite) ? .freshDerivative : .warning
        guard graph.operands(of: node).isEmpty else {
            return [[Span(name, .freshDerivative), Span(" = " + notation.tensorTangentRule(of: node, in: graph), .strong)]]
                + matrixLines("  = ", tangent, role: role)
        }
        let why = node == model.seededInput
            ? "   (the seed: 1 at \(model.seededLabel ?? graph.label(of: node)), 0 elsewhere)" : "   (not the seeded input)"
        return matrixLines(name + " = ", tangent, role: role) + [[Span(why, .pending)]]
    }

    /// Whether the inspector is too short for matrices row by row (80×24 gives it four rows):
    /// then each tensor is written on one line.
    private var isShort: Bool { (ScreenLayout(columns: model.columns, rows: model.rows)?.inspector.height ?? 0) < 8 }

    /// A tensor's rows, the first after `prefix`, the others under it (one line when short).
    func matrixLines(_ prefix: String, _ value: Tensor, role: Role) -> [Line] {
        if isShort { return [[Span(prefix), Span(notation.tensor(value), role)]] }
        let indent = String(repeating: " ", count: DisplayWidth.of(notation.charset.transliterate(prefix)))
        return notation.tensorRows(value).enumerated().map { index, row in
            [Span(index == 0 ? prefix : indent), Span(row, role)]
        }
    }

    /// One tensor step of the backward pass: the rule, the numbers it reads, what it adds.
    func tensorStepLines(_ index: Int) -> [Line] {
        let step = model.timeline.tensorContribution(index)
        let to = graph.label(of: step.to), from = graph.label(of: step.from)
        let receiving = notation.adjoint(to)
        let rule = notation.tensorUpdate(of: step.from, operand: step.operandIndex, in: graph)
        var lines: [Line] = [[Span(receiving, .freshDerivative), Span(String(rule.dropFirst(receiving.count)), .strong),
                              Span("   (" + from + " = " + notation.expression(of: step.from, in: graph) + ")", .pending)]]
        let read = [(notation.adjoint(from), step.incomingAdjoint, Role.derivative)]
            + readNodes(of: step).map { (graph.label(of: $0), graph.tensor(of: $0), Role.text) }
        if isShort {
            // Where the step stands and the key first, then what the rule reads and adds, one
            // line each: four rows show the rule and the key, a taller window the numbers.
            lines += stepPlace(step, index: index)
            var line: Line = [Span(" ")]
            for (name, value, role) in read { line += [Span(" " + name + " = "), Span(notation.tensor(value), role)] }
            lines.append([Span("  adds "), Span(notation.tensor(step.passed), .strong), Span(": " + receiving + " = "),
                          Span(notation.tensor(step.adjointAfter), .freshDerivative)])
            lines.append(line)
            return lines
        } else {
            for (name, value, role) in read { lines += matrixLines("  " + name + " = ", value, role: role) }
            lines += matrixLines("  adds ", step.passed, role: .strong)
            lines += matrixLines("  " + receiving + " = ", step.adjointAfter, role: .freshDerivative)
        }
        return lines + stepPlace(step, index: index)
    }

    /// `step 1 of 2 into y` and the key that opens the step.
    private func stepPlace(_ step: TensorContribution, index: Int) -> [Line] {
        let to = graph.label(of: step.to)
        let received = model.timeline.contributions(into: step.to)
        let position = (binarySearch(received, index) ?? 0) + 1
        var place: Line = [Span("step \(position) of \(received.count) into \(to)", .pending)]
        if position == received.count, step.to != model.output.node {
            place.append(Span("; " + notation.adjoint(to) + " is complete", .pending))
        }
        let count = graph.receivingElements(of: step.from, operand: step.operandIndex).count
        guard count > 1 || graph.isTensor(step.to) else { return [place] }
        return [place, [Span("e", .key), Span(" opens it into its \(count) scalar contribution\(count == 1 ? "" : "s")")]]
    }

    /// The nodes whose values a step's rule reads besides the consumer's adjoint: the other
    /// operands, and the node itself where its value is in the rule (`1 − h^2`, softmax).
    private func readNodes(of step: TensorContribution) -> [NodeID] {
        guard let stored = graph.tensorStorage.nodes[step.from] else { return [] }
        let operands = graph.operands(of: step.from)
        switch stored.op {
        case .matrixProduct:
            return [operands[1 - step.operandIndex]]
        case .elementwise(let op, _):
            // A rule whose partial is a constant (`x̄ += ȳ`, `t̄ += z̄ · 3`) reads no values; one
            // that reads nodes multiplies elementwise (`ȳ += t̄ ⊙ y`, `ā += h̄ ⊙ (1 − h^2)`).
            let rule = Notation(.unicode).tensorUpdate(of: step.from, operand: step.operandIndex, in: graph)
            guard rule.contains("⊙") else { return [] }
            // A binary rule reads the other operand (`a ⊙ b`); a unary one its operand (ln, x^2)
            // or its value (tanh, exp): both, when small.
            if op.rule.arity == 2 { return operands.enumerated().filter { $0.offset != step.operandIndex }.map(\.element) }
            guard Notation.writesInFull(stored.value) else { return [] }
            return [operands[0], step.from].filter { $0 != step.to }
        case .normalize:
            return [step.from]
        default:
            return []
        }
    }

    /// An opened tensor step at its current element: the dot product written out, its
    /// numbers, and where the walk is.
    func elementLines(_ focus: ElementFocus) -> [Line] {
        let step = focus.step
        let to = graph.label(of: step.to), from = graph.label(of: step.from)
        let toShape = graph.shape(of: step.to), fromShape = graph.shape(of: step.from)
        let receiving = notation.adjoint(to) + TensorText.index(of: focus.element, shape: toShape)
        let shown = focus.terms.prefix(Self.shownTerms)
        let more = focus.terms.count > shown.count ? " + … \(focus.terms.count - shown.count) more" : ""
        let factorShape = focus.factor.map(graph.shape(of:)) ?? []
        let symbolic = shown.enumerated().map { offset, term in
            let upstream = notation.adjoint(from) + TensorText.index(of: term.from, shape: fromShape)
            let local = focus.factor.map { graph.label(of: $0) + TensorText.index(of: focus.factorCells[offset], shape: factorShape) }
                ?? notation.partial(from + TensorText.index(of: term.from, shape: fromShape), to + TensorText.index(of: focus.element, shape: toShape))
            return upstream + notation.times + local
        }.joined(separator: " + ") + more
        let upstream = step.incomingAdjoint.elements
        let numeric = shown.map { notation.operand(upstream[$0.from]) + notation.times + notation.operand($0.localDerivative) }
            .joined(separator: " + ") + more
        let sum = focus.terms.reduce(0) { $0 + upstream[$1.from] * $1.localDerivative }
        let before = (step.adjointBefore ?? Tensor(repeating: 0, shape: step.adjointAfter.shape)).elements[focus.element], after = step.adjointAfter.elements[focus.element]
        let contribution: Line = [
            Span(receiving, .freshDerivative), Span(notation.accumulates + symbolic, .strong),
        ]
        let arithmetic: Line = [
            Span("  = " + numeric + " = "), Span(notation.number(sum), state.role(of: sum, otherwise: .strong)),
            Span("   (" + receiving + ": " + notation.number(before) + notation.arrow),
            Span(notation.number(after), state.role(of: after, otherwise: .freshDerivative)), Span(")"),
        ]
        let walk: Line = [
            Span("element \(focus.position + 1) of \(focus.count) of " + notation.adjoint(to) + "   ", .pending),
            Span("→ ←", .key), Span(" element  "), Span("e", .key), Span(" closes"),
        ]
        var lines = [contribution, arithmetic, walk]
        guard !isShort else { return lines }
        // The matrices involved, their entries marked, for when the boxes are too small to show
        // them (a graph drawn with names only): the consumer's adjoint, the other factor of a
        // matrix product, and the receiving adjoint as the walk has filled it.
        lines += markedMatrixLines("  " + notation.adjoint(from) + " = ", step.incomingAdjoint, marked: focus.adjointCells(of: step.from),
                                   role: .derivative)
        if let factor = focus.factor {
            lines += markedMatrixLines("  " + graph.label(of: factor) + " = ", graph.tensor(of: factor),
                                       marked: focus.valueCells(of: factor), role: .text)
        }
        lines += markedMatrixLines("  " + notation.adjoint(to) + " = ", focus.walkedAdjoint, marked: [focus.element],
                                   role: .freshDerivative)
        return lines
    }

    /// A tensor's rows as ``matrixLines(_:_:role:)`` writes them, the entries at the row-major
    /// offsets `marked` in the role ``Role/element`` (a tensor written as a summary has none).
    func markedMatrixLines(_ prefix: String, _ value: Tensor, marked: Set<Int>, role: Role) -> [Line] {
        let lines = matrixLines(prefix, value, role: role)
        guard Notation.writesInFull(value), !marked.isEmpty, !isShort else { return lines }
        return lines.enumerated().map { row, line in
            guard line.count == 2 else { return line }
            // Entries are ASCII numbers between brackets and commas: columns are characters.
            let text = Array(line[1].text)
            var spans: Line = [line[0]]
            var position = 0
            for (entry, columns) in TensorText.entryColumns(line[1].text).enumerated() {
                let offset = value.rank >= 2 ? row * value.shape[value.rank - 1] + entry : entry
                guard marked.contains(offset), columns.start + columns.width <= text.count else { continue }
                spans.append(Span(String(text[position..<columns.start]), role))
                spans.append(Span(String(text[columns.start..<columns.start + columns.width]), .element))
                position = columns.start + columns.width
            }
            spans.append(Span(String(text[position...]), role))
            return spans
        }
    }
}
