/// One element of an input as a person names it on the command line: `x`, `W[0, 1]`, `b[-1]`.
///
/// `--wrt W[0, 1]` carries tangents from that element alone, as the scene language indexes:
/// one index per axis, negative ones counting from the end. A scalar input is named bare.
public struct ElementReference: Sendable, Equatable {
    /// The input's name.
    public let name: String
    /// The indices as written (nil when there are no brackets).
    public let indices: [Int]?
    /// The text as given, for messages.
    public let text: String

    /// Reads `NAME` or `NAME[i, j, …]` (spaces allowed around the indices).
    ///
    /// - Throws: ``WalkError`` for brackets that do not hold integers: `--wrt W[0,: …`.
    public init(_ text: String, option: String = "--wrt") throws(WalkError) {
        self.text = text
        guard let open = text.firstIndex(of: "[") else {
            (name, indices) = (text, nil)
            return
        }
        let inside = text[text.index(after: open)...]
        let parts = inside.hasSuffix("]") ? inside.dropLast().split(separator: ",", omittingEmptySubsequences: false) : []
        let numbers = parts.map { Int($0.filter { $0 != " " }) }
        guard !parts.isEmpty, numbers.allSatisfy({ $0 != nil }), !text[..<open].isEmpty else {
            throw WalkError("\(option) \(text): name one element as NAME[i, j] with integer indices, e.g. W[0, 1]")
        }
        (name, indices) = (String(text[..<open]), numbers.map { $0! })
    }

    /// The row-major offset of the element in an input of `shape` (0 for a scalar named bare).
    ///
    /// - Throws: ``WalkError`` naming what does not fit: indices on a scalar, too few or too
    ///   many indices, an index out of range; and a tensor named without indices.
    public func offset(in shape: [Int], option: String = "--wrt") throws(WalkError) -> Int {
        let example = "\(name)[" + shape.map { _ in "0" }.joined(separator: ", ") + "]"
        guard let indices else {
            if shape.isEmpty { return 0 }
            throw WalkError("\(option) \(text): \(name) is a \(Tensor.describe(shape)) tensor; name one element, e.g. \(option) '\(example)'")
        }
        if shape.isEmpty {
            throw WalkError("\(option) \(text): \(name) is a scalar input and has no elements to index; write \(option) \(name)")
        }
        guard indices.count == shape.count else {
            throw WalkError("\(option) \(text): \(name) is a \(Tensor.describe(shape)) tensor; name one element with \(shape.count) \(shape.count == 1 ? "index" : "indices"), e.g. \(example)")
        }
        var offset = 0
        for (axis, (index, size)) in zip(indices, shape).enumerated() {
            guard index >= -size, index < size else {
                throw WalkError("\(option) \(text): index \(index) is out of range for axis \(axis) of \(name) (size \(size): from \(-size) to \(size - 1))")
            }
            offset = offset * size + (index < 0 ? index + size : index)
        }
        return offset
    }

    /// The element at row-major `offset` of a tensor of `shape` as people write it: `W[0, 1]`;
    /// the bare name for a scalar.
    public static func label(_ name: String, offset: Int, in shape: [Int]) -> String {
        guard !shape.isEmpty else { return name }
        var rest = offset
        var indices = [Int](repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() {
            indices[axis] = rest % Swift.max(shape[axis], 1)
            rest /= Swift.max(shape[axis], 1)
        }
        return name + "[" + indices.map(String.init).joined(separator: ", ") + "]"
    }
}
