/// Reverse-mode timelines over graphs with tensors. A tensor node's backward step passes each
/// operand one vector–Jacobian product (`W̄ += z̄ · xᵀ`): one contribution, one step of the
/// backward pass, exactly as a scalar node passes `adjoint · partial` along each operand slot.
/// The steps are numbered as for scalars (nodes, seed, then one per operand slot of every node
/// the output depends on), so `--step k` means the same in every view.
extension Timeline {
    /// Whether the graph walked has tensor nodes, whose adjoints are read with
    /// ``tensorDerivative(of:at:)`` and whose steps with ``tensorContribution(_:)``.
    public var hasTensors: Bool { graph.hasTensors }

    /// The `index`-th contribution of the backward pass (0-based) with its tensors: what `from`
    /// passes to `to`, in `to`'s shape, and `to`'s adjoint before and after. A contribution
    /// between scalar nodes is the same one ``contribution(_:)`` describes, with tensors of rank 0.
    public func tensorContribution(_ index: Int) -> TensorContribution {
        let scalar = contribution(index)
        let toShape = graph.shape(of: scalar.to)
        let passed = tensorTrail.passed[index].map { Tensor(shape: toShape, elements: $0) }
            ?? Tensor(scalar: scalar.contribution)
        let after = toShape.isEmpty
            ? Tensor(scalar: scalar.adjointAfter)
            : Tensor(shape: toShape, elements: tensorTrail.after[index] ?? passed.elements)
        let before = lastContribution(into: scalar.to, before: index).map { previous in
            toShape.isEmpty ? Tensor(scalar: scalar.adjointBefore)
                : Tensor(shape: toShape, elements: tensorTrail.after[previous] ?? [])
        }
        return TensorContribution(
            from: scalar.from, to: scalar.to, operandIndex: scalar.operandIndex,
            incomingAdjoint: finalTensorDerivative(of: scalar.from), passed: passed,
            adjointBefore: before, adjointAfter: after)
    }

    /// `node`'s adjoint at step `k` in `node`'s shape (rank 0 for a scalar node): nil before the
    /// seed or before any contribution reached it. In forward mode, its tangent (with respect to
    /// the seeded element, ``tangentElement``) once evaluated.
    public func tensorDerivative(of node: NodeID, at k: Int) -> Tensor? {
        let shape = graph.shape(of: node)
        guard !shape.isEmpty else { return derivative(of: node, at: k).map(Tensor.init(scalar:)) }
        if case .forward = mode { return node < k ? tensorTangents?.tangent(of: node, in: graph) : nil }
        guard case .reverse(let output) = mode, k > graph.count else { return nil }
        if node == output { return Tensor(repeating: 1, shape: shape) }
        return lastContribution(into: node, before: k - graph.count - 1)
            .map { Tensor(shape: shape, elements: tensorTrail.after[$0] ?? []) }
    }

    /// `node`'s adjoint at the end of the backward pass, in `node`'s shape (zeros where the
    /// output does not depend on it); in forward mode, its tangent.
    public func finalTensorDerivative(of node: NodeID) -> Tensor {
        let shape = graph.shape(of: node)
        guard !shape.isEmpty else { return Tensor(scalar: derivatives[node]) }
        if case .forward = mode, let tensorTangents { return tensorTangents.tangent(of: node, in: graph) }
        if case .reverse(let output) = mode, node == output { return Tensor(repeating: 1, shape: shape) }
        return Tensor(shape: shape, elements: tensorTrail.finals[node] ?? [Double](repeating: 0, count: Tensor.count(of: shape)))
    }
}

/// One step of a tensor backward pass: `to`'s adjoint receives what `from` passes back along
/// operand `operandIndex` (for `Y = A @ B`, `Ā += Ȳ · Bᵀ` along operand 0).
public struct TensorContribution: Sendable, Equatable {
    /// The node whose adjoint is passed back (the consumer).
    public let from: NodeID
    /// The operand that receives it.
    public let to: NodeID
    /// Which operand slot of `from` (0 for the first operand).
    public let operandIndex: Int
    /// `from`'s adjoint, complete by the time it is passed on, in `from`'s shape.
    public let incomingAdjoint: Tensor
    /// What `to` receives, in `to`'s shape (summed over broadcast axes).
    public let passed: Tensor
    /// `to`'s adjoint before this contribution, nil when it is the first to arrive.
    public let adjointBefore: Tensor?
    /// `to`'s adjoint after it: `adjointBefore + passed`.
    public let adjointAfter: Tensor
}

/// What a reverse timeline keeps of the tensors in its backward pass, by contribution index.
/// Every contribution to a tensor node keeps the receiver's adjoint after it, so that any step's
/// state is one lookup (the memory is that of the adjoints, once per contribution).
struct TensorTrail: Sendable {
    /// What each contribution from a tensor node passes, row-major in the receiver's shape.
    var passed: [Int: [Double]] = [:]
    /// The receiver's adjoint after each contribution into a tensor node of rank 1 or more.
    var after: [Int: [Double]] = [:]
    /// The final adjoint of each tensor node of rank 1 or more that the sweep reached.
    var finals: [NodeID: [Double]] = [:]

    /// The reverse sweep of ``Graph/tensorAdjoints(from:seed:)``, in the same order (so its final
    /// adjoints are the same to the last bit), recording each contribution as the scalar sweep of
    /// ``Timeline`` does: the consumer, the slot, and a scalar receiver's adjoint after it (0 for
    /// a tensor receiver, whose adjoint goes into the trail).
    static func sweep(_ graph: Graph, from output: NodeID, ancestors: [Bool], scalarAdjoints adjoint: inout [Double],
                      nodes: inout [UInt32], slots: inout [UInt32], after: inout [Double]) -> TensorTrail {
        var trail = TensorTrail()
        if graph.isTensor(output) {
            adjoint[output] = 0
            trail.finals[output] = [Double](repeating: 1, count: graph.tensor(of: output).count)
        }
        for node in stride(from: output, through: 0, by: -1) where ancestors[node] {
            let operandSlots = graph.operandSlots(of: node)
            guard graph.ops[node] == .tensor, let stored = graph.tensorStorage.nodes[node] else {
                for slot in operandSlots {
                    let operand = Int(graph.operandStorage[slot])
                    adjoint[operand] += adjoint[node] * graph.partialStorage[slot]
                    nodes.append(UInt32(node)); slots.append(UInt32(slot)); after.append(adjoint[operand])
                }
                continue
            }
            let upstream = stored.value.rank == 0
                ? [adjoint[node]]
                : trail.finals[node] ?? [Double](repeating: 0, count: stored.value.count)
            let products = graph.vectorJacobianProducts(of: node, upstream: upstream)
            for (slot, product) in zip(operandSlots, products) {
                let operand = Int(graph.operandStorage[slot])
                let index = nodes.count
                nodes.append(UInt32(node)); slots.append(UInt32(slot))
                trail.passed[index] = product
                if graph.isTensor(operand) {
                    // As `TensorAdjoints.accumulate`: the first arrival is taken as it is (a −0 stays −0).
                    var sum = product
                    if let existing = trail.finals.removeValue(forKey: operand) {
                        sum = existing
                        for i in sum.indices { sum[i] += product[i] }
                    }
                    trail.finals[operand] = sum
                    trail.after[index] = sum
                    after.append(0)
                } else {
                    adjoint[operand] += product[0]
                    after.append(adjoint[operand])
                }
            }
        }
        return trail
    }
}
