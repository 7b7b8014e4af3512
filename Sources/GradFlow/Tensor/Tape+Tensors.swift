/// The Swift API with tensors: a ``TensorVariable`` is a tensor node recorded on a ``Tape``,
/// with elementwise arithmetic (NumPy broadcasting), `matmul`, reductions and normalisations.
///
/// ```swift
/// let tape = Tape()
/// let W = tape.input(Tensor(shape: [2, 2], elements: [0.1, -0.2, 0.4, 0.3]), name: "W")
/// let x = tape.constant(Tensor(shape: [2], elements: [1, 2]))
/// let b = tape.input(Tensor(shape: [2], elements: [0, 0.5]), name: "b")
/// let loss = sum(tanh(matmul(W, x) + b) * 2)      // a scalar Variable
/// let gradW = loss.gradient(withRespectTo: W)      // a Tensor of W's shape
/// ```
///
/// Swift has no `@` operator: `matmul(A, B)` is PyTorch's `A @ B`. Shapes that do not fit are a
/// programming error, as an index out of range is: the process stops with the shape message
/// (`cannot compute [2, 3] @ [2]: inner dimensions 3 and 2 differ`).
extension Tape {
    /// A differentiable tensor input.
    public func input(_ value: Tensor, name: String? = nil) -> TensorVariable {
        TensorVariable(tape: self, id: graph.appendTensorLeaf(.input, value, name: name))
    }

    /// A constant tensor (it gets an adjoint, but is not reported as a gradient).
    public func constant(_ value: Tensor, name: String? = nil) -> TensorVariable {
        TensorVariable(tape: self, id: graph.appendTensorLeaf(.constant, value, name: name))
    }

    /// ∂y/∂x built as tensor nodes of the tape (x's shape), so it can be differentiated again.
    public func derivative(_ y: Variable, _ x: TensorVariable) -> TensorVariable {
        TensorVariable(tape: self, id: tensorNode(for: recording { (graph) throws(TensorShapeError) in try graph.differentiateTensors(y.id, withRespectTo: x.id) }, shape: x.shape))
    }

    /// Runs a recording step that cannot fail for well-shaped operands; a shape error stops the
    /// process with its message.
    func recording<Result>(_ body: (inout Graph) throws(TensorShapeError) -> Result) -> Result {
        do { return try body(&graph) } catch { preconditionFailure(error.message) }
    }

    /// A term as a tensor node: a number becomes a constant leaf of `shape`.
    func tensorNode(for term: Term, shape: [Int]) -> NodeID {
        switch term {
        case .node(let id): id
        case .number(let value): graph.appendTensorLeaf(.constant, Tensor(repeating: value, shape: shape))
        }
    }
}

/// A tensor node recorded on a ``Tape``.
public struct TensorVariable {
    public let tape: Tape
    public let id: NodeID

    public init(tape: Tape, id: NodeID) {
        self.tape = tape
        self.id = id
    }

    /// The forward value.
    public var value: Tensor { tape.graph.tensor(of: id) }
    public var shape: [Int] { tape.graph.shape(of: id) }

    func unary(_ op: Op, parameter: Double = 0) -> TensorVariable {
        TensorVariable(tape: tape, id: tape.graph.appendElementwise(op, id, parameter: parameter))
    }

    func binary(_ op: Op, _ other: NodeID, symbol: String) -> TensorVariable {
        TensorVariable(tape: tape, id: tape.recording { (graph) throws(TensorShapeError) in try graph.appendElementwise(op, id, other, symbol: symbol) })
    }

    func reversed(_ op: Op, _ other: NodeID, symbol: String) -> TensorVariable {
        TensorVariable(tape: tape, id: tape.recording { (graph) throws(TensorShapeError) in try graph.appendElementwise(op, other, id, symbol: symbol) })
    }

    /// The element at `position` (one index per axis, negative from the end) as a scalar variable.
    public func element(_ position: Int...) -> Variable {
        let entries = position.map { TensorIndex.at($0) }
        return Variable(tape: tape, id: tape.recording { (graph) throws(TensorShapeError) in try graph.appendIndex(id, entries) })
    }

    /// `A[i]` / `A[i, :]`: the sub-tensor at position `i` of the first axis.
    public subscript(_ index: Int) -> TensorVariable {
        TensorVariable(tape: tape, id: tape.recording { (graph) throws(TensorShapeError) in try graph.appendIndex(id, [.at(index)]) })
    }

