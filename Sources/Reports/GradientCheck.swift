import Foundation
import GradFlow

/// The gradient check: reverse mode against central finite differences, and reverse mode
/// against forward mode, for every output and every input.
///
/// **Central differences.** For input `x`, the outputs are evaluated again at `x + h` and
/// `x − h` (the other inputs unchanged) and `(f(x + h) − f(x − h)) / 2h` estimates ∂f/∂x, with
/// `h = ∛ε · max(1, |x|) ≈ 6.06e-6 · max(1, |x|)`, the step that balances the estimate's
/// truncation error (∝ h²) against rounding (∝ ε/h). The reverse-mode gradient agrees with it
/// when `|AD − FD| ≤ tolerance · max(1, |AD|, |FD|) + noise`, where `noise = 10 ε · max |f(x ± h)| / h`
/// is the rounding a difference of two outputs of that size cannot avoid. The default tolerance
/// is 1e-6: a correct gradient is typically off by 1e-10 or less, and a wrong rule (a missing
/// factor, a sign) by far more.
///
/// **Forward mode.** The Jacobian is computed twice, by reverse mode (one sweep per output) and
/// by forward mode (one sweep per input); entries agree within 1e-9 by the same measure, since
/// the two differ only in the order of the additions.
///
/// A gradient that is NaN or infinite fails the check: it cannot be compared with anything.
/// At or near a kink (relu at 0, abs at 0, max of equal arguments) or a branch that switches
/// within x ± h, central differences mix two slopes; there the gradient is checked against
/// one-sided differences instead (see `GradientCheck+OneSided.swift`), and a point where the
/// function is not differentiable is reported as such, not as a failure.
public struct GradientCheck: Sendable {
    /// How close is close enough.
    public struct Tolerances: Sendable, Equatable {
        /// Reverse mode against central differences (relative, absolute below 1).
        public var centralDifference: Double
        /// Reverse mode against forward mode (relative, absolute below 1).
        public var forwardMode: Double

        public init(centralDifference: Double = 1e-6, forwardMode: Double = 1e-9) {
            self.centralDifference = centralDifference
            self.forwardMode = forwardMode
        }
    }

    /// One derivative ∂output/∂input, three ways.
    public struct Entry: Sendable {
        public let output: NamedNode
        public let input: NamedNode
        public let reverse: Double
        public let forward: Double
        public let centralDifference: Double
        /// The step h used for this input.
        public let step: Double
        /// `|reverse − forward| / max(1, |reverse|, |forward|)`.
        public let errorForward: Double
        /// `|reverse − central| / max(1, |reverse|, |central|)`.
        public let errorCentral: Double
        public let agreesWithForward: Bool
        public let agreesWithCentral: Bool
        /// Whether tracing again at `x ± h` recorded a different graph (an `if` or a loop went
        /// another way), so that the central difference straddles a jump.
        public let traceChanged: Bool
        /// What the finite differences found: agreement, a kink or branch checked one-sided, an
        /// input that cannot be moved, or a disagreement.
        public let finiteDifference: FiniteDifference

        /// Whether the gradient agrees with forward mode and with the finite differences that
        /// apply (central, or one-sided at a kink or branch; none for an input that cannot be moved).
        public var passed: Bool {
            guard agreesWithForward else { return false }
            switch finiteDifference {
            case .agrees, .notCheckable, .detached: return true
            case .disagrees: return false
            case .straddles(let straddle): return straddle.agreeingSide != nil
            }
        }
    }

    public let entries: [Entry]
    public let tolerances: Tolerances
    /// Sweeps each mode needed for the whole Jacobian: one per output, one per input.
    public let reversePasses: Int
    public let forwardPasses: Int
    /// The first node whose value is not finite, if any.
    public let nonFinite: NonFiniteNode?
    /// Nodes sitting exactly on a kink of their op, where derivatives are one-sided.
    public let kinks: [Kink]

    /// Whether every entry passed.
    public var passed: Bool { entries.allSatisfy(\.passed) }

    /// The outputs at a moved point, and whether the computation took the same shape there.
    public struct Evaluation: Sendable {
        /// The outputs' values, in `Computation.outputs` order.
        public var outputs: [Double]
        /// Whether a different graph was recorded (a branch or loop count changed, or an op's
        /// constant: both branches of an `if` may record `x * c` with different `c`).
        public var traceChanged: Bool
        /// Every node's value, when the same graph was recorded: tells on which side of its kink
        /// each `relu`, `abs`, `max` and `min` fell.
        public var values: [Double]?
        /// Why the computation could not be evaluated there at all (a `repeat` count or `randn`
        /// seed that is no longer whole), or nil.
        public var failure: String?

        public init(outputs: [Double], traceChanged: Bool = false, values: [Double]? = nil) {
            self.outputs = outputs
            self.traceChanged = traceChanged
            self.values = values
        }

