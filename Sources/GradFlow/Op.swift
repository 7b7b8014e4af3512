import Foundation

/// The operations a recorded node can have, each described once in ``Op/rule``.
///
/// Ops whose name ends in `Constant` (or starts with `constant`) carry one plain number, the
/// node's ``Graph/parameters`` entry, so that a literal such as the `2` in `x^2` or the `0.5` in
/// `v * 0.5` is part of the op rather than a node of its own: it gets no adjoint and no row in
/// the trace, exactly as in the survey's tables.
///
/// Adding an op: a case here, its value and partials in ``Op/evaluate(_:_:parameter:)``, its
/// rule in ``Op/makeRule(_:)``, a row in `OpTableTests`, and (for the Swift API) a function in
/// `Tape.swift`. The raw values are the order of the cases, so new
/// ops go at the end.
public enum Op: UInt8, CaseIterable, Sendable {
    case input, constant
    case add, subtract, multiply, divide, negate
    case power, powerConstant, constantPower
    case addConstant, constantSubtract, multiplyConstant, divideByConstant, constantDivide
    case exp, ln, sin, cos, tan, tanh, sigmoid, relu, sqrt, abs
    case max, min
    case sum, mean
    case softplus
    case log2, log10
    /// The value passes, the gradient does not (PyTorch's `detach`, JAX's `stop_gradient`).
    case detach
    /// A tensor operation: what it computes and its vector–Jacobian product are in the graph's
    /// ``Graph/tensorStorage`` (``TensorOp``), not in this scalar table.
    case tensor

    /// This op's whole description.
    @inlinable public var rule: OpRule { Op.rules[Int(rawValue)] }

    /// Every op's rule, indexed by raw value: recording a node looks its op up here.
    @usableFromInline static let rules: [OpRule] = allCases.map(makeRule)

