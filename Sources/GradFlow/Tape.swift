import Foundation

/// The Swift API: record a computation by writing ordinary arithmetic on ``Variable``s.
///
/// ```swift
/// let tape = Tape()
/// let x1 = tape.input(2, name: "x1"), x2 = tape.input(5, name: "x2")
/// let f = log(x1) + x1 * x2 - sin(x2)
/// f.value                          // 11.652071455223084
/// f.gradient()                     // [x1: 5.5, x2: 1.7163378145367738]
/// let d2 = tape.derivative(tape.derivative(f, x1), x1)   // −1/x1² = −0.25
/// ```
///
/// The tape is a class so that operators can append to it; its ``graph`` is a plain value that
/// can be copied out, traced, exported or stepped through.
public final class Tape {
    /// The recorded graph.
    ///
    /// Unchecked exclusivity: every operator on a ``Variable`` mutates the graph, and the runtime
    /// check Swift would otherwise make on each access to a class property cost more than the
    /// append itself. No access can overlap another: no mutating method of ``Graph`` calls back
    /// into user code, and a tape, like any non-`Sendable` class, is used from one thread.
    @exclusivity(unchecked) public var graph = Graph()

    public init() {}

    /// A tape with room for `nodeCount` nodes of about `operandsPerNode` operands each.
    ///
    /// Recording never needs it (the graph grows geometrically), but a caller that knows the
    /// size saves the regrowths: each copies everything recorded so far into fresh memory.
    public convenience init(reservingCapacity nodeCount: Int, operandsPerNode: Int = 2) {
        self.init()
        reserveCapacity(nodeCount, operandsPerNode: operandsPerNode)
    }

    /// Reserves room for `nodeCount` nodes in all; see ``Graph/reserveCapacity(_:operandsPerNode:)``.
    public func reserveCapacity(_ nodeCount: Int, operandsPerNode: Int = 2) {
        graph.reserveCapacity(nodeCount, operandsPerNode: operandsPerNode)
    }

    /// A differentiable input.
    public func input(_ value: Double, name: String? = nil) -> Variable {
        Variable(tape: self, id: graph.appendLeaf(.input, value: value, name: name))
    }

    /// A constant leaf (it gets an adjoint, but is not reported as a gradient).
    public func constant(_ value: Double, name: String? = nil) -> Variable {
        Variable(tape: self, id: graph.appendLeaf(.constant, value: value, name: name))
    }

    /// ∂y/∂x built as nodes of the tape, so it can be differentiated again.
    public func derivative(_ y: Variable, _ x: Variable) -> Variable {
        variable(for: graph.differentiate(y.id, withRespectTo: x.id))
    }

    /// Turns a term into a variable, recording a constant leaf for a plain number.
    func variable(for term: Term) -> Variable {
        switch term {
        case .node(let id): Variable(tape: self, id: id)
        case .number(let value): constant(value)
        }
    }
}

/// A node recorded on a ``Tape``.
///
/// A variable holds its tape strongly, so it can never outlive it. The operators take their
/// (left) variable `consuming`: in `relu(v * w + x) * 0.5` each intermediate result hands its
/// reference to the tape on to the next one instead of copying it (a retain) and dropping it
/// (a release), so a chain of operators does no reference counting at all; a variable used
/// again afterwards is copied as before. Those two atomic operations per operator were the
/// largest cost of the `Tape` over the ``Graph`` API.
public struct Variable {
    public let tape: Tape
    public let id: NodeID

    /// Wraps node `id` of `tape`.
    @inlinable
    public init(tape: Tape, id: NodeID) {
        self.tape = tape
        self.id = id
    }

    /// The forward value.
    public var value: Double { tape.graph.values[id] }

    /// ∂self/∂input for every input of the tape, by one reverse sweep.
    public func gradient() -> [NodeID: Double] {
        let adjoint = tape.graph.adjoints(from: id)
        return Dictionary(uniqueKeysWithValues: tape.graph.inputs.map { ($0, adjoint[$0]) })
    }

    /// ∂self/∂x by one reverse sweep.
    public func derivative(withRespectTo x: Variable) -> Double {
        tape.graph.adjoints(from: id)[x.id]
    }

    /// Always inlined, as ``Graph/append(_:_:parameter:)`` is, so that the op folds where it is known.
    @inlinable @inline(__always)
    public consuming func unary(_ op: Op, parameter: Double = 0) -> Variable {
        Variable(tape: tape, id: tape.graph.append(op, id, parameter: parameter))
    }

    @inlinable @inline(__always)
    public consuming func binary(_ op: Op, _ other: Variable) -> Variable {
        precondition(tape === other.tape, "variables from two different tapes")
        return Variable(tape: tape, id: tape.graph.append(op, id, other.id))
    }
}

