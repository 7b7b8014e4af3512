import GradFlow
import Notation

/// The evaluation traces of Baydin et al. (2018), tables 2 and 3, for one computation.
///
/// - The **forward primal trace**: every node in evaluation order, its expression in terms of
///   earlier nodes, the same with their values substituted, and its value.
/// - The **forward tangent trace** with respect to one input: each node's tangent as the sum of
///   its operands' tangents times its local derivatives.
/// - The **reverse adjoint trace** from each chosen output: the seed, then one row per
///   contribution `x̄1 += v̄2 · ∂v2/∂x1 = 1 · 5 = 5`, with the adjoint before and after it. A node
///   used twice receives two rows, so the accumulation is visible.
///
/// Rendering is in `EvaluationTrace+Tables.swift` (people) and `EvaluationTrace+Data.swift`
/// (CSV and JSON).
public struct EvaluationTrace: Sendable {
    public let computation: Computation
    /// The input of the tangent trace, if one was asked for.
    public let tangentInput: NamedNode?
    /// Every node's tangent with respect to ``tangentInput`` (empty without one).
    public let tangents: [Double]
    /// The element of a tensor ``tangentInput`` that is seeded (row-major; 0 for a scalar).
    public let tangentElement: Int
    /// With tensors in the graph: every node's tangent in its own shape (nil otherwise).
    public let tensorTangents: TensorTangents?
    /// One backward pass per chosen output.
    public let backwardPasses: [BackwardPass]

    /// The backward pass from one output, contribution by contribution.
    public struct BackwardPass: Sendable {
        public let output: NamedNode
        public let timeline: Timeline
        /// The gradient it arrives at, one entry per input in declaration order.
        public let gradient: [Double]

        /// The contributions in the order they happen.
        public var contributions: [Contribution] {
            (0..<timeline.contributionCount).map(timeline.contribution)
        }
    }

    /// Traces `computation`.
    ///
    /// - Parameters:
    ///   - outputs: the outputs whose backward passes to show (default: every output).
    ///   - tangentInput: the input of the forward tangent trace, or nil for none.
    ///   - tangentElement: the element of a tensor `tangentInput` to seed, row-major (`W[0, 1]`).
    /// - Complexity: O(nodes + operands) per output, plus one forward sweep.
    public init(_ computation: Computation, outputs: [NamedNode]? = nil, tangentInput: NamedNode? = nil, tangentElement: Int = 0) {
        self.computation = computation
        self.tangentInput = tangentInput
        self.tangentElement = tangentElement
        let graph = computation.graph
        if graph.hasTensors, let input = tangentInput {
            let tangents = graph.tensorTangents(withRespectTo: input.node, element: tangentElement)
            (self.tangents, tensorTangents) = (tangents.scalars, tangents)
        } else {
            tangents = tangentInput.map { graph.tangents(withRespectTo: $0.node) } ?? []
            tensorTangents = nil
        }
        backwardPasses = (outputs ?? computation.outputs).map { output in
            let timeline = Timeline(graph: graph, mode: .reverse(output: output.node))
            let gradient = computation.inputs.map { timeline.derivatives[$0.node] }
            return BackwardPass(output: output, timeline: timeline, gradient: gradient)
        }
    }

    /// Whether the graph holds tensors, so that the trace is written in tensor form.
    public var hasTensors: Bool { computation.graph.hasTensors }

    // MARK: Rows, shared by every format

    /// A node's expression for the primal trace: `input` and `constant` for leaves.
    func primalExpression(of node: NodeID, notation: Notation) -> String {
        let graph = computation.graph
        switch graph.ops[node] {
        case .input: return "input"
        case .constant: return "constant"
        default: return notation.expression(of: node, in: graph)
        }
    }

    /// The tangent rule of a node: `ẋ1 · x2 + ẋ2 · x1`, and with numbers: `1 · 5 + 0 · 2`.
    func tangentRule(of node: NodeID, notation: Notation) -> (symbolic: String, numeric: String) {
        let graph = computation.graph
        var symbolic: [String] = [], numeric: [String] = []
        let unicode = Notation(.unicode, format: notation.format)
        for (index, (operand, partial)) in zip(graph.operands(of: node), graph.partials(of: node)).enumerated() {
            // The shape of the term is decided on the Unicode text; the term is written in style.
            let shape = unicode.localDerivative(of: node, operandIndex: index, in: graph)
            let local = notation.localDerivative(of: node, operandIndex: index, in: graph)
            let dot = notation.tangent(graph.label(of: operand))
            let tangent = notation.operand(tangents[operand])
            switch shape {
            case "1": symbolic.append(dot)
            case "−1": symbolic.append("−" + dot)
            case _ where shape.hasPrefix("1 / ") && !shape.dropFirst(4).contains(" "):
                symbolic.append(dot + " / " + local.dropFirst(4))
            default: symbolic.append(dot + notation.times + (shape.contains(" ") ? "(\(local))" : local))
            }
            switch partial {
            case 1: numeric.append(tangent)
            case -1: numeric.append("−" + tangent)
            default: numeric.append(tangent + notation.times + notation.operand(partial))
            }
        }
        return (Self.joinSum(symbolic, notation), Self.joinSum(numeric, notation))
    }

    /// Terms joined by `+`, a term that starts with `−` joined by ` − ` instead.
    static func joinSum(_ terms: [String], _ notation: Notation) -> String {
        let minus = notation.style == .unicode ? "−" : "-"
        var text = ""
        for (index, term) in terms.enumerated() {
            let term = notation.style == .unicode || !term.hasPrefix("−") ? term : minus + term.dropFirst()
            if index == 0 { text = term; continue }
            text += term.hasPrefix(minus) ? " \(minus) " + term.dropFirst() : " + " + term
        }
        return text
    }
}
