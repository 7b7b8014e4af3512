/// Appending nodes whose value and partials were computed elsewhere: a graph read from a file,
/// or captured from another framework, keeps the numbers it was recorded with.
extension Graph {
    /// Appends a node with the given value and local partials, without evaluating its op.
    ///
    /// - Precondition: every operand precedes the new node, there is one partial per operand,
    ///   and the operand count suits `op` (none for a leaf, its arity for a fixed-arity op, at
    ///   least one for `sum` and `mean`). A reader of untrusted input checks these first: the
    ///   sweeps index without bounds checks, relying on them.
    @discardableResult
    public mutating func appendRecorded(
        _ op: Op, operands: [NodeID], partials: [Double], value: Double, parameter: Double = 0
    ) -> NodeID {
        precondition(operands.count == partials.count, "one partial per operand")
        precondition(operands.allSatisfy { $0 >= 0 && $0 < count }, "operands precede their node")
        precondition(op.isLeaf == operands.isEmpty && (op.arity ?? operands.count) == operands.count,
                     "\(op) does not take \(operands.count) operands")
        let buffers = uniqueBuffers()
        buffers.growSlots(toHold: buffers.slotCount + operands.count)
        for (operand, partial) in zip(operands, partials) { buffers.appendSlot(operand, partial) }
        return buffers.commit(op, value: value, parameter: parameter)
    }
}