// Always inlined, down to the graph's stores: each operator is a few instructions, and one left
// as a call costs more than the node it records (and keeps the op from folding).
@inlinable @inline(__always) public func + (a: consuming Variable, b: Variable) -> Variable { a.binary(.add, b) }
@inlinable @inline(__always) public func - (a: consuming Variable, b: Variable) -> Variable { a.binary(.subtract, b) }
@inlinable @inline(__always) public func * (a: consuming Variable, b: Variable) -> Variable { a.binary(.multiply, b) }
@inlinable @inline(__always) public func / (a: consuming Variable, b: Variable) -> Variable { a.binary(.divide, b) }
@inlinable @inline(__always) public prefix func - (a: consuming Variable) -> Variable { a.unary(.negate) }
@inlinable @inline(__always) public func + (a: consuming Variable, c: Double) -> Variable { a.unary(.addConstant, parameter: c) }
@inlinable @inline(__always) public func + (c: Double, a: consuming Variable) -> Variable { a.unary(.addConstant, parameter: c) }
@inlinable @inline(__always) public func - (a: consuming Variable, c: Double) -> Variable { a.unary(.addConstant, parameter: -c) }
@inlinable @inline(__always) public func - (c: Double, a: consuming Variable) -> Variable { a.unary(.constantSubtract, parameter: c) }
@inlinable @inline(__always) public func * (a: consuming Variable, c: Double) -> Variable { a.unary(.multiplyConstant, parameter: c) }
@inlinable @inline(__always) public func * (c: Double, a: consuming Variable) -> Variable { a.unary(.multiplyConstant, parameter: c) }
@inlinable @inline(__always) public func / (a: consuming Variable, c: Double) -> Variable { a.unary(.divideByConstant, parameter: c) }
@inlinable @inline(__always) public func / (c: Double, a: consuming Variable) -> Variable { a.unary(.constantDivide, parameter: c) }

@inlinable @inline(__always) public func pow(_ a: consuming Variable, _ b: Variable) -> Variable { a.binary(.power, b) }
@inlinable @inline(__always) public func pow(_ a: consuming Variable, _ c: Double) -> Variable { a.unary(.powerConstant, parameter: c) }
@inlinable @inline(__always) public func pow(_ c: Double, _ a: consuming Variable) -> Variable { a.unary(.constantPower, parameter: c) }
@inlinable @inline(__always) public func exp(_ a: consuming Variable) -> Variable { a.unary(.exp) }
/// The natural logarithm.
@inlinable @inline(__always) public func log(_ a: consuming Variable) -> Variable { a.unary(.ln) }
@inlinable @inline(__always) public func sin(_ a: consuming Variable) -> Variable { a.unary(.sin) }
@inlinable @inline(__always) public func cos(_ a: consuming Variable) -> Variable { a.unary(.cos) }
@inlinable @inline(__always) public func tan(_ a: consuming Variable) -> Variable { a.unary(.tan) }
@inlinable @inline(__always) public func tanh(_ a: consuming Variable) -> Variable { a.unary(.tanh) }
@inlinable @inline(__always) public func sigmoid(_ a: consuming Variable) -> Variable { a.unary(.sigmoid) }
@inlinable @inline(__always) public func relu(_ a: consuming Variable) -> Variable { a.unary(.relu) }
@inlinable @inline(__always) public func sqrt(_ a: consuming Variable) -> Variable { a.unary(.sqrt) }
@inlinable @inline(__always) public func abs(_ a: consuming Variable) -> Variable { a.unary(.abs) }
/// ln(1 + eᵃ), a smooth relu.
@inlinable @inline(__always) public func softplus(_ a: consuming Variable) -> Variable { a.unary(.softplus) }
/// The base-2 and base-10 logarithms.
@inlinable @inline(__always) public func log2(_ a: consuming Variable) -> Variable { a.unary(.log2) }
@inlinable @inline(__always) public func log10(_ a: consuming Variable) -> Variable { a.unary(.log10) }
/// The same value with no gradient flowing back (PyTorch's `detach`, JAX's `stop_gradient`).
@inlinable @inline(__always) public func detach(_ a: consuming Variable) -> Variable { a.unary(.detach) }
@inlinable @inline(__always) public func max(_ a: consuming Variable, _ b: Variable) -> Variable { a.binary(.max, b) }
@inlinable @inline(__always) public func min(_ a: consuming Variable, _ b: Variable) -> Variable { a.binary(.min, b) }

/// The sum of one or more variables, as one node.
@inlinable public func sum(_ terms: [Variable]) -> Variable {
    precondition(!terms.isEmpty, "sum of nothing")
    return Variable(tape: terms[0].tape, id: terms[0].tape.graph.appendVariadic(.sum, terms.map(\.id)))
}

/// The mean of one or more variables, as one node.
@inlinable public func mean(_ terms: [Variable]) -> Variable {
    precondition(!terms.isEmpty, "mean of nothing")
    return Variable(tape: terms[0].tape, id: terms[0].tape.graph.appendVariadic(.mean, terms.map(\.id)))
}