    /// The value and the local partials ∂value/∂a and ∂value/∂b of a unary or binary op.
    ///
    /// The one place each op's numbers are defined; its rule's ``OpRule/evaluate`` calls this.
    /// A `switch` rather than a closure in the table because recording a node calls it: with
    /// the op known at the call site (`graph.append(.multiply, …)`, every `Tape` operator) the
    /// switch folds to the op's few instructions, where the table's closure cost a lookup, a
    /// retain and release of the closure and an indirect call — about 50 instructions a node,
    /// a fifth of recording and sweeping the W1 chain through the `Graph` API.
    ///
    /// - Parameters:
    ///   - a: the first operand's value.
    ///   - b: the second operand's value (ignored by unary ops).
    ///   - c: the op's constant parameter (ignored by ops without one).
    /// - Returns: the value and the partials; `db` is 0 for unary ops.
    @inlinable
    public func evaluate(_ a: Double, _ b: Double = 0, parameter c: Double = 0) -> (value: Double, da: Double, db: Double) {
        switch self {
        case .input, .constant: return (a, 0, 0)
        case .add: return (a + b, 1, 1)
        case .subtract: return (a - b, 1, -1)
        case .multiply: return (a * b, b, a)
        case .divide: return (a / b, 1 / b, -a / (b * b))
        case .negate: return (-a, -1, 0)
        case .power:
            let value = Foundation.pow(a, b)
            // The exponent's partial a^b·ln a is only defined for a > 0; at a == 0 the limit
            // along the real line is 0 whenever the value itself is 0.
            let db = value == 0 ? 0 : value * Foundation.log(a)
            return (value, b * Foundation.pow(a, b - 1), db)
        case .powerConstant:
            return (Foundation.pow(a, c), c == 0 ? 0 : c * Foundation.pow(a, c - 1), 0)
        case .constantPower:
            let value = Foundation.pow(c, a)
            return (value, value == 0 ? 0 : value * Foundation.log(c), 0)
        case .addConstant: return (a + c, 1, 0)
        case .constantSubtract: return (c - a, -1, 0)
        case .multiplyConstant: return (c * a, c, 0)
        case .divideByConstant: return (a / c, 1 / c, 0)
        case .constantDivide: return (c / a, -c / (a * a), 0)
        case .exp:
            let value = Foundation.exp(a)
            return (value, value, 0)
        case .ln: return (Foundation.log(a), 1 / a, 0)
        case .sin: return (Foundation.sin(a), Foundation.cos(a), 0)
        case .cos: return (Foundation.cos(a), -Foundation.sin(a), 0)
        case .tan:
            let value = Foundation.tan(a)
            return (value, 1 + value * value, 0)
        case .tanh:
            let value = Foundation.tanh(a)
            return (value, 1 - value * value, 0)
        case .sigmoid:
            let value = Op.logistic(a)
            return (value, value * (1 - value), 0)
        case .relu: return (a > 0 ? a : 0, a > 0 ? 1 : 0, 0)
        case .sqrt:
            let value = Foundation.sqrt(a)
            return (value, 0.5 / value, 0)
        case .abs: return (Swift.abs(a), a > 0 ? 1 : (a < 0 ? -1 : 0), 0)
        // Ties send the whole derivative to the first operand, as PyTorch's subgradient does not
        // split it either; documented in docs/scene-language.md.
        case .max: return a >= b ? (a, 1, 0) : (b, 0, 1)
        case .min: return a <= b ? (a, 1, 0) : (b, 0, 1)
        case .sum, .mean:
            preconditionFailure("variadic ops are evaluated by Graph.appendVariadic")
        case .softplus:
            // ln(1 + eᵃ), written so that neither tail overflows; its derivative is the logistic.
            return (Swift.max(a, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(a))), Op.logistic(a), 0)
        // ∂log₂(a)/∂a = 1/(a ln 2).
        case .log2: return (Foundation.log2(a), 1 / (a * M_LN2), 0)
        case .log10: return (Foundation.log10(a), 1 / (a * M_LN10), 0)
        // The recorded partial is 0, so no gradient flows back through it.
        case .detach: return (a, 0, 0)
        // Tensor ops are evaluated by the graph's tensor recording, never through this table.
        case .tensor: preconditionFailure("tensor ops are evaluated by Graph's tensor recording")
        }
    }

    /// ``evaluate(_:_:parameter:)`` as the op rule's ``OpRule/evaluate``.
    var evaluator: OpRule.Evaluate { { a, b, c in self.evaluate(a, b, parameter: c) } }

    /// The value of the variadic `sum` or `mean` of `values`.
    public func combine(_ values: [Double]) -> Double {
        precondition(self == .sum || self == .mean, "combine takes .sum or .mean")
        let total = values.reduce(0, +)
        return self == .mean ? total / Double(values.count) : total
    }

    /// Whether the node is a leaf (no operands).
    @inlinable public var isLeaf: Bool { self == .input || self == .constant }
    /// See ``OpRule/hasParameter``.
    public var hasParameter: Bool { rule.hasParameter }
    /// See ``OpRule/arity``.
    public var arity: Int? { rule.arity }
    /// The name a scene calls the op by (`tanh`, `pow`); nil for ops written with an operator.
    public var sceneName: String? { rule.sceneNames.first }
    /// See ``OpRule/symbol``.
    public var symbol: String { rule.symbol }

    /// The op a scene calls by `name` (`log` is `ln`), if any.
    public static func named(_ name: String) -> Op? { byName[name] }

    private static let byName: [String: Op] = Dictionary(
        uniqueKeysWithValues: allCases.flatMap { op in op.rule.sceneNames.map { ($0, op) } })

    /// The logistic function, written so that it neither overflows nor loses precision for large |x|.
    @inlinable
    public static func logistic(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }

    /// A constant with a leading minus, including −0 (`x - 0` is recorded as `x + (−0)`).
    static func isNegative(_ c: Double) -> Bool { c < 0 || (c == 0 && c.sign == .minus) }

    // MARK: The table

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    static func makeRule(_ op: Op) -> OpRule {
        switch op {
        case .input, .constant:
            return OpRule(arity: 0, symbol: op == .input ? "input" : "const",
                          evaluate: op.evaluator, partialFormula: { _, _ in "0" })
        case .add:
            return OpRule(arity: 2, symbol: "+", evaluate: op.evaluator,
                          formula: { "\($0.a) + \($0.b)" }, partialFormula: { _, _ in "1" })
        case .subtract:
            return OpRule(arity: 2, symbol: "−", evaluate: op.evaluator,
                          formula: { "\($0.a) − \($0.b)" }, partialFormula: { _, i in i == 0 ? "1" : "−1" })
        case .multiply:
            return OpRule(arity: 2, symbol: "×", evaluate: op.evaluator,
                          formula: { "\($0.a) · \($0.b)" }, partialFormula: { f, i in i == 0 ? f.b : f.a },
                          symbolicPartial: { _, p in .node(p.operands[1 - p.index]) })
        case .divide:
            return OpRule(
                arity: 2, symbol: "÷", evaluate: op.evaluator,
                formula: { "\($0.a) / \($0.b)" }, partialFormula: { f, i in i == 0 ? "1 / \(f.b)" : "−\(f.a) / \(f.b)^2" },
                symbolicPartial: { g, p in
                    // ∂(a/b)/∂a = 1/b; ∂(a/b)/∂b = −(a/b)/b.
                    p.index == 0 ? g.apply(.constantDivide, .node(p.b), parameter: 1)
                        : g.apply(.negate, .node(g.append(.divide, p.node, p.b)))
                })
        case .negate:
            return OpRule(arity: 1, symbol: "−", evaluate: op.evaluator,
                          formula: { "−\($0.a)" }, partialFormula: { _, _ in "−1" })
        case .power:
            return OpRule(
                arity: 2, sceneNames: ["pow"], operandRoles: ["base", "exponent"], symbol: "^",
                evaluate: op.evaluator,
                formula: { "\($0.a)^\($0.b)" },
                partialFormula: { f, i in i == 0 ? "\(f.b) · \(f.a)^(\(f.b) − 1)" : "\(f.node) · ln(\(f.a))" },
                symbolicPartial: { g, p in
                    guard p.index == 0 else { return g.multiply(.node(p.node), g.apply(.ln, .node(p.a))) }
                    guard case .node(let e) = g.apply(.addConstant, .node(p.b), parameter: -1) else { return p.recorded }
                    return g.multiply(.node(p.b), .node(g.append(.power, p.a, e)))
                })
        case .powerConstant:
            // `a ^ c`: the power rule alone, so a negative base never produces NaN.
            return OpRule(
                arity: 1, hasParameter: true, symbol: "^", caption: { c, format in "^" + format.string(c) },
                evaluate: op.evaluator,
                formula: { "\($0.a)^\($0.constant)" },
                partialFormula: { f, _ in
                    switch f.parameter {
                    case 0: "0"
                    case 1: "1"
                    case 2: "2 · \(f.a)"
                    default: "\(f.constant) · \(f.a)^\(f.format.string(f.parameter - 1))"
                    }
                },
                symbolicPartial: { g, p in
                    switch p.parameter {
                    case 0: .number(0)
                    case 1: .number(1)
                    case 2: g.multiply(.number(2), .node(p.a))
                    default: g.multiply(.number(p.parameter), g.apply(.powerConstant, .node(p.a), parameter: p.parameter - 1))
                    }
                })
        case .constantPower:
            return OpRule(
                arity: 1, hasParameter: true, symbol: "^", caption: { c, format in format.string(c) + "^" },
                evaluate: op.evaluator,
                formula: { "\($0.constant)^\($0.a)" }, partialFormula: { f, _ in "ln(\(f.constant)) · \(f.node)" },
                symbolicPartial: { g, p in g.multiply(.number(Foundation.log(p.parameter)), .node(p.node)) })
        case .addConstant:
            // `a + c`, and `a − c` stored with `c` negated.
            return OpRule(
                arity: 1, hasParameter: true, symbol: "+",
                caption: { c, format in isNegative(c) ? "− " + format.string(-c) : "+ " + format.string(c) },
                evaluate: op.evaluator,
                formula: { f in isNegative(f.parameter) ? "\(f.a) − \(f.format.string(-f.parameter))" : "\(f.a) + \(f.constant)" },
                partialFormula: { _, _ in "1" })
        case .constantSubtract:
            return OpRule(arity: 1, hasParameter: true, symbol: "−", caption: { c, format in format.string(c) + " −" },
                          evaluate: op.evaluator,
                          formula: { "\($0.constant) − \($0.a)" }, partialFormula: { _, _ in "−1" })
        case .multiplyConstant:
            return OpRule(arity: 1, hasParameter: true, symbol: "×", caption: { c, format in "× " + format.string(c) },
                          evaluate: op.evaluator,
                          formula: { "\($0.constant) · \($0.a)" }, partialFormula: { f, _ in f.constant })
        case .divideByConstant:
            return OpRule(arity: 1, hasParameter: true, symbol: "÷", caption: { c, format in "÷ " + format.string(c) },
                          evaluate: op.evaluator,
                          formula: { "\($0.a) / \($0.constant)" }, partialFormula: { f, _ in "1 / \(f.constant)" })
        case .constantDivide:
            return OpRule(
                arity: 1, hasParameter: true, symbol: "÷", caption: { c, format in format.string(c) + " ÷" },
                evaluate: op.evaluator,
                formula: { "\($0.constant) / \($0.a)" }, partialFormula: { f, _ in "−\(f.constant) / \(f.a)^2" },
                // ∂(c/a)/∂a = −(c/a)/a.
                symbolicPartial: { g, p in g.apply(.negate, .node(g.append(.divide, p.node, p.a))) })
        case .exp:
            return OpRule(arity: 1, sceneNames: ["exp"], evaluate: op.evaluator,
                          partialFormula: { f, _ in f.node }, symbolicPartial: { _, p in .node(p.node) })
        case .ln:
            return OpRule(arity: 1, sceneNames: ["ln", "log"], evaluate: op.evaluator,
                          partialFormula: { f, _ in "1 / \(f.a)" },
                          symbolicPartial: { g, p in g.apply(.constantDivide, .node(p.a), parameter: 1) })
        case .sin:
            return OpRule(arity: 1, sceneNames: ["sin"], evaluate: op.evaluator,
                          partialFormula: { f, _ in "cos(\(f.a))" }, symbolicPartial: { g, p in g.apply(.cos, .node(p.a)) })
        case .cos:
            return OpRule(arity: 1, sceneNames: ["cos"], evaluate: op.evaluator,
                          partialFormula: { f, _ in "−sin(\(f.a))" },
                          symbolicPartial: { g, p in g.apply(.negate, g.apply(.sin, .node(p.a))) })
        case .tan:
            return OpRule(arity: 1, sceneNames: ["tan"], evaluate: op.evaluator,
                          partialFormula: { f, _ in "1 + \(f.node)^2" },
                          symbolicPartial: { g, p in
                              g.apply(.addConstant, g.apply(.powerConstant, .node(p.node), parameter: 2), parameter: 1)
                          })
        case .tanh:
            return OpRule(arity: 1, sceneNames: ["tanh"], evaluate: op.evaluator,
                          partialFormula: { f, _ in "1 − \(f.node)^2" },
                          symbolicPartial: { g, p in
                              g.apply(.constantSubtract, g.apply(.powerConstant, .node(p.node), parameter: 2), parameter: 1)
                          })
        case .sigmoid:
            return OpRule(arity: 1, sceneNames: ["sigmoid"], evaluate: op.evaluator,
                          partialFormula: { f, _ in "\(f.node) · (1 − \(f.node))" },
                          symbolicPartial: { g, p in g.multiply(.node(p.node), g.apply(.constantSubtract, .node(p.node), parameter: 1)) })
        case .relu:
            return OpRule(arity: 1, sceneNames: ["relu"], evaluate: op.evaluator,
                          partialFormula: { f, _ in "[\(f.a) > 0]" }, kink: { a, _ in a })
        case .sqrt:
            return OpRule(arity: 1, sceneNames: ["sqrt"], evaluate: op.evaluator,
                          partialFormula: { f, _ in "1 / (2 · \(f.node))" },
                          symbolicPartial: { g, p in g.apply(.constantDivide, .node(p.node), parameter: 0.5) })
        case .abs:
            return OpRule(arity: 1, sceneNames: ["abs"], evaluate: op.evaluator,
                          partialFormula: { f, _ in "sign(\(f.a))" }, kink: { a, _ in a })
        // Ties send the whole derivative to the first operand, as PyTorch's subgradient does not
        // split it either; documented in docs/scene-language.md.
        case .max:
            return OpRule(arity: 2, sceneNames: ["max"], evaluate: op.evaluator,
                          partialFormula: { f, i in i == 0 ? "[\(f.a) ≥ \(f.b)]" : "[\(f.b) > \(f.a)]" }, kink: { a, b in a - b })
        case .min:
            return OpRule(arity: 2, sceneNames: ["min"], evaluate: op.evaluator,
                          partialFormula: { f, i in i == 0 ? "[\(f.a) ≤ \(f.b)]" : "[\(f.b) < \(f.a)]" }, kink: { a, b in a - b })
        case .sum, .mean:
            // Variadic: `Graph.appendVariadic` adds the operands and records 1 (or 1/n) for each.
            return OpRule(arity: nil, sceneNames: [op == .sum ? "sum" : "mean"],
                          evaluate: op.evaluator,
                          partialFormula: { f, _ in op == .sum ? "1" : "1 / \(f.operands.count)" })
        case .softplus:
            // ln(1 + eᵃ), written so that neither tail overflows; its derivative is the logistic.
            return OpRule(arity: 1, sceneNames: ["softplus"],
                          evaluate: op.evaluator,
                          partialFormula: { f, _ in "sigmoid(\(f.a))" }, symbolicPartial: { g, p in g.apply(.sigmoid, .node(p.a)) })
        case .log2:
            // ∂log₂(a)/∂a = 1/(a ln 2), built as the constant 1/ln 2 divided by a.
            return OpRule(arity: 1, sceneNames: ["log2"], evaluate: op.evaluator,
                          partialFormula: { f, _ in "1 / (\(f.a) · ln 2)" },
                          symbolicPartial: { g, p in g.apply(.constantDivide, .node(p.a), parameter: 1 / M_LN2) })
        case .log10:
            return OpRule(arity: 1, sceneNames: ["log10"], evaluate: op.evaluator,
                          partialFormula: { f, _ in "1 / (\(f.a) · ln 10)" },
                          symbolicPartial: { g, p in g.apply(.constantDivide, .node(p.a), parameter: 1 / M_LN10) })
        case .detach:
            // The recorded partial is 0, so no gradient flows back through it, in any sweep and
            // in grad's nodes alike; every view draws its incoming edge as a barrier.
            return OpRule(arity: 1, sceneNames: ["detach"], evaluate: op.evaluator,
                          partialFormula: { _, _ in "0 (detached)" }, stopsGradient: true)
        case .tensor:
            return OpRule(arity: nil, symbol: "tensor", evaluate: op.evaluator,
                          partialFormula: { _, _ in "(a vector–Jacobian product)" })
        }
    }
}
