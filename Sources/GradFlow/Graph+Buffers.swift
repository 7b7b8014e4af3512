#if canImport(Glibc)
import Glibc
#endif

/// The memory behind a ``Graph``: its six columns as plain growable buffers, shared copy on write.
///
/// Why not six Swift arrays (as before): every array append checks that its buffer is unique
/// and has room, and a node appended to six of them; those checks were about 180 of the ~240
/// instructions recording and sweeping a node cost. Here recording a node checks once that the
/// graph owns its buffers (``Graph`` copies them first when it does not) and stores plain values.
///
/// Growth is geometric and uses `realloc`: glibc moves a large buffer (one it got from `mmap`)
/// with `mremap`, which neither copies the bytes nor holds the old and new buffers at once, and
/// capacity not written yet is never touched, so it costs no memory. Large buffers are advised
/// to use huge pages (see `Graph+Storage.swift`).
///
/// `@unchecked Sendable`: the buffers are written only through a ``Graph`` that holds the only
/// reference (copy on write), so a graph shared with another thread is never written.
@usableFromInline
final class GraphBuffers: @unchecked Sendable {
    // Unchecked exclusivity: these are plain loads and stores by the graph's own methods, none of
    // which calls out to user code; the runtime's check would cost more than the store.
    @usableFromInline @exclusivity(unchecked) var ops: UnsafeMutablePointer<Op>
    @usableFromInline @exclusivity(unchecked) var values: UnsafeMutablePointer<Double>
    @usableFromInline @exclusivity(unchecked) var parameters: UnsafeMutablePointer<Double>
    /// One more entry than ``nodeCapacity``: row `j` is `operandStart[j] ..< operandStart[j + 1]`.
    @usableFromInline @exclusivity(unchecked) var operandStart: UnsafeMutablePointer<UInt32>
    @usableFromInline @exclusivity(unchecked) var operands: UnsafeMutablePointer<UInt32>
    @usableFromInline @exclusivity(unchecked) var partials: UnsafeMutablePointer<Double>
    @usableFromInline @exclusivity(unchecked) var nodeCount = 0
    @usableFromInline @exclusivity(unchecked) var nodeCapacity: Int
    @usableFromInline @exclusivity(unchecked) var slotCount = 0
    @usableFromInline @exclusivity(unchecked) var slotCapacity: Int

    @usableFromInline
    init(nodeCapacity: Int = 16, slotCapacity: Int = 32) {
        self.nodeCapacity = nodeCapacity
        self.slotCapacity = slotCapacity
        ops = GraphBuffers.reallocate(nil, count: nodeCapacity)
        values = GraphBuffers.reallocate(nil, count: nodeCapacity)
        parameters = GraphBuffers.reallocate(nil, count: nodeCapacity)
        operandStart = GraphBuffers.reallocate(nil, count: nodeCapacity + 1)
        operands = GraphBuffers.reallocate(nil, count: slotCapacity)
        partials = GraphBuffers.reallocate(nil, count: slotCapacity)
        operandStart[0] = 0
    }

    deinit {
        free(ops)
        free(values)
        free(parameters)
        free(operandStart)
        free(operands)
        free(partials)
    }

    /// A copy holding the same nodes, with room for as many again.
    @usableFromInline
    func copy() -> GraphBuffers {
        let copy = GraphBuffers(nodeCapacity: Swift.max(nodeCapacity, 16), slotCapacity: Swift.max(slotCapacity, 32))
        copy.ops.update(from: ops, count: nodeCount)
        copy.values.update(from: values, count: nodeCount)
        copy.parameters.update(from: parameters, count: nodeCount)
        copy.operandStart.update(from: operandStart, count: nodeCount + 1)
        copy.operands.update(from: operands, count: slotCount)
        copy.partials.update(from: partials, count: slotCount)
        copy.nodeCount = nodeCount
        copy.slotCount = slotCount
        return copy
    }

    /// Makes room for `nodes` nodes in all, at least doubling.
    @usableFromInline
    func growNodes(toHold nodes: Int) {
        precondition(nodes < Int(UInt32.max), "a graph holds at most 2^32 − 1 nodes")
        guard nodes > nodeCapacity else { return }
        let capacity = Swift.max(nodes, 2 * nodeCapacity)
        ops = GraphBuffers.reallocate(ops, count: capacity)
        values = GraphBuffers.reallocate(values, count: capacity)
        parameters = GraphBuffers.reallocate(parameters, count: capacity)
        operandStart = GraphBuffers.reallocate(operandStart, count: capacity + 1)
        nodeCapacity = capacity
    }

    /// Makes room for `slots` operand slots in all, at least doubling.
    @usableFromInline
    func growSlots(toHold slots: Int) {
        precondition(slots < Int(UInt32.max), "a graph holds at most 2^32 − 1 operand slots")
        guard slots > slotCapacity else { return }
        let capacity = Swift.max(slots, 2 * slotCapacity)
        operands = GraphBuffers.reallocate(operands, count: capacity)
        partials = GraphBuffers.reallocate(partials, count: capacity)
        slotCapacity = capacity
    }

    /// Appends a node whose operand slots are already stored; returns its id.
    @inlinable
    func commit(_ op: Op, value: Double, parameter: Double) -> NodeID {
        let node = nodeCount
        if node == nodeCapacity { growNodes(toHold: node + 1) }
        ops[node] = op
        values[node] = value
        parameters[node] = parameter
        operandStart[node + 1] = UInt32(truncatingIfNeeded: slotCount)
        nodeCount = node + 1
        return node
    }

    /// Stores one operand slot of the node about to be committed.
    @inlinable
    func appendSlot(_ operand: NodeID, _ partial: Double) {
        let slot = slotCount
        if slot == slotCapacity { growSlots(toHold: slot + 1) }
        operands[slot] = UInt32(truncatingIfNeeded: operand)
        partials[slot] = partial
        slotCount = slot + 1
    }

    /// `pointer`'s buffer resized to `count` elements (a new one for nil), advised for huge pages.
    static func reallocate<Element>(_ pointer: UnsafeMutablePointer<Element>?, count: Int) -> UnsafeMutablePointer<Element> {
        let bytes = Swift.max(count, 1) * MemoryLayout<Element>.stride
        guard let memory = realloc(pointer, bytes) else {
            fatalError("out of memory: a graph's buffer of \(bytes) bytes could not be allocated")
        }
        Graph.adviseHugePages(memory, bytes: bytes)
        return memory.bindMemory(to: Element.self, capacity: count)
    }
}
