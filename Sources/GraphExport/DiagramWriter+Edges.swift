import GradFlow
import Notation

/// Edges, folded group boxes and the caption.
extension DiagramWriter {
    /// How an edge looks at a step.
    enum EdgeState: Int, Comparable {
        /// Its consumer is not evaluated yet.
        case pending
        case normal
        /// Its backward contribution has been applied: gradient has flowed along it.
        case carried
        /// It carries the current contribution, or feeds the node being evaluated.
        case current

        static func < (a: EdgeState, b: EdgeState) -> Bool { a.rawValue < b.rawValue }
    }

    func edgeState(slot: Int, consumer: NodeID, state: DiagramState) -> EdgeState {
        guard state.isEvaluated(consumer) else { return .pending }
        guard state.marksCurrentStep else { return .normal }
        switch state.currentStep {
        case .evaluate(let evaluation) where evaluation.node == consumer:
            return .current
        case .contribute(let contribution)
            where contribution.from == consumer
                && graph.operandSlots(of: consumer).lowerBound + contribution.operandIndex == slot:
            return .current
        default:
            let index = contributionOfSlot[slot]
            return index >= 0 && Int(index) < state.appliedContributions ? .carried : .normal
        }
    }

    private func edgeLook(_ edgeState: EdgeState) -> String {
        switch edgeState {
        case .pending:
            let style = palette.usesLineStylesForState ? "; style=dotted" : ""
            return #"color="\#(palette.faded)"; fontcolor="\#(palette.faded)"\#(style)"#
        case .normal:
            return #"color="\#(palette.edge)""#
        case .carried:
            return #"color="\#(palette.derivative)"; penwidth=1.8"#
        case .current:
            return #"color="\#(palette.highlight)"; fontcolor="\#(palette.highlight)"; penwidth=3.2"#
        }
    }

    /// One edge per operand slot, labelled with its local derivative ∂consumer/∂operand; with
    /// folding, edges inside a box vanish, parallel edges between two boxes become one, and a
    /// node that every iteration of a run reads is wired from the run's proxy of it.
    func appendEdges(state: DiagramState, to text: inout String) {
        // Edges touching a box, one per pair of ends, in the look of the liveliest slot among them.
        var boxEdges: [String] = []
        var boxEdgeState: [String: EdgeState] = [:]
        for consumer in graph.nodes {
            let consumerBox = plan.box(of: consumer)
            for slot in graph.operandSlots(of: consumer) {
                let operand = Int(graph.operandStorage[slot])
                let operandBox = plan.box(of: operand)
                let edgeState = edgeState(slot: slot, consumer: consumer, state: state)
                if consumerBox != nil || operandBox != nil {
                    guard consumerBox != operandBox else { continue }
                    let tail = operandBox.map { "g\($0)" }
                        ?? (consumerBox.map { drawnProxies[$0].contains(operand) } == true
                            ? proxyID(operand, box: consumerBox!) : "n\(operand)")
                    let head = consumerBox.map { "g\($0)" } ?? "n\(consumer)"
                    let ends = tail + " -> " + head
                    if let seen = boxEdgeState[ends] {
                        boxEdgeState[ends] = Swift.max(seen, edgeState)
                    } else {
                        boxEdges.append(ends)
                        boxEdgeState[ends] = edgeState
                    }
                    continue
                }
                let look = edgeLook(edgeState)
                // Numbers need no escaping; names were escaped once, in init. The local
                // derivative ∂consumer/∂operand is a head label set on the edge line itself, a
                // little before the arrowhead, over a patch of background: it cannot be read as
                // another edge's, as a mid-edge label placed beside the edge could be where
                // several edges run side by side.
                if let tensorTexts, graph.ops[consumer] == .tensor {
                    let color = edgeState == .current ? palette.highlight : palette.mutedText
                    // The rule shows at the step whose contribution runs along this edge, not while
                    // the edge feeds the node being evaluated (also drawn as current).
                    var carriesStep = false
                    if edgeState == .current, case .contribute? = state.currentStep { carriesStep = true }
                    text += "  n\(operand) -> n\(consumer) [" + (sameGroup(operand, consumer) ? "weight=4; " : "") + tensorEdgeLabelAttribute + "="
                        + tensorEdgeLabel(slot: slot, isCurrent: carriesStep, texts: tensorTexts, color: color)
                    text += "; tooltip=\"" + nameDOT[operand] + " → " + nameDOT[consumer] + ": " + Escape.dotString(tensorTexts.edgeShape[slot] ?? "")
                    text += "\"; " + look + "];\n"
                    continue
                }
                let partial = partialText[slot]
                if graph.ops[consumer].rule.stopsGradient {
                    // `detach`: a barrier (a double bar, a dashed line) where the gradient would
                    // enter the operand, and the partial 0 at the head as on every edge.
                    text += "  n\(operand) -> n\(consumer) [headlabel=" + edgeLabel("0") + "; label=\"⊣ no gradient\"; tooltip=\"∂"
                    text += nameDOT[consumer] + "/∂" + nameDOT[operand] + " = 0: detached\"; " + look
                    text += "; style=dashed; dir=both; arrowtail=teetee; penwidth=1.6];\n"
                    continue
                }
                text += "  n\(operand) -> n\(consumer) [" + (sameGroup(operand, consumer) ? "weight=4; " : "")
                text += "headlabel=" + edgeLabel(partial) + "; tooltip=\"∂"
                text += nameDOT[consumer] + "/∂" + nameDOT[operand] + " = " + partial + "\"; " + look + "];\n"
            }
        }
        for ends in boxEdges { text += "  \(ends) [\(edgeLook(boxEdgeState[ends]!))];\n" }
    }

