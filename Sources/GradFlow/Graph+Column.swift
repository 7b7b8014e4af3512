/// One column of a ``Graph`` (its ops, values, parameters, row starts, operands or partials),
/// read as a collection: `graph.values[node]`, `graph.ops.count`, `Array(graph.partialStorage)`.
///
/// A view, not a copy: it keeps the graph's memory alive, and the graph, being a value, copies
/// its memory before it next records a node while a column of it is held.
public struct Column<Element>: RandomAccessCollection, @unchecked Sendable {
    @usableFromInline let owner: GraphBuffers
    @usableFromInline let base: UnsafeMutablePointer<Element>
    public let count: Int

    @inlinable
    init(_ owner: GraphBuffers, _ base: UnsafeMutablePointer<Element>, count: Int) {
        (self.owner, self.base, self.count) = (owner, base, count)
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }

    @inlinable
    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "index out of range of a graph column")
        return base[position]
    }

    /// Calls `body` with the column's memory (valid only during the call).
    @inlinable
    public func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<Element>) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(owner) { try body(UnsafeBufferPointer(start: base, count: count)) }
    }
}

extension Column: Equatable where Element: Equatable {
    public static func == (lhs: Column, rhs: Column) -> Bool { lhs.elementsEqual(rhs) }
    /// A column compared with an array, as tests write it: `graph.ops == [.input, .exp]`.
    public static func == (lhs: Column, rhs: [Element]) -> Bool { lhs.elementsEqual(rhs) }
}

extension Column: CustomStringConvertible {
    public var description: String { Array(self).description }
}
