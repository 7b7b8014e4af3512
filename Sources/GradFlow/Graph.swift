/// The index of a node in a ``Graph``: its position in evaluation order.
public typealias NodeID = Int

/// A recorded computation: a Wengert list.
///
/// Nodes are appended in evaluation order, so the list is already topologically sorted: every
/// operand of node `j` has an index below `j`. The backward pass is therefore a plain reverse
/// loop, never a recursive walk, and no graph is too deep for it.
///
/// Storage is struct-of-arrays (``Column``s over ``GraphBuffers``). Operands and their local
/// partial derivatives live in one flat pair of columns, indexed through `operandStart`
/// (compressed sparse rows): node `j`'s operands are
/// `operandStorage[operandStart[j] ..< operandStart[j + 1]]`. A binary node costs
/// 1 (op) + 8 (value) + 8 (parameter) + 4 (row start) + 2 × (4 + 8) (operands, partials) = 45 bytes.
public struct Graph: Sendable {
    /// The columns' memory, shared between copies of the graph until one of them records.
    @usableFromInline var buffers = GraphBuffers()
    /// Names, groups and notes, for the people reading the graph.
    public var annotations = Annotations()
    /// The tensor nodes' shapes, values and what their backward rules need (empty for a scalar graph).
    public internal(set) var tensorStorage = TensorStorage()

    public init() {}

    /// Each node's op.
    @inlinable public var ops: Column<Op> { Column(buffers, buffers.ops, count: buffers.nodeCount) }
    /// Each node's forward value.
    @inlinable public var values: Column<Double> { Column(buffers, buffers.values, count: buffers.nodeCount) }
    /// Each node's constant parameter (0 for ops without one); see ``Op/hasParameter``.
    @inlinable public var parameters: Column<Double> { Column(buffers, buffers.parameters, count: buffers.nodeCount) }
    /// Row starts into ``operandStorage`` and ``partialStorage``; one more entry than there are nodes.
    @inlinable public var operandStart: Column<UInt32> { Column(buffers, buffers.operandStart, count: buffers.nodeCount + 1) }
    /// The operands of every node, row after row.
    @inlinable public var operandStorage: Column<UInt32> { Column(buffers, buffers.operands, count: buffers.slotCount) }
    /// ∂node/∂operand for every operand slot, computed in the forward pass.
    @inlinable public var partialStorage: Column<Double> { Column(buffers, buffers.partials, count: buffers.slotCount) }

    /// The number of nodes.
    @inlinable public var count: Int { buffers.nodeCount }

    /// The node indices, in evaluation order.
    @inlinable public var nodes: Range<NodeID> { 0..<count }

    /// The range of `operandStorage`/`partialStorage` slots that belong to `node`.
    @inlinable
    public func operandSlots(of node: NodeID) -> Range<Int> {
        precondition(node >= 0 && node < count, "node \(node) is not a node of this graph")
        return Int(buffers.operandStart[node])..<Int(buffers.operandStart[node + 1])
    }

    /// The operands of `node`, in order.
    @inlinable
    public func operands(of node: NodeID) -> [NodeID] {
        operandSlots(of: node).map { Int(buffers.operands[$0]) }
    }

    /// The local partial derivatives ∂node/∂operand of `node`, in operand order.
    @inlinable
    public func partials(of node: NodeID) -> [Double] {
        operandSlots(of: node).map { buffers.partials[$0] }
    }

    /// The ids of all nodes whose op is ``Op/input``, in declaration order.
    public var inputs: [NodeID] {
        // A plain scan of the op bytes (a reverse sweep's `gradient()` reads this for every node).
        var inputs: [NodeID] = []
        let ops = buffers.ops
        for node in 0..<count where ops[node] == .input { inputs.append(node) }
        return withExtendedLifetime(buffers) { inputs }
    }

    /// Reserves room for `nodeCount` nodes of about `operandsPerNode` operands each.
    ///
    /// Recording never needs it (the columns grow geometrically), but a caller that knows the
    /// size saves the regrowths.
    public mutating func reserveCapacity(_ nodeCount: Int, operandsPerNode: Int = 2) {
        let buffers = uniqueBuffers()
        buffers.growNodes(toHold: nodeCount)
        buffers.growSlots(toHold: nodeCount * operandsPerNode)
    }

