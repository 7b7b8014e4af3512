#if canImport(Glibc)
import Glibc
#endif

/// Why large buffers ask the kernel for huge pages.
///
/// Recording a long graph is dominated not by arithmetic but by the kernel: every fresh 4 KiB
/// page the buffers touch costs a page fault, and on the virtual machines gradflow is benchmarked
/// on a fault costs about 2 µs. A 4-million-node graph touches some 190 MB, so its faults alone
/// took longer than recording and sweeping it. Transparent huge pages back the same memory with
/// 2 MiB pages, 512 times fewer faults. Linux gives them only to memory that asks
/// (`madvise(MADV_HUGEPAGE)`) on most distributions, so each large buffer of a graph
/// (``GraphBuffers``) and of a sweep is advised before anything is written into it. Small buffers
/// are left alone, and on other systems the advice is a no-op. Nothing observable changes but
/// the time.
extension Graph {
    /// Buffers smaller than this many bytes are not advised: they cannot fill a huge page.
    @usableFromInline static let hugePageAdviceThreshold = 4 << 20

    /// `count` zeros in a buffer advised for huge pages: the adjoints and tangents of a sweep.
    static func zeros(count: Int) -> [Double] {
        var zeros: [Double] = []
        zeros.reserveCapacity(count)
        let bytes = zeros.capacity * MemoryLayout<Double>.stride
        zeros.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { adviseHugePages(base, bytes: bytes) }
        }
        zeros.append(contentsOf: repeatElement(0, count: count))
        return zeros
    }

    /// Asks Linux to back the `bytes` bytes at `memory` with huge pages (the kernel uses them
    /// for the 2 MiB-aligned stretches inside).
    ///
    /// The advice covers every page the buffer touches, so that a buffer mapped on its own is
    /// advised whole (advice on part of a mapping splits it in two).
    ///
    /// Only a hint: where transparent huge pages are off, or on other systems, nothing happens.
    static func adviseHugePages(_ memory: UnsafeMutableRawPointer, bytes: Int) {
        #if os(Linux)
        guard bytes >= hugePageAdviceThreshold else { return }
        let page = Int(getpagesize())
        let start = Int(bitPattern: memory) & ~(page - 1)
        let end = (Int(bitPattern: memory) + bytes + page - 1) & ~(page - 1)
        guard let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, MADV_HUGEPAGE)
        #endif
    }
}