    /// Whether both ends of an edge are drawn in the same innermost cluster. Such edges weigh
    /// more in dot's ranking, so a node fed only from outside (`u · sin(t)` in an RNN step) sits
    /// beside its consumer inside its step's box rather than at the far left, which stretched
    /// every iteration's box across the whole picture.
    private func sameGroup(_ operand: NodeID, _ consumer: NodeID) -> Bool {
        guard let group = graph.annotations.groupOfNode[operand] else { return false }
        return graph.annotations.groupOfNode[consumer] == group
    }

    /// A local derivative as an HTML-like head label on a background patch.
    private func edgeLabel(_ partial: String) -> String {
        #"<<table border="0" cellborder="0" cellpadding="1" cellspacing="0" bgcolor="\#(palette.background)"><tr><td>"#
            + partial + "</td></tr></table>>"
    }

    // MARK: Caption

    /// What the derivatives in the picture are, in one line.
    var legend: String {
        var parts: [String] = []
        if options.showsDerivatives {
            switch timeline.mode {
            case .reverse(let output):
                let name = graph.label(of: output)
                parts.append("grad = ∂\(name)/∂node, by backpropagation from \(name)")
            case .forward(let input):
                let name = seededName(input)
                parts.append("∂/∂\(name) = tangent ∂node/∂\(name), forward mode")
            }
        }
        parts.append("edges: local derivative ∂node/∂operand")
        if tensorTexts != nil { parts[parts.count - 1] += "; into a tensor op: the operand's shape" }
        if plan.isFolding { parts.append(DiagramWriter.foldedGroupsPhrase(groups: foldedGroupCount, boxes: foldedBoxCount)) }
        if let bad = graph.firstNonFiniteNode {
            parts.append("⚠ first non-finite value: \(graph.label(of: bad))")
        }
        return parts.joined(separator: " · ")
    }

    func caption(for state: DiagramState, stepLineWidth: Int?) -> String {
        NodeLabels.caption(
            title: graph.annotations.title, legend: legend, stepLine: stepLine(for: state),
            stepWidth: stepLineWidth, textColor: palette.text, mutedColor: palette.mutedText,
            stepColor: palette.highlight)
    }

    /// Mathematics as pictures write it.
    var notation: Notation { Notation(format: options.numberFormat) }

    /// The step line of the caption, or nil for the final (unmarked) state:
    /// `step 12 of 16 · backward: x̄1 += v̄2 · ∂v2/∂x1 = 1 · 5 = 5 (x̄1: 0 → 5)`.
    public func stepLine(for state: DiagramState) -> String? {
        guard state.marksCurrentStep else { return nil }
        let format = options.numberFormat
        let prefix = "step \(state.step) of \(timeline.count)"
        func number(_ value: Double) -> String { DiagramWriter.text(of: value, format: format) }
        switch state.currentStep {
        case nil:
            return prefix + " · nothing evaluated yet"
        case .evaluate(let evaluation)? where graph.isTensor(evaluation.node):
            return prefix + " · forward: " + tensorEvaluationLine(evaluation.node)
        case .evaluate(let evaluation)?:
            let node = evaluation.node, name = graph.label(of: node)
            var line = prefix + " · forward: " + name
            if !graph.ops[node].isLeaf { line += " = " + graph.expression(of: node, format: format) }
            line += " = " + number(evaluation.value)
            if let tangent = evaluation.tangent, case .forward(let input) = timeline.mode {
                line += ", ∂\(name)/∂\(graph.label(of: input)) = " + number(tangent)
            }
            return line
        case .seed(let output)?:
            return prefix + " · seed: \(notation.adjoint(graph.label(of: output))) = 1"
        case .contribute(let c)? where graph.ops[c.from] == .tensor:
            return prefix + " · backward: " + tensorStepLine(state.appliedContributions - 1)
        case .contribute(let c)?:
            let to = notation.adjoint(graph.label(of: c.to))
            return prefix + " · backward: " + notation.contribution(c, in: graph)
                + " (\(to): \(number(c.adjointBefore)) → \(number(c.adjointAfter)))"
        }
    }

    /// The width in points to give every frame's step line so that the widest fits:
    /// the caption then has one size for the whole sequence.
    public func stepLineWidth(forSteps steps: some Sequence<Int>) -> Int {
        var widest = 0
        for step in steps {
            let line = stepLine(for: DiagramState(timeline: timeline, step: step)) ?? ""
            widest = Swift.max(widest, NodeLabels.estimatedTextWidth(line, size: 12))
        }
        return widest
    }
}