        /// The evaluation at a point where the computation cannot be made, with the reason.
        public static func failed(_ reason: String) -> Evaluation {
            var evaluation = Evaluation(outputs: [], traceChanged: true)
            evaluation.failure = reason
            return evaluation
        }
    }

    /// Checks `computation`'s gradients with an evaluation that only gives output values.
    public init(_ computation: Computation, tolerances: Tolerances = .init(), evaluate: ([Double]) throws -> [Double]) rethrows {
        try self.init(computation, tolerances: tolerances) { (point: [Double]) in Evaluation(outputs: try evaluate(point)) }
    }

    /// Checks `computation`'s gradients.
    ///
    /// - Parameters:
    ///   - evaluate: the outputs' values (in `computation.outputs` order) for the inputs set to
    ///     the given values (in `computation.inputs` order). For a scene this re-traces the
    ///     scene, so that an `if` is decided again at the perturbed point.
    /// - Throws: whatever `evaluate` throws.
    /// - Complexity: two evaluations per input, plus one sweep per output and one per input.
    public init(_ computation: Computation, tolerances: Tolerances = .init(), evaluate: ([Double]) throws -> Evaluation) rethrows {
        let graph = computation.graph
        let outputNodes = computation.outputs.map(\.node)
        let reverse = graph.jacobianByReverseMode(outputs: outputNodes)
        let forward = graph.jacobianByForwardMode(outputs: outputNodes)
        let column = Dictionary(uniqueKeysWithValues: reverse.inputs.enumerated().map { ($1, $0) })
        let point = computation.inputs.map { graph.values[$0.node] }
        let epsilon = Double.ulpOfOne
        var entries: [Entry] = []
        var centralRows: [[(derivative: Double, noise: Double)]] = []
        var traceChanged: [Bool] = []
        var failures: [String?] = []
        for (index, x) in point.enumerated() {
            let h = Self.step(at: x)
            var plus = point, minus = point
            plus[index] = x + h
            minus[index] = x - h
            let width = plus[index] - minus[index]  // the step actually taken, after rounding
            let above = try evaluate(plus), below = try evaluate(minus)
            traceChanged.append(above.traceChanged || below.traceChanged)
            failures.append(above.failure ?? below.failure)
            let rows = above.failure == nil && below.failure == nil
                ? zip(above.outputs, below.outputs).map { up, down in
                    ((up - down) / width, 10 * epsilon * Swift.max(Swift.abs(up), Swift.abs(down)) / width)
                }
                : []
            centralRows.append(rows + Array(repeating: (Double.nan, 0), count: Swift.max(0, computation.outputs.count - rows.count)))
        }
        // Made only for an input whose central difference disagrees somewhere: x ± 2h more.
        var neighbourhoods: [Int: Neighbourhood] = [:]
        let centre = computation.outputs.map { graph.values[$0.node] }
        let kinksHere = Kink.all(in: graph)
        for (row, output) in computation.outputs.enumerated() {
            for (index, input) in computation.inputs.enumerated() {
                let reverseValue = column[input.node].map { reverse.entries[row][$0] } ?? 0
                let forwardValue = column[input.node].map { forward.entries[row][$0] } ?? 0
                let central = centralRows[index][row]
                let errorForward = Self.discrepancy(reverseValue, forwardValue)
                let errorCentral = Self.discrepancy(reverseValue, central.derivative)
                let scale = Swift.max(1, Swift.abs(reverseValue), Swift.abs(central.derivative))
                let agreesWithCentral = failures[index] == nil && reverseValue.isFinite
                    && Swift.abs(reverseValue - central.derivative) <= tolerances.centralDifference * scale + central.noise
                var finding = FiniteDifference.agrees
                if let failure = failures[index] {
                    finding = .notCheckable(failure)
                } else if !agreesWithCentral || !kinksHere.isEmpty {
                    // Also where the central difference agrees but a node sits on its kink
                    // (abs at 0: both give 0): the point is still not differentiable.
                    if neighbourhoods[index] == nil {
                        neighbourhoods[index] = try Neighbourhood(graph: graph, centre: centre, point: point, index: index, evaluate: evaluate)
                    }
                    let straddle = neighbourhoods[index]?.straddle(row: row, reverse: reverseValue, tolerance: tolerances.centralDifference)
                    let detaching = Self.detachNodes(in: graph, from: input.node, to: output.node)
                    if !agreesWithCentral, !detaching.isEmpty {
                        finding = .detached(detaching)
                    } else if !agreesWithCentral {
                        finding = straddle.map(FiniteDifference.straddles) ?? .disagrees
                    } else if let straddle, straddle.atKink, straddle.sidesDiffer {
                        finding = .straddles(straddle)
                    }
                }
                entries.append(Entry(
                    output: output, input: input, reverse: reverseValue, forward: forwardValue,
                    centralDifference: central.derivative, step: Self.step(at: point[index]),
                    errorForward: errorForward, errorCentral: errorCentral,
                    agreesWithForward: reverseValue.isFinite && errorForward <= tolerances.forwardMode,
                    agreesWithCentral: agreesWithCentral,
                    traceChanged: traceChanged[index], finiteDifference: finding))
            }
        }
        self.entries = entries
        self.tolerances = tolerances
        reversePasses = reverse.passes
        forwardPasses = forward.passes
        nonFinite = NonFiniteNode(in: graph)
        kinks = kinksHere
    }