    /// `A[:, j]`-style indexing with ``TensorIndex`` entries (`.all` keeps an axis).
    public subscript(_ entries: TensorIndex...) -> TensorVariable {
        TensorVariable(tape: tape, id: tape.recording { (graph) throws(TensorShapeError) in try graph.appendIndex(id, entries) })
    }
}

extension Variable {
    /// ∂self/∂x for a tensor `x`, by one reverse sweep, in x's shape.
    public func gradient(withRespectTo x: TensorVariable) -> Tensor {
        tape.graph.tensorAdjoints(from: id).adjoint(of: x.id, in: tape.graph)
    }

    /// ∂self/∂input for every input of the tape, scalar or tensor, by one reverse sweep.
    public func tensorGradient() -> [NodeID: Tensor] {
        Dictionary(uniqueKeysWithValues: tape.graph.tensorGradient(of: id).map { ($0.input, $0.derivative) })
    }
}

// MARK: Elementwise arithmetic (NumPy broadcasting)

public func + (a: TensorVariable, b: TensorVariable) -> TensorVariable { a.binary(.add, b.id, symbol: "+") }
public func - (a: TensorVariable, b: TensorVariable) -> TensorVariable { a.binary(.subtract, b.id, symbol: "-") }
public func * (a: TensorVariable, b: TensorVariable) -> TensorVariable { a.binary(.multiply, b.id, symbol: "*") }
public func / (a: TensorVariable, b: TensorVariable) -> TensorVariable { a.binary(.divide, b.id, symbol: "/") }
public prefix func - (a: TensorVariable) -> TensorVariable { a.unary(.negate) }

// A scalar variable is broadcast to every element.
public func + (a: TensorVariable, s: Variable) -> TensorVariable { a.binary(.add, s.id, symbol: "+") }
public func + (s: Variable, a: TensorVariable) -> TensorVariable { a.reversed(.add, s.id, symbol: "+") }
public func - (a: TensorVariable, s: Variable) -> TensorVariable { a.binary(.subtract, s.id, symbol: "-") }
public func - (s: Variable, a: TensorVariable) -> TensorVariable { a.reversed(.subtract, s.id, symbol: "-") }
public func * (a: TensorVariable, s: Variable) -> TensorVariable { a.binary(.multiply, s.id, symbol: "*") }
public func * (s: Variable, a: TensorVariable) -> TensorVariable { a.reversed(.multiply, s.id, symbol: "*") }
public func / (a: TensorVariable, s: Variable) -> TensorVariable { a.binary(.divide, s.id, symbol: "/") }

// A plain number is folded into the op, as for scalars.
public func + (a: TensorVariable, c: Double) -> TensorVariable { a.unary(.addConstant, parameter: c) }
public func + (c: Double, a: TensorVariable) -> TensorVariable { a.unary(.addConstant, parameter: c) }
public func - (a: TensorVariable, c: Double) -> TensorVariable { a.unary(.addConstant, parameter: -c) }
public func - (c: Double, a: TensorVariable) -> TensorVariable { a.unary(.constantSubtract, parameter: c) }
public func * (a: TensorVariable, c: Double) -> TensorVariable { a.unary(.multiplyConstant, parameter: c) }
public func * (c: Double, a: TensorVariable) -> TensorVariable { a.unary(.multiplyConstant, parameter: c) }
public func / (a: TensorVariable, c: Double) -> TensorVariable { a.unary(.divideByConstant, parameter: c) }
public func / (c: Double, a: TensorVariable) -> TensorVariable { a.unary(.constantDivide, parameter: c) }

public func pow(_ a: TensorVariable, _ c: Double) -> TensorVariable { a.unary(.powerConstant, parameter: c) }
public func exp(_ a: TensorVariable) -> TensorVariable { a.unary(.exp) }
/// The natural logarithm, element by element.
public func log(_ a: TensorVariable) -> TensorVariable { a.unary(.ln) }
public func sin(_ a: TensorVariable) -> TensorVariable { a.unary(.sin) }
public func cos(_ a: TensorVariable) -> TensorVariable { a.unary(.cos) }
public func tanh(_ a: TensorVariable) -> TensorVariable { a.unary(.tanh) }
public func sigmoid(_ a: TensorVariable) -> TensorVariable { a.unary(.sigmoid) }
public func relu(_ a: TensorVariable) -> TensorVariable { a.unary(.relu) }
public func sqrt(_ a: TensorVariable) -> TensorVariable { a.unary(.sqrt) }
public func abs(_ a: TensorVariable) -> TensorVariable { a.unary(.abs) }
public func softplus(_ a: TensorVariable) -> TensorVariable { a.unary(.softplus) }
public func detach(_ a: TensorVariable) -> TensorVariable { a.unary(.detach) }
public func max(_ a: TensorVariable, _ b: TensorVariable) -> TensorVariable { a.binary(.max, b.id, symbol: "max") }
public func min(_ a: TensorVariable, _ b: TensorVariable) -> TensorVariable { a.binary(.min, b.id, symbol: "min") }

