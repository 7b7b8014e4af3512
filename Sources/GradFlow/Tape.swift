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

    @inlinable
    public func unary(_ op: Op, parameter: Double = 0) -> Variable {
        Variable(tape: tape, id: tape.graph.append(op, id, parameter: parameter))
    }

    @inlinable
    public func binary(_ op: Op, _ other: Variable) -> Variable {
        precondition(tape === other.tape, "variables from two different tapes")
        return Variable(tape: tape, id: tape.graph.append(op, id, other.id))
    }
}

@inlinable public func + (a: Variable, b: Variable) -> Variable { a.binary(.add, b) }
@inlinable public func - (a: Variable, b: Variable) -> Variable { a.binary(.subtract, b) }
@inlinable public func * (a: Variable, b: Variable) -> Variable { a.binary(.multiply, b) }
@inlinable public func / (a: Variable, b: Variable) -> Variable { a.binary(.divide, b) }
@inlinable public prefix func - (a: Variable) -> Variable { a.unary(.negate) }
@inlinable public func + (a: Variable, c: Double) -> Variable { a.unary(.addConstant, parameter: c) }
@inlinable public func + (c: Double, a: Variable) -> Variable { a.unary(.addConstant, parameter: c) }
@inlinable public func - (a: Variable, c: Double) -> Variable { a.unary(.addConstant, parameter: -c) }
@inlinable public func - (c: Double, a: Variable) -> Variable { a.unary(.constantSubtract, parameter: c) }
@inlinable public func * (a: Variable, c: Double) -> Variable { a.unary(.multiplyConstant, parameter: c) }
@inlinable public func * (c: Double, a: Variable) -> Variable { a.unary(.multiplyConstant, parameter: c) }
@inlinable public func / (a: Variable, c: Double) -> Variable { a.unary(.divideByConstant, parameter: c) }
@inlinable public func / (c: Double, a: Variable) -> Variable { a.unary(.constantDivide, parameter: c) }

@inlinable public func pow(_ a: Variable, _ b: Variable) -> Variable { a.binary(.power, b) }
@inlinable public func pow(_ a: Variable, _ c: Double) -> Variable { a.unary(.powerConstant, parameter: c) }
@inlinable public func pow(_ c: Double, _ a: Variable) -> Variable { a.unary(.constantPower, parameter: c) }
@inlinable public func exp(_ a: Variable) -> Variable { a.unary(.exp) }
/// The natural logarithm.
@inlinable public func log(_ a: Variable) -> Variable { a.unary(.ln) }
@inlinable public func sin(_ a: Variable) -> Variable { a.unary(.sin) }
@inlinable public func cos(_ a: Variable) -> Variable { a.unary(.cos) }
@inlinable public func tan(_ a: Variable) -> Variable { a.unary(.tan) }
@inlinable public func tanh(_ a: Variable) -> Variable { a.unary(.tanh) }
@inlinable public func sigmoid(_ a: Variable) -> Variable { a.unary(.sigmoid) }
@inlinable public func relu(_ a: Variable) -> Variable { a.unary(.relu) }
@inlinable public func sqrt(_ a: Variable) -> Variable { a.unary(.sqrt) }
@inlinable public func abs(_ a: Variable) -> Variable { a.unary(.abs) }
/// ln(1 + eᵃ), a smooth relu.
@inlinable public func softplus(_ a: Variable) -> Variable { a.unary(.softplus) }
/// The base-2 and base-10 logarithms.
@inlinable public func log2(_ a: Variable) -> Variable { a.unary(.log2) }
@inlinable public func log10(_ a: Variable) -> Variable { a.unary(.log10) }
/// The same value with no gradient flowing back (PyTorch's `detach`, JAX's `stop_gradient`).
@inlinable public func detach(_ a: Variable) -> Variable { a.unary(.detach) }
@inlinable public func max(_ a: Variable, _ b: Variable) -> Variable { a.binary(.max, b) }
@inlinable public func min(_ a: Variable, _ b: Variable) -> Variable { a.binary(.min, b) }

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