    /// Checks `computation` by re-evaluating its recorded graph at the perturbed inputs (every
    /// branch stays as it was recorded; use the closure form to re-trace a scene instead).
    public init(replaying computation: Computation, tolerances: Tolerances = .init()) {
        self.init(computation, tolerances: tolerances) { (point: [Double]) in
            let values = computation.values(replayingWith: point)
            return Evaluation(outputs: computation.outputs.map { values[$0.node] }, values: values)
        }
    }

    /// The central-difference step for an input at `x`: ∛ε · max(1, |x|).
    public static func step(at x: Double) -> Double {
        cubeRootOfEpsilon * Swift.max(1, Swift.abs(x))
    }

    private static let cubeRootOfEpsilon = Foundation.cbrt(Double.ulpOfOne)

    /// `|a − b| / max(1, |a|, |b|)`: relative for large numbers, absolute below 1. Zero when
    /// both are the same non-finite number, infinity when only one is, or they differ.
    public static func discrepancy(_ a: Double, _ b: Double) -> Double {
        if !a.isFinite || !b.isFinite {
            return (a.isNaN && b.isNaN) || a == b ? 0 : .infinity
        }
        return Swift.abs(a - b) / Swift.max(1, Swift.abs(a), Swift.abs(b))
    }
}

extension GradientCheck {
    /// The `detach` nodes (ops that stop the gradient) on some path from `input` to `output`,
    /// by name: where finite differences, which see through them, are expected to disagree.
    static func detachNodes(in graph: Graph, from input: NodeID, to output: NodeID) -> [String] {
        guard input <= output else { return [] }
        var reached = [Bool](repeating: false, count: output + 1)
        reached[input] = true
        for node in (input + 1)..<(output + 1) {
            reached[node] = graph.operandSlots(of: node).contains { reached[Int(graph.operandStorage[$0])] }
        }
        // Walk back from the output through reached nodes, collecting the detach nodes met.
        var feeds = [Bool](repeating: false, count: output + 1)
        feeds[output] = true
        var found: [String] = []
        for node in stride(from: output, through: input, by: -1) where feeds[node] && reached[node] {
            if graph.ops[node].rule.stopsGradient { found.append(graph.label(of: node)) }
            for slot in graph.operandSlots(of: node) { feeds[Int(graph.operandStorage[slot])] = true }
        }
        return found.reversed()
    }
}

/// A node evaluated exactly where its op has a kink: `relu` or `abs` at 0, `max`/`min` of
/// equal arguments. Its derivative there is a convention (a one-sided slope), which central
/// differences do not reproduce.
public struct Kink: Sendable, Equatable {
    public let node: NodeID
    public let name: String
    public let expression: String

    static func all(in graph: Graph) -> [Kink] {
        graph.nodes.compactMap { node in
            let operands = graph.operands(of: node).map { graph.values[$0] }
            guard let kink = graph.ops[node].rule.kink else { return nil }
            let atKink = kink(operands[0], operands.count > 1 ? operands[1] : 0) == 0
            return atKink ? Kink(node: node, name: graph.label(of: node), expression: graph.expression(of: node)) : nil
        }
    }
}

extension Computation {
    /// The outputs' values with the inputs set to `inputValues` (declaration order), by
    /// re-evaluating every recorded node with its op's rule; branches stay as recorded.
    /// - Complexity: O(nodes + operands).
    public func outputValues(replayingWith inputValues: [Double]) -> [Double] {
        let values = values(replayingWith: inputValues)
        return outputs.map { values[$0.node] }
    }

    /// Every node's value with the inputs set to `inputValues`, by replaying the recorded graph.
    /// - Complexity: O(nodes + operands).
    public func values(replayingWith inputValues: [Double]) -> [Double] {
        var values = Array(graph.values)
        for (input, value) in zip(inputs, inputValues) { values[input.node] = value }
        for node in graph.nodes where !graph.ops[node].isLeaf {
            let operands = graph.operands(of: node)
            let op = graph.ops[node]
            if op.arity == nil {
                values[node] = op.combine(operands.map { values[$0] })
            } else {
                let b = operands.count > 1 ? values[operands[1]] : 0
                values[node] = op.evaluate(values[operands[0]], b, parameter: graph.parameters[node]).value
            }
        }
        return values
    }
}