    /// The buffers, copied first if another copy of the graph shares them (copy on write).
    @inlinable
    mutating func uniqueBuffers() -> GraphBuffers {
        if !isKnownUniquelyReferenced(&buffers) { buffers = buffers.copy() }
        return buffers
    }

    // MARK: Recording

    /// Appends a leaf (an input or a constant) with the given value.
    @discardableResult
    public mutating func appendLeaf(_ op: Op = .input, value: Double, name: String? = nil) -> NodeID {
        precondition(op.isLeaf, "appendLeaf takes .input or .constant")
        let id = uniqueBuffers().commit(op, value: value, parameter: 0)
        if let name { annotations.names[id] = name }
        return id
    }

    /// Appends a unary op (including the ops that carry a constant parameter).
    ///
    /// The value and partial come from ``Op/evaluate(_:_:parameter:)``.
    ///
    /// Always inlined (as the binary form): with the op known where it is called, as in every
    /// `Tape` operator, ``Op/evaluate(_:_:parameter:)`` folds to that op's few instructions.
    @inlinable @inline(__always) @discardableResult
    public mutating func append(_ op: Op, _ a: NodeID, parameter: Double = 0) -> NodeID {
        let buffers = uniqueBuffers()
        // One unsigned comparison per operand: a negative id wraps to a huge one.
        precondition(UInt(bitPattern: a) < UInt(bitPattern: buffers.nodeCount), "operand \(a) is not a node of this graph")
        let (value, da, _) = op.evaluate(buffers.values[a], parameter: parameter)
        return buffers.append(op, value: value, parameter: parameter, a, da)
    }

    /// Appends a binary op.
    @inlinable @inline(__always) @discardableResult
    public mutating func append(_ op: Op, _ a: NodeID, _ b: NodeID) -> NodeID {
        let buffers = uniqueBuffers()
        let count = UInt(bitPattern: buffers.nodeCount)
        precondition(UInt(bitPattern: a) < count && UInt(bitPattern: b) < count,
                     "operands \(a), \(b) are not both nodes of this graph")
        let (value, da, db) = op.evaluate(buffers.values[a], buffers.values[b])
        return buffers.append(op, value: value, a, da, b, db)
    }

    /// Appends `sum` or `mean` of one or more operands (each partial is 1 or 1/n).
    @discardableResult
    public mutating func appendVariadic(_ op: Op, _ terms: [NodeID]) -> NodeID {
        precondition(op == .sum || op == .mean, "appendVariadic takes .sum or .mean")
        precondition(!terms.isEmpty, "sum and mean need at least one operand")
        precondition(terms.allSatisfy { $0 >= 0 && $0 < count }, "every operand is a node of this graph")
        let partial = op == .mean ? 1 / Double(terms.count) : 1
        let value = op.combine(terms.map { values[$0] })
        let buffers = uniqueBuffers()
        buffers.growSlots(toHold: buffers.slotCount + terms.count)
        for term in terms { buffers.appendSlot(term, partial) }
        return buffers.commit(op, value: value, parameter: 0)
    }

    // MARK: Checks

    /// The first node (in evaluation order) whose value is NaN or ±infinity, if any.
    public var firstNonFiniteNode: NodeID? {
        let scalar = values.firstIndex { !$0.isFinite }
        guard hasTensors, let tensor = firstNonFiniteTensorNode else { return scalar }
        return Swift.min(scalar ?? tensor, tensor)
    }

    /// Checks the invariants: every operand precedes its node, and the rows are consistent.
    /// Debug builds and tests call it; it is O(nodes + operands).
    public func checkInvariants() -> Bool {
        guard values.count == ops.count, parameters.count == ops.count,
              operandStart.count == ops.count + 1,
              operandStorage.count == partialStorage.count,
              Int(operandStart.last!) == operandStorage.count
        else { return false }
        for node in nodes {
            let slots = operandSlots(of: node)
            if ops[node].isLeaf != slots.isEmpty { return false }
            if let arity = ops[node].arity, arity != slots.count { return false }
            for slot in slots where Int(operandStorage[slot]) >= node { return false }
        }
        return true
    }
}
