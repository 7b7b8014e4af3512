/// The steps of a walk through a recorded graph, and the state after any of them.
///
/// Reverse mode: the forward pass node by node (`count` steps), then the seed (the output's
/// adjoint set to 1), then the backward pass contribution by contribution. Forward mode: the
/// forward pass node by node, each node with its value and its tangent.
///
/// Steps are numbered from 1; the state "at step k" is the state after steps 1...k, and step 0 is
/// the state before anything happened. Any step's state is reached without replaying the ones
/// before it: every contribution remembers the adjoint it produced, and each node keeps the list
/// of contributions it received, so "the adjoint of `n` at step k" is one binary search.
public struct Timeline: Sendable {
    public enum Mode: Sendable, Equatable {
        /// Backpropagation from one output.
        case reverse(output: NodeID)
        /// Tangents from one input.
        case forward(input: NodeID)
    }

    public enum Phase: String, Sendable, Equatable {
        case start, forward, seed, backward
    }

    /// What one step does.
    public enum Step: Sendable, Equatable {
        case evaluate(Evaluation)
        case seed(output: NodeID)
        case contribute(Contribution)
    }

    public let graph: Graph
    public let mode: Mode
    /// Final adjoints (reverse) or tangents (forward) of every node.
    public let derivatives: [Double]
    /// Forward mode: the element of the input that is seeded (row-major; 0 for a scalar input).
    public let tangentElement: Int
    /// Forward mode over a graph with tensors: every node's tangent in its own shape
    /// (`tangent(of:in:)`); nil otherwise.
    public let tensorTangents: TensorTangents?

    // Reverse mode only: the contributions in order, and per node the indices of those it received.
    private let contributionNode: [UInt32]
    private let contributionSlot: [UInt32]
    private let contributionAfter: [Double]
    private let incomingStart: [UInt32]
    private let incomingContribution: [UInt32]
    private let ancestor: [Bool]
    /// Reverse mode over a graph with tensors: what each tensor contribution passes and leaves
    /// (see `Timeline+Tensors.swift`); empty for a scalar graph.
    let tensorTrail: TensorTrail

    /// Builds the timeline. O(nodes + operands) time and memory.
    ///
    /// - Parameter element: forward mode from a tensor input: the row-major offset of the element
    ///   whose tangent is 1 (`--wrt W[0, 1]`).
    public init(graph: Graph, mode: Mode, element: Int = 0) {
        self.graph = graph
        self.mode = mode
        tangentElement = element
        switch mode {
        case .forward(let input) where graph.hasTensors:
            let tangents = graph.tensorTangents(withRespectTo: input, element: element)
            (derivatives, tensorTangents) = (tangents.scalars, tangents)
            contributionNode = []; contributionSlot = []; contributionAfter = []
            incomingStart = []; incomingContribution = []; ancestor = []
            tensorTrail = TensorTrail()
        case .forward(let input):
            derivatives = graph.tangents(withRespectTo: input)
            tensorTangents = nil
            contributionNode = []; contributionSlot = []; contributionAfter = []
            incomingStart = []; incomingContribution = []; ancestor = []
            tensorTrail = TensorTrail()
        case .reverse(let output):
            tensorTangents = nil
            let isAncestor = graph.ancestors(of: output)
            var adjoint = [Double](repeating: 0, count: graph.count)
            adjoint[output] = 1
            var nodesOut: [UInt32] = [], slotsOut: [UInt32] = [], afterOut: [Double] = []
            var received = [UInt32](repeating: 0, count: graph.count + 1)
            var trail = TensorTrail()
            if graph.hasTensors {
                trail = TensorTrail.sweep(graph, from: output, ancestors: isAncestor, scalarAdjoints: &adjoint,
                                          nodes: &nodesOut, slots: &slotsOut, after: &afterOut)
                for slot in slotsOut { received[Int(graph.operandStorage[Int(slot)]) + 1] += 1 }
            } else {
                for node in stride(from: output, through: 0, by: -1) where isAncestor[node] {
                    for slot in graph.operandSlots(of: node) {
                        let operand = Int(graph.operandStorage[slot])
                        adjoint[operand] += adjoint[node] * graph.partialStorage[slot]
                        nodesOut.append(UInt32(node))
                        slotsOut.append(UInt32(slot))
                        afterOut.append(adjoint[operand])
                        received[operand + 1] += 1
                    }
                }
            }
            tensorTrail = trail
            for node in graph.nodes { received[node + 1] += received[node] }
            var fill = received
            var incoming = [UInt32](repeating: 0, count: nodesOut.count)
            for (index, slot) in slotsOut.enumerated() {
                let operand = Int(graph.operandStorage[Int(slot)])
                incoming[Int(fill[operand])] = UInt32(index)
                fill[operand] += 1
            }
            derivatives = adjoint
            contributionNode = nodesOut; contributionSlot = slotsOut; contributionAfter = afterOut
            incomingStart = received; incomingContribution = incoming; ancestor = isAncestor
        }
    }

    /// The number of contributions in the backward pass (0 in forward mode).
    public var contributionCount: Int { contributionNode.count }

