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
/// Growth is geometric. Small buffers grow with `realloc`; large ones are mapped on their own and
/// advised to use huge pages (see ``resize(_:from:to:keeping:)`` and `Graph+Storage.swift`).
/// Capacity not written yet is never touched, so it costs no memory.
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
        ops = GraphBuffers.resize(nil, from: 0, to: nodeCapacity, keeping: 0)
        values = GraphBuffers.resize(nil, from: 0, to: nodeCapacity, keeping: 0)
        parameters = GraphBuffers.resize(nil, from: 0, to: nodeCapacity, keeping: 0)
        operandStart = GraphBuffers.resize(nil, from: 0, to: nodeCapacity + 1, keeping: 0)
        operands = GraphBuffers.resize(nil, from: 0, to: slotCapacity, keeping: 0)
        partials = GraphBuffers.resize(nil, from: 0, to: slotCapacity, keeping: 0)
        operandStart[0] = 0
    }

    deinit {
        GraphBuffers.release(ops, capacity: nodeCapacity)
        GraphBuffers.release(values, capacity: nodeCapacity)
        GraphBuffers.release(parameters, capacity: nodeCapacity)
        GraphBuffers.release(operandStart, capacity: nodeCapacity + 1)
        GraphBuffers.release(operands, capacity: slotCapacity)
        GraphBuffers.release(partials, capacity: slotCapacity)
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
        let capacity = Swift.max(nodes, 2 * nodeCapacity), old = nodeCapacity, used = nodeCount
        ops = GraphBuffers.resize(ops, from: old, to: capacity, keeping: used)
        values = GraphBuffers.resize(values, from: old, to: capacity, keeping: used)
        parameters = GraphBuffers.resize(parameters, from: old, to: capacity, keeping: used)
        operandStart = GraphBuffers.resize(operandStart, from: old + 1, to: capacity + 1, keeping: used + 1)
        nodeCapacity = capacity
    }

    /// Makes room for `slots` operand slots in all, at least doubling.
    @usableFromInline
    func growSlots(toHold slots: Int) {
        precondition(slots < Int(UInt32.max), "a graph holds at most 2^32 − 1 operand slots")
        guard slots > slotCapacity else { return }
        let capacity = Swift.max(slots, 2 * slotCapacity), old = slotCapacity, used = slotCount
        operands = GraphBuffers.resize(operands, from: old, to: capacity, keeping: used)
        partials = GraphBuffers.resize(partials, from: old, to: capacity, keeping: used)
        slotCapacity = capacity
    }

    /// Appends a node whose operand slots are already stored; returns its id.
    ///
    /// `&+` throughout: a count is below its capacity, which ``growNodes(toHold:)`` and
    /// ``growSlots(toHold:)`` keep below 2³², so adding 1 or 2 cannot overflow.
    @inlinable
    func commit(_ op: Op, value: Double, parameter: Double) -> NodeID {
        let node = nodeCount
        if node == nodeCapacity { growNodes(toHold: node &+ 1) }
        return store(node, op, value: value, parameter: parameter, slotEnd: slotCount)
    }

    /// Stores one operand slot of the node about to be committed.
    @inlinable
    func appendSlot(_ operand: NodeID, _ partial: Double) {
        let slot = slotCount
        if slot == slotCapacity { growSlots(toHold: slot &+ 1) }
        operands[slot] = UInt32(truncatingIfNeeded: operand)
        partials[slot] = partial
        slotCount = slot &+ 1
    }

    /// Appends a node of one operand (`a`, with partial `da`); returns its id.
    ///
    /// Recording's fast path (with ``append(_:value:_:_:_:_:)``): room for the node and its
    /// slots is checked once, and every column's address is read into a local before anything
    /// is stored, so the stores (which could alias this object's fields, as far as the compiler
    /// knows) do not make it read the addresses again.
    @inlinable
    func append(_ op: Op, value: Double, parameter: Double, _ a: NodeID, _ da: Double) -> NodeID {
        let (node, slot) = makeRoom(slots: 1)
        let operands = self.operands, partials = self.partials
        operands[slot] = UInt32(truncatingIfNeeded: a)
        partials[slot] = da
        return store(node, op, value: value, parameter: parameter, slotEnd: slot &+ 1)
    }

    /// Appends a node of two operands (`a` and `b`, with partials `da` and `db`); returns its id.
    @inlinable
    func append(_ op: Op, value: Double, _ a: NodeID, _ da: Double, _ b: NodeID, _ db: Double) -> NodeID {
        let (node, slot) = makeRoom(slots: 2)
        let operands = self.operands, partials = self.partials
        operands[slot] = UInt32(truncatingIfNeeded: a)
        operands[slot &+ 1] = UInt32(truncatingIfNeeded: b)
        partials[slot] = da
        partials[slot &+ 1] = db
        return store(node, op, value: value, parameter: 0, slotEnd: slot &+ 2)
    }

    /// Room for one more node with `slots` operand slots: its id and its first slot.
    @inlinable @inline(__always)
    func makeRoom(slots: Int) -> (node: Int, slot: Int) {
        let node = nodeCount, slot = slotCount
        if _slowPath(node == nodeCapacity) { growNodes(toHold: node &+ 1) }
        if _slowPath(slot &+ slots > slotCapacity) { growSlots(toHold: slot &+ slots) }
        return (node, slot)
    }

    /// Stores node `node`, whose operand slots end at `slotEnd`, and counts it; returns its id.
    @inlinable @inline(__always)
    func store(_ node: Int, _ op: Op, value: Double, parameter: Double, slotEnd: Int) -> NodeID {
        let ops = self.ops, values = self.values, parameters = self.parameters, operandStart = self.operandStart
        ops[node] = op
        values[node] = value
        parameters[node] = parameter
        operandStart[node &+ 1] = UInt32(truncatingIfNeeded: slotEnd)
        nodeCount = node &+ 1
        slotCount = slotEnd
        return node
    }

    /// A buffer of `capacity` elements holding the first `used` of `old` (a buffer of
    /// `oldCapacity`), which it replaces; nil: a new buffer.
    ///
    /// A large buffer (one of at least ``Graph/hugePageAdviceThreshold`` bytes) is mapped on its
    /// own with `mmap` and advised for huge pages before anything is copied into it, so that the
    /// copy and the nodes recorded after it fault in 2 MiB pages. `malloc` would put a buffer
    /// below its own threshold, which glibc raises to 32 MiB once a large block is freed, on
    /// the heap instead: a second tape in the same process then grew through copies into small
    /// pages, and recorded at less than half the speed of the first.
    static func resize<Element>(
        _ old: UnsafeMutablePointer<Element>?, from oldCapacity: Int, to capacity: Int, keeping used: Int
    ) -> UnsafeMutablePointer<Element> {
        let bytes = Swift.max(capacity, 1) * MemoryLayout<Element>.stride
        if !isMapped(bytes: bytes) {
            guard let memory = realloc(old, bytes) else { outOfMemory(bytes) }
            return memory.bindMemory(to: Element.self, capacity: capacity)
        }
        let memory = map(bytes: bytes)
        Graph.adviseHugePages(memory, bytes: bytes)
        let buffer = memory.bindMemory(to: Element.self, capacity: capacity)
        if let old {
            buffer.update(from: old, count: used)
            release(old, capacity: oldCapacity)
        }
        return buffer
    }

    /// Gives back a buffer of `capacity` elements made by ``resize(_:from:to:keeping:)``.
    static func release<Element>(_ buffer: UnsafeMutablePointer<Element>, capacity: Int) {
        let bytes = Swift.max(capacity, 1) * MemoryLayout<Element>.stride
        if isMapped(bytes: bytes) {
            #if os(Linux)
            munmap(buffer, bytes)
            #endif
        } else {
            free(buffer)
        }
    }

    /// Whether a buffer of this size is mapped on its own (on Linux; elsewhere always `malloc`).
    static func isMapped(bytes: Int) -> Bool {
        #if os(Linux)
        bytes >= Graph.hugePageAdviceThreshold
        #else
        false
        #endif
    }

    /// `bytes` bytes of fresh zeroed memory mapped on their own.
    static func map(bytes: Int) -> UnsafeMutableRawPointer {
        #if os(Linux)
        let memory = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let memory, memory != UnsafeMutableRawPointer(bitPattern: -1) else { outOfMemory(bytes) }
        return memory
        #else
        preconditionFailure("only Linux maps graph buffers on their own")
        #endif
    }

    static func outOfMemory(_ bytes: Int) -> Never {
        fatalError("out of memory: a graph's buffer of \(bytes) bytes could not be allocated")
    }
}
