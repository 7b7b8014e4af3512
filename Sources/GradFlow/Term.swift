/// A value being built into the graph: a plain number (not yet a node) or a node.
///
/// Building derivatives as nodes creates many trivial terms (`· 1`, `+ 0`); folding them while
/// they are still numbers keeps derivative graphs small and readable.
public enum Term: Sendable, Equatable {
    case number(Double)
    case node(NodeID)

    /// The term's value in `graph`.
    public func value(in graph: Graph) -> Double {
        switch self {
        case .number(let number): number
        case .node(let node): graph.values[node]
        }
    }
}

extension Graph {
    /// `a + b`, folding numbers and `+ 0`.
    public mutating func add(_ a: Term, _ b: Term) -> Term {
        switch (a, b) {
        case let (.number(x), .number(y)): return .number(x + y)
        case (.number(0), let t), (let t, .number(0)): return t
        case let (.number(c), .node(n)), let (.node(n), .number(c)):
            return .node(append(.addConstant, n, parameter: c))
        case let (.node(x), .node(y)): return .node(append(.add, x, y))
        }
    }

    /// `a · b`, folding numbers, `· 1` and `· 0` (a symbolic zero: it drops the term).
    public mutating func multiply(_ a: Term, _ b: Term) -> Term {
        switch (a, b) {
        case let (.number(x), .number(y)): return .number(x * y)
        case (.number(0), _), (_, .number(0)): return .number(0)
        case (.number(1), let t), (let t, .number(1)): return t
        case (.number(-1), .node(let n)), (.node(let n), .number(-1)): return .node(append(.negate, n))
        case let (.number(c), .node(n)), let (.node(n), .number(c)):
            return .node(append(.multiplyConstant, n, parameter: c))
        case let (.node(x), .node(y)): return .node(append(.multiply, x, y))
        }
    }

    /// Appends a unary op applied to a node term, or folds it on a number.
    public mutating func apply(_ op: Op, _ a: Term, parameter: Double = 0) -> Term {
        switch a {
        case .number(let x): return .number(op.evaluate(x, parameter: parameter).value)
        case .node(let n): return .node(append(op, n, parameter: parameter))
        }
    }
}