// MARK: Products, shapes, reductions

/// `A @ B`: vector·vector (a scalar, as a rank-0 tensor), matrix·vector, vector·matrix, matrix·matrix.
public func matmul(_ a: TensorVariable, _ b: TensorVariable) -> TensorVariable {
    TensorVariable(tape: a.tape, id: a.tape.recording { (graph) throws(TensorShapeError) in try graph.appendMatrixProduct(a.id, b.id) })
}

public func transpose(_ a: TensorVariable) -> TensorVariable {
    TensorVariable(tape: a.tape, id: a.tape.recording { (graph) throws(TensorShapeError) in try graph.appendTranspose(a.id) })
}

public func reshape(_ a: TensorVariable, _ shape: Int...) -> TensorVariable {
    TensorVariable(tape: a.tape, id: a.tape.recording { (graph) throws(TensorShapeError) in try graph.appendReshape(a.id, to: shape) })
}

/// `[a, b, c]`: tensors of one shape stacked along a new first axis.
public func stack(_ parts: [TensorVariable]) -> TensorVariable {
    precondition(!parts.isEmpty, "stack of nothing")
    return TensorVariable(tape: parts[0].tape, id: parts[0].tape.recording { (graph) throws(TensorShapeError) in try graph.appendStack(parts.map(\.id)) })
}

/// Scalars stacked into a vector.
public func stack(_ parts: [Variable]) -> TensorVariable {
    precondition(!parts.isEmpty, "stack of nothing")
    return TensorVariable(tape: parts[0].tape, id: parts[0].tape.recording { (graph) throws(TensorShapeError) in try graph.appendStack(parts.map(\.id)) })
}

private func reduced(_ reduction: TensorOp.Reduction, _ a: TensorVariable, axis: Int?) -> NodeID {
    a.tape.recording { (graph) throws(TensorShapeError) in try graph.appendReduction(reduction, a.id, axis: axis) }
}

/// The sum of every element, a scalar variable.
public func sum(_ a: TensorVariable) -> Variable { Variable(tape: a.tape, id: reduced(.sum, a, axis: nil)) }
public func mean(_ a: TensorVariable) -> Variable { Variable(tape: a.tape, id: reduced(.mean, a, axis: nil)) }
/// The largest element; its gradient goes to the first largest, as for scalars.
public func max(_ a: TensorVariable) -> Variable { Variable(tape: a.tape, id: reduced(.max, a, axis: nil)) }
/// Along one axis (negative from the end): the axis is removed.
public func sum(_ a: TensorVariable, axis: Int) -> TensorVariable { TensorVariable(tape: a.tape, id: reduced(.sum, a, axis: axis)) }
public func mean(_ a: TensorVariable, axis: Int) -> TensorVariable { TensorVariable(tape: a.tape, id: reduced(.mean, a, axis: axis)) }
public func max(_ a: TensorVariable, axis: Int) -> TensorVariable { TensorVariable(tape: a.tape, id: reduced(.max, a, axis: axis)) }

private func normalized(_ normalization: TensorOp.Normalization, _ a: TensorVariable, axis: Int) -> NodeID {
    a.tape.recording { (graph) throws(TensorShapeError) in try graph.appendNormalization(normalization, a.id, axis: axis) }
}

/// Along the last axis unless `axis` says otherwise.
public func softmax(_ a: TensorVariable, axis: Int = -1) -> TensorVariable {
    TensorVariable(tape: a.tape, id: normalized(.softmax, a, axis: axis))
}
public func logSoftmax(_ a: TensorVariable, axis: Int = -1) -> TensorVariable {
    TensorVariable(tape: a.tape, id: normalized(.logSoftmax, a, axis: axis))
}
/// log Σ exp along the axis, which is removed (a scalar variable's node for a vector).
public func logSumExp(_ a: TensorVariable, axis: Int = -1) -> TensorVariable {
    TensorVariable(tape: a.tape, id: normalized(.logSumExp, a, axis: axis))
}
