/// What a tensor node computes from its operands; the node's op in ``Graph/ops`` is ``Op/tensor``
/// (or ``Op/input``/``Op/constant`` for a tensor leaf) and this says the rest.
public enum TensorOp: Sendable, Equatable {
    /// An input or constant tensor.
    case leaf
    /// A scalar op of the op table applied element by element: unary (with the op's constant
    /// parameter, as in `x^2` or `x * 0.5`) or binary with NumPy broadcasting.
    case elementwise(Op, parameter: Double)
    /// `A @ B`: vector·vector, matrix·vector, vector·matrix or matrix·matrix.
    case matrixProduct
    /// `transpose(A)`: rows become columns (a vector or a scalar is unchanged).
    case transpose
    /// `sum`, `mean` or `max` of every element (axis nil, a scalar) or along one axis.
    case reduce(Reduction, axis: Int?)
    /// `softmax`, `log_softmax` or `logsumexp` along one axis.
    case normalize(Normalization, axis: Int)
    /// `x[i]`, `A[i, j]`, `A[i, :]`, `A[:, j]`: one entry per axis (missing trailing ones are `:`).
    case index([TensorIndex])
    /// `reshape(x, 2, 3)`: the same elements in a new shape.
    case reshape
    /// `[a, b, c]`: operands of one shape stacked along a new first axis.
    case stack

    public enum Reduction: String, Sendable, Equatable { case sum, mean, max }

    public enum Normalization: String, Sendable, Equatable {
        case softmax
        case logSoftmax = "log_softmax"
        case logSumExp = "logsumexp"
    }

    /// How people write the op: `+`, `tanh`, `@`, `sum(axis: 0)`, `[1, :]`.
    public var symbol: String {
        switch self {
        case .leaf: "leaf"
        case .elementwise(let op, _): op.symbol
        case .matrixProduct: "@"
        case .transpose: "transpose"
        case .reduce(let reduction, let axis): axis.map { "\(reduction.rawValue)(axis: \($0))" } ?? reduction.rawValue
        case .normalize(let normalization, let axis): "\(normalization.rawValue)(axis: \(axis))"
        case .index(let entries): "[" + entries.map(\.description).joined(separator: ", ") + "]"
        case .reshape: "reshape"
        case .stack: "stack"
        }
    }
}

/// One axis of an index: a position (already counted from the start) or the whole axis.
public enum TensorIndex: Sendable, Equatable, CustomStringConvertible {
    case at(Int)
    case all

    public var description: String {
        switch self {
        case .at(let position): String(position)
        case .all: ":"
        }
    }
}

/// A recorded tensor node: what it computes, its value, and what its backward rule needs.
public struct TensorNode: Sendable {
    public let op: TensorOp
    public let value: Tensor
    /// Per-element local partials, one array per operand (elementwise ops), or the softmax of the
    /// operand along the axis (the normalisations): computed in the forward pass like a scalar
    /// node's partials.
    public let partials: [[Double]]
    /// For each output element, the offset of the operand element it came from (indexing, `max`).
    public let sources: [Int]

    init(op: TensorOp, value: Tensor, partials: [[Double]] = [], sources: [Int] = []) {
        (self.op, self.value, self.partials, self.sources) = (op, value, partials, sources)
    }
}

/// The side storage of a graph's tensor nodes. Scalar nodes are not in it, so a scalar graph
/// carries one empty dictionary and records exactly as before.
public struct TensorStorage: Sendable {
    public internal(set) var nodes: [NodeID: TensorNode] = [:]
    /// The elements of every tensor node's value, added up: what a scene's tensor limit counts.
    public internal(set) var elementCount = 0

    public init() {}

    public var isEmpty: Bool { nodes.isEmpty }
}