    /// The number of steps: nodes, then (reverse mode) the seed and every contribution.
    public var count: Int {
        switch mode {
        case .forward: graph.count
        case .reverse: graph.count + 1 + contributionCount
        }
    }

    /// The first step of each phase: forward starts at 1; seed and backward in reverse mode.
    public var seedStep: Int? { if case .reverse = mode { graph.count + 1 } else { nil } }

    /// The phase that step `k` belongs to (0 is `.start`).
    public func phase(at k: Int) -> Phase {
        if k <= 0 { return .start }
        if k <= graph.count { return .forward }
        return k == graph.count + 1 ? .seed : .backward
    }

    /// What step `k` (1...count) does.
    public func step(_ k: Int) -> Step {
        precondition(k >= 1 && k <= count, "step \(k) is outside 1...\(count)")
        if k <= graph.count {
            let node = k - 1
            var tangent: Double?
            if case .forward = mode { tangent = derivatives[node] }
            return .evaluate(Evaluation(node: node, value: graph.values[node], tangent: tangent))
        }
        if case .reverse(let output) = mode, k == graph.count + 1 { return .seed(output: output) }
        return .contribute(contribution(k - graph.count - 2))
    }

    /// The `index`-th contribution of the backward pass (0-based).
    public func contribution(_ index: Int) -> Contribution {
        let slot = Int(contributionSlot[index])
        let from = Int(contributionNode[index])
        let to = Int(graph.operandStorage[slot])
        let after = contributionAfter[index]
        let before = previousAdjoint(of: to, beforeContribution: index) ?? 0
        return Contribution(
            from: from, to: to, operandIndex: slot - Int(graph.operandStart[from]),
            localDerivative: graph.partialStorage[slot], incomingAdjoint: derivatives[from],
            adjointBefore: before, adjointAfter: after)
    }

    /// The contributions `node` receives, in the order they arrive (indices into the backward pass).
    public func contributions(into node: NodeID) -> [Int] {
        guard case .reverse = mode else { return [] }
        return (Int(incomingStart[node])..<Int(incomingStart[node + 1])).map { Int(incomingContribution[$0]) }
    }

    /// The first `limit` of them: what a box or a line reads of an input that thousands of nodes use.
    public func contributions(into node: NodeID, limit: Int) -> [Int] {
        guard case .reverse = mode else { return [] }
        let start = Int(incomingStart[node])
        return (start..<min(start + max(0, limit), Int(incomingStart[node + 1]))).map { Int(incomingContribution[$0]) }
    }

    /// `node`'s adjoint after the contributions before `index`; nil if none had arrived.
    private func previousAdjoint(of node: NodeID, beforeContribution index: Int) -> Double? {
        lastContribution(into: node, before: index).map { contributionAfter[$0] }
    }

    /// The last contribution `node` received before contribution `index`, if any.
    func lastContribution(into node: NodeID, before index: Int) -> Int? {
        var low = Int(incomingStart[node]), high = Int(incomingStart[node + 1])
        // Find the last received contribution whose index is below `index`.
        while low < high {
            let mid = (low + high) / 2
            if Int(incomingContribution[mid]) < index { low = mid + 1 } else { high = mid }
        }
        let position = low - 1
        guard position >= Int(incomingStart[node]) else { return nil }
        return Int(incomingContribution[position])
    }

    /// Whether `node` has been evaluated by step `k`.
    public func isEvaluated(_ node: NodeID, at k: Int) -> Bool { node < k }

    /// `node`'s adjoint as it stands at step `k`: nil before the seed or before any contribution
    /// reached it. In forward mode, its tangent once evaluated.
    public func derivative(of node: NodeID, at k: Int) -> Double? {
        switch mode {
        case .forward:
            return node < k ? derivatives[node] : nil
        case .reverse(let output):
            guard k > graph.count else { return nil }
            if node == output { return 1 }
            let index = k - graph.count - 1  // contributions applied so far
            return previousAdjoint(of: node, beforeContribution: index)
        }
    }

    /// Whether the output depends on `node` (reverse mode; always true in forward mode).
    public func isAncestorOfOutput(_ node: NodeID) -> Bool {
        if case .reverse = mode { return ancestor[node] }
        return true
    }

    /// The node a step is about: the evaluated node, the seeded output, or the receiving operand.
    public func currentNode(at k: Int) -> NodeID? {
        guard k >= 1 && k <= count else { return nil }
        switch step(k) {
        case .evaluate(let evaluation): return evaluation.node
        case .seed(let output): return output
        case .contribute(let contribution): return contribution.to
        }
    }

    /// In a backward step, the consumer passing its adjoint back (where the sweep is); nil in
    /// every other step.
    public func partnerNode(at k: Int) -> NodeID? {
        guard k >= 1 && k <= count, case .contribute(let contribution) = step(k) else { return nil }
        return contribution.from
    }

    /// The steps where a phase starts (0, the first forward step, the seed, the first
    /// contribution) and the last step, ascending: what `[` and `]` jump between.
    public func phaseBoundaries() -> [Int] {
        var boundaries = [0, 1]
        if let seed = seedStep { boundaries.append(seed) }
        if contributionCount > 0 { boundaries.append(graph.count + 2) }
        boundaries.append(count)
        return Array(Set(boundaries)).sorted()
    }
}
