/// The index of a node in a ``Graph``: its position in evaluation order.
public typealias NodeID = Int

/// A recorded computation: a Wengert list.
///
/// Nodes are appended in evaluation order, so the list is already topologically sorted: every
/// operand of node `j` has an index below `j`. The backward pass is therefore a plain reverse
/// loop, never a recursive walk, and no graph is too deep for it.
///
/// Storage is struct-of-arrays. Operands and their local partial derivatives live in one flat
/// pair of arrays, indexed through `operandStart` (compressed sparse rows): node `j`'s operands
/// are `operands[operandStart[j] ..< operandStart[j + 1]]`. A binary node costs
/// 1 (op) + 8 (value) + 8 (parameter) + 4 (row start) + 2 × (4 + 8) (operands, partials) = 45 bytes.
public struct Graph: Sendable {
    /// Each node's op.
    public internal(set) var ops: [Op] = []
    /// Each node's forward value.
    public internal(set) var values: [Double] = []
    /// Each node's constant parameter (0 for ops without one); see ``Op/hasParameter``.
    public internal(set) var parameters: [Double] = []
    /// Row starts into ``operands`` and ``partials``; one more entry than there are nodes.
    public internal(set) var operandStart: [UInt32] = [0]
    /// The operands of every node, row after row.
    public internal(set) var operandStorage: [UInt32] = []
    /// ∂node/∂operand for every operand slot, computed in the forward pass.
    public internal(set) var partialStorage: [Double] = []
    /// Names, groups and notes, for the people reading the graph.
    public var annotations = Annotations()
    /// The tensor nodes' shapes, values and what their backward rules need (empty for a scalar graph).
    public internal(set) var tensorStorage = TensorStorage()
    /// Nodes the per-node arrays can hold before ``growNodeStorage(toHold:)`` must run.
    @usableFromInline var nodeCapacity = 0
    /// Operand slots the per-operand arrays can hold before ``growOperandStorage(toHold:)``.
    @usableFromInline var operandCapacity = 0

    public init() {}

    /// The number of nodes.
    @inlinable public var count: Int { ops.count }

    /// The node indices, in evaluation order.
    @inlinable public var nodes: Range<NodeID> { 0..<ops.count }

    /// The range of `operandStorage`/`partialStorage` slots that belong to `node`.
    @inlinable
    public func operandSlots(of node: NodeID) -> Range<Int> {
        Int(operandStart[node])..<Int(operandStart[node + 1])
    }

    /// The operands of `node`, in order.
    @inlinable
    public func operands(of node: NodeID) -> [NodeID] {
        operandSlots(of: node).map { Int(operandStorage[$0]) }
    }

    /// The local partial derivatives ∂node/∂operand of `node`, in operand order.
    @inlinable
    public func partials(of node: NodeID) -> [Double] {
        Array(partialStorage[operandSlots(of: node)])
    }

    /// The ids of all nodes whose op is ``Op/input``, in declaration order.
    public var inputs: [NodeID] { nodes.filter { ops[$0] == .input } }

    /// Reserves room for `nodeCount` nodes of about `operandsPerNode` operands each.
    ///
    /// Recording never needs it (the arrays grow geometrically), but a caller that knows the size
    /// saves the copies that growth makes.
    public mutating func reserveCapacity(_ nodeCount: Int, operandsPerNode: Int = 2) {
        if nodeCount > nodeCapacity { growNodeStorage(toHold: nodeCount) }
        let slots = nodeCount * operandsPerNode
        if slots > operandCapacity { growOperandStorage(toHold: slots) }
    }

    // MARK: Recording

    /// Appends a leaf (an input or a constant) with the given value.
    @discardableResult
    public mutating func appendLeaf(_ op: Op = .input, value: Double, name: String? = nil) -> NodeID {
        precondition(op.isLeaf, "appendLeaf takes .input or .constant")
        let id = commit(op, value: value, parameter: 0)
        if let name { annotations.names[id] = name }
        return id
    }

    /// Appends a unary op (including the ops that carry a constant parameter).
    ///
    /// The value and partial come from the op's rule in the op table (``Op/rule``).
    @inlinable @discardableResult
    public mutating func append(_ op: Op, _ a: NodeID, parameter: Double = 0) -> NodeID {
        let (value, da, _) = op.evaluate(values[a], parameter: parameter)
        return record(op, value: value, parameter: parameter, a, da)
    }

    /// Appends a binary op.
    @inlinable @discardableResult
    public mutating func append(_ op: Op, _ a: NodeID, _ b: NodeID) -> NodeID {
        let (value, da, db) = op.evaluate(values[a], values[b])
        return record(op, value: value, a, da, b, db)
    }

    /// Stores an evaluated unary node: its operand, the partial, and the node itself.
    @usableFromInline
    mutating func record(_ op: Op, value: Double, parameter: Double, _ a: NodeID, _ da: Double) -> NodeID {
        if operandStorage.count >= operandCapacity { growOperandStorage(toHold: operandStorage.count + 1) }
        operandStorage.append(UInt32(truncatingIfNeeded: a))
        partialStorage.append(da)
        return commit(op, value: value, parameter: parameter)
    }

    /// Stores an evaluated binary node: its two operands, their partials, and the node itself.
    @usableFromInline
    mutating func record(_ op: Op, value: Double, _ a: NodeID, _ da: Double, _ b: NodeID, _ db: Double) -> NodeID {
        if operandStorage.count + 2 > operandCapacity { growOperandStorage(toHold: operandStorage.count + 2) }
        operandStorage.append(UInt32(truncatingIfNeeded: a))
        operandStorage.append(UInt32(truncatingIfNeeded: b))
        partialStorage.append(da)
        partialStorage.append(db)
        return commit(op, value: value, parameter: 0)
    }

    /// Appends `sum` or `mean` of one or more operands (each partial is 1 or 1/n).
    @discardableResult
    public mutating func appendVariadic(_ op: Op, _ terms: [NodeID]) -> NodeID {
        precondition(op == .sum || op == .mean, "appendVariadic takes .sum or .mean")
        precondition(!terms.isEmpty, "sum and mean need at least one operand")
        let partial = op == .mean ? 1 / Double(terms.count) : 1
        let slotsNeeded = operandStorage.count + terms.count
        if slotsNeeded > operandCapacity { growOperandStorage(toHold: slotsNeeded) }
        for term in terms {
            operandStorage.append(UInt32(truncatingIfNeeded: term))
            partialStorage.append(partial)
        }
        return commit(op, value: op.combine(terms.map { values[$0] }), parameter: 0)
    }

    mutating func commit(_ op: Op, value: Double, parameter: Double) -> NodeID {
        precondition(ops.count < Int(UInt32.max), "a graph holds at most 2^32 − 1 nodes")
        if ops.count >= nodeCapacity { growNodeStorage(toHold: ops.count + 1) }
        ops.append(op)
        values.append(value)
        parameters.append(parameter)
        operandStart.append(UInt32(truncatingIfNeeded: operandStorage.count))
        return ops.count - 1
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
