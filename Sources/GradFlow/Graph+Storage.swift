#if canImport(Glibc)
import Glibc
#endif

/// How the graph's arrays grow, and why large ones ask the kernel for huge pages.
///
/// Recording a long graph is dominated not by arithmetic but by the kernel: every fresh 4 KiB
/// page the arrays touch costs a page fault, and on the virtual machines gradflow is benchmarked
/// on a fault costs about 2 µs. A 4-million-node graph touches some 190 MB, so its faults alone
/// took longer than recording and sweeping it. Transparent huge pages back the same memory with
/// 2 MiB pages, 512 times fewer faults. Linux gives them only to memory that asks
/// (`madvise(MADV_HUGEPAGE)`) on most distributions, so the graph grows its own arrays: each new
/// buffer is advised *before* anything is copied into it. Small arrays are left alone, and on
/// other systems the advice is a no-op. Nothing observable changes but the time.
extension Graph {
    /// Arrays smaller than this many bytes are not advised: they cannot fill a huge page.
    @usableFromInline static let hugePageAdviceThreshold = 4 << 20

    /// Grows the per-node arrays (ops, values, parameters, row starts) to hold `nodes` nodes.
    ///
    /// Growth is geometric (at least doubling), so appending stays amortised O(1).
    @usableFromInline
    mutating func growNodeStorage(toHold nodes: Int) {
        let capacity = Swift.max(nodes, 2 * ops.capacity, 64)
        ops = Graph.regrown(ops, capacity: capacity)
        values = Graph.regrown(values, capacity: capacity)
        parameters = Graph.regrown(parameters, capacity: capacity)
        operandStart = Graph.regrown(operandStart, capacity: capacity + 1)
        nodeCapacity = Swift.min(ops.capacity, values.capacity, parameters.capacity, operandStart.capacity - 1)
    }

    /// Grows the per-operand arrays (operands and their partials) to hold `slots` slots.
    @usableFromInline
    mutating func growOperandStorage(toHold slots: Int) {
        let capacity = Swift.max(slots, 2 * operandStorage.capacity, 128)
        operandStorage = Graph.regrown(operandStorage, capacity: capacity)
        partialStorage = Graph.regrown(partialStorage, capacity: capacity)
        operandCapacity = Swift.min(operandStorage.capacity, partialStorage.capacity)
    }

    /// A copy of `array` in a new buffer of at least `capacity` elements, advised before the copy.
    static func regrown<Element>(_ array: [Element], capacity: Int) -> [Element] {
        guard capacity > array.capacity else { return array }
        var bigger: [Element] = []
        bigger.reserveCapacity(capacity)
        adviseHugePages(&bigger)
        bigger.append(contentsOf: array)
        return bigger
    }

    /// `count` zeros in a buffer advised for huge pages: the adjoints and tangents of a sweep.
    static func zeros(count: Int) -> [Double] {
        var zeros: [Double] = []
        zeros.reserveCapacity(count)
        adviseHugePages(&zeros)
        zeros.append(contentsOf: repeatElement(0, count: count))
        return zeros
    }

    /// Asks Linux to back the whole 2 MiB-aligned part of `array`'s buffer with huge pages.
    ///
    /// Only a hint: where transparent huge pages are off, or on other systems, nothing happens.
    static func adviseHugePages<Element>(_ array: inout [Element]) {
        #if os(Linux)
        let bytes = array.capacity * MemoryLayout<Element>.stride
        guard bytes >= hugePageAdviceThreshold else { return }
        array.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let hugePage = 2 << 20
            let start = (Int(bitPattern: base) + hugePage - 1) & ~(hugePage - 1)
            let end = (Int(bitPattern: base) + bytes) & ~(hugePage - 1)
            guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
            _ = madvise(pointer, end - start, MADV_HUGEPAGE)
        }
        #endif
    }
}
