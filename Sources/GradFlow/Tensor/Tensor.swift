import Foundation

/// A tensor's value: a shape and its elements in row-major order.
///
/// Rank 0 (shape `[]`) is a scalar with one element. Ranks above 4 are not made by scenes, but
/// nothing here depends on the rank.
public struct Tensor: Sendable, Equatable {
    /// The size of each axis, outermost first.
    public var shape: [Int]
    /// The elements, row-major: the last axis varies fastest.
    public var elements: [Double]

    public init(shape: [Int], elements: [Double]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "a tensor's dimensions are not negative")
        precondition(Tensor.count(of: shape) == elements.count, "shape \(shape) holds \(Tensor.count(of: shape)) elements, not \(elements.count)")
        (self.shape, self.elements) = (shape, elements)
    }

    /// A rank-0 tensor holding `value`.
    public init(scalar value: Double) { (shape, elements) = ([], [value]) }

    /// A tensor of `shape` with every element `value`.
    public init(repeating value: Double, shape: [Int]) {
        self.init(shape: shape, elements: [Double](repeating: value, count: Tensor.count(of: shape)))
    }

    public var rank: Int { shape.count }
    public var count: Int { elements.count }

    /// The number of elements a shape holds (1 for rank 0).
    public static func count(of shape: [Int]) -> Int { shape.reduce(1, *) }

    /// The number of elements a shape would hold, or nil when it does not fit in an `Int`.
    public static func checkedCount(of shape: [Int]) -> Int? {
        var total = 1
        for size in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            if overflow { return nil }
            total = product
        }
        return total
    }

    /// The most elements one tensor may hold (128 MiB of doubles): a result that would be larger
    /// (a broadcast of two long vectors, a stack of large tensors) is a shape error, not an allocation.
    public static let maxElements = 1 << 24
    /// The most multiply–adds one matrix product may take (about 4 · 10⁹), so that no scene keeps
    /// the machine busy for minutes in one `@`.
    public static let maxProductWork = 1 << 32

    /// Whether a tensor of `shape` stays within ``maxElements``.
    public static func fits(_ shape: [Int]) -> Bool { checkedCount(of: shape).map { $0 <= maxElements } ?? false }

    /// The row-major strides of `shape`: how far apart neighbours along each axis are.
    public static func strides(of shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var stride = 1
        for axis in shape.indices.reversed() {
            strides[axis] = stride
            stride *= shape[axis]
        }
        return strides
    }

    /// The position (one index per axis) of the element at row-major `offset` in `shape`.
    public static func position(ofOffset offset: Int, in shape: [Int]) -> [Int] {
        zip(strides(of: shape), shape).map { stride, size in (offset / stride) % Swift.max(size, 1) }
    }

    /// One element of the tensor `name` as people write it: `W[0, 1]`, `b[2]` (the name alone at rank 0).
    public static func label(_ name: String, offset: Int, shape: [Int]) -> String {
        shape.isEmpty ? name : "\(name)[\(position(ofOffset: offset, in: shape).map(String.init).joined(separator: ", "))]"
    }

    /// A shape as people write it: `[2, 3]`, `[]` for a scalar.
    public static func describe(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }

    /// The elements as nested arrays, row-major: `[[1, 2], [3, 4]]`; the bare number at rank 0.
    ///
    /// - Parameter element: how one element is written.
    public func nested(_ element: (Double) -> String) -> String {
        guard !shape.isEmpty else { return element(elements[0]) }
        func write(axis: Int, offset: Int, stride: Int) -> String {
            let size = shape[axis]
            let inner = stride / Swift.max(size, 1)
            if axis == shape.count - 1 {
                return "[" + (0..<size).map { element(elements[offset + $0]) }.joined(separator: ", ") + "]"
            }
            return "[" + (0..<size).map { write(axis: axis + 1, offset: offset + $0 * inner, stride: inner) }
                .joined(separator: ", ") + "]"
        }
        return write(axis: 0, offset: 0, stride: count)
    }
}

extension Tensor {
    /// The nested form split into one line per row of the last axis, as NumPy prints arrays:
    /// `[[1, 2],` and ` [3, 4]]`. A vector or scalar is one line.
    public func rows(_ element: (Double) -> String) -> [String] {
        guard rank >= 2 else { return [nested(element)] }
        let width = shape[rank - 1]
        let rowCount = count / Swift.max(width, 1)
        let outer = Array(shape.dropLast())
        let strides = Tensor.strides(of: outer)
        return (0..<rowCount).map { row in
            // Which axes this row opens (index 0 there) and closes (last index there).
            let index = zip(strides, outer).map { stride, size in (row / stride) % size }
            let opened = index.reversed().prefix { $0 == 0 }.count
            let closed = zip(index, outer).reversed().prefix { $0 == $1 - 1 }.count
            let entries = (0..<width).map { element(elements[row * width + $0]) }.joined(separator: ", ")
            let prefix = String(repeating: " ", count: rank - 1 - opened) + String(repeating: "[", count: opened)
            let suffix = String(repeating: "]", count: closed) + (row == rowCount - 1 ? "" : ",")
            return prefix + "[" + entries + "]" + suffix
        }
    }
}

/// Why a tensor operation cannot be recorded: the shapes do not fit. The message names both
/// shapes, as in `cannot compute [2, 3] @ [2]: inner dimensions 3 and 2 differ`; a scene reader
/// places it at the operator.
public struct TensorShapeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// `cannot compute LEFT OPERATOR RIGHT: REASON`.
    static func binary(_ left: [Int], _ symbol: String, _ right: [Int], _ reason: String) -> TensorShapeError {
        TensorShapeError("cannot compute \(Tensor.describe(left)) \(symbol) \(Tensor.describe(right)): \(reason)")
    }
}

extension StandardNormal {
    /// `count` standard-normal numbers from one seed, in order: element 0 is `sample(seed:)`, and
    /// each next one takes the next two SplitMix64 words of the same stream (row-major in a tensor).
    public static func samples(seed: Int64, count: Int) -> [Double] {
        var state = UInt64(bitPattern: seed)
        return (0..<count).map { _ in
            let u1 = uniform(splitMix(&state))
            let u2 = uniform(splitMix(&state))
            return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
        }
    }
}
