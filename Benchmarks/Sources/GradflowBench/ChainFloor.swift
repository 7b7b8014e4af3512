#if canImport(Glibc)
import Glibc
#endif

/// The floor under the engine's `Graph` API on W1: the same 48 bytes a node (op, value,
/// parameter, row start, two operands and their partials) stored through raw pointers into
/// memory allocated up front, with no checks at all, then the same reverse sweep.
///
/// Nothing can record what the engine records in less; what the `Graph` API costs above this is
/// what it pays for being a safe, growable value type. Its memory is advised for huge pages as
/// the engine's is, so that both pay the kernel the same.
extension Chain {
    static func allocate<Element>(_: Element.Type, _ count: Int) -> UnsafeMutablePointer<Element> {
        let pointer = UnsafeMutablePointer<Element>.allocate(capacity: count)
        #if os(Linux)
        let hugePage = 2 << 20, bytes = count * MemoryLayout<Element>.stride
        let first = (Int(bitPattern: pointer) + hugePage - 1) & ~(hugePage - 1)
        let end = (Int(bitPattern: pointer) + bytes) & ~(hugePage - 1)
        if end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) { _ = madvise(aligned, end - first, MADV_HUGEPAGE) }
        #endif
        return pointer
    }

    static func floor(iterations: Int) -> (dx: Double, dw: Double) {
        let nodes = nodeCount(iterations: iterations), slots = 2 * nodes
        let ops = allocate(UInt8.self, nodes)
        let values = allocate(Double.self, nodes)
        let parameters = allocate(Double.self, nodes)
        let start = allocate(UInt32.self, nodes + 1)
        let operands = allocate(UInt32.self, slots)
        let partials = allocate(Double.self, slots)
        defer { for pointer in [UnsafeMutableRawPointer(ops), UnsafeMutableRawPointer(values), UnsafeMutableRawPointer(parameters),
                                UnsafeMutableRawPointer(start), UnsafeMutableRawPointer(operands), UnsafeMutableRawPointer(partials)] {
            pointer.deallocate()
        } }
        var node = 0, slot = 0
        func store(_ op: UInt8, _ value: Double, _ parameter: Double) -> Int {
            ops[node] = op
            values[node] = value
            parameters[node] = parameter
            node += 1
            start[node] = UInt32(truncatingIfNeeded: slot)
            return node - 1
        }
        func operand(_ id: Int, _ partial: Double) {
            operands[slot] = UInt32(truncatingIfNeeded: id)
            partials[slot] = partial
            slot += 1
        }
        start[0] = 0
        let x = store(0, Chain.x, 0), w = store(0, Chain.w, 0)
        var v = x
        for _ in 0..<iterations {
            let product = values[v] * values[w]
            operand(v, values[w]); operand(w, values[v])
            let p = store(4, product, 0)
            operand(p, 1); operand(x, 1)
            let a = store(2, product + values[x], 0)
            let active = values[a] > 0
            operand(a, active ? 1 : 0)
            let r = store(22, active ? values[a] : 0, 0)
            operand(r, 0.5)
            v = store(12, values[r] * 0.5, 0.5)
        }
        // The sweep, as the engine's: adjoints, and which nodes the output depends on.
        let adjoint = allocate(Double.self, nodes)
        let reached = allocate(Bool.self, nodes)
        defer { adjoint.deallocate(); reached.deallocate() }
        adjoint.initialize(repeating: 0, count: nodes)
        reached.initialize(repeating: false, count: nodes)
        adjoint[v] = 1
        reached[v] = true
        var current = v
        while current >= 0 {
            if reached[current] {
                let incoming = adjoint[current]
                for s in Int(start[current])..<Int(start[current + 1]) {
                    let target = Int(operands[s])
                    adjoint[target] += incoming * partials[s]
                    reached[target] = true
                }
            }
            current -= 1
        }
        return (adjoint[x], adjoint[w])
    }
}
