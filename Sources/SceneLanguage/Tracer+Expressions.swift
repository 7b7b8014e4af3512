import Foundation
import GradFlow

/// Expressions: each evaluates to a ``Term``, a plain number or a recorded node.
///
/// Literals fold into the op that uses them (`x * 0.5` is one `multiplyConstant` node, `x^2` a
/// `powerConstant`, `2 - x` a `constantSubtract`), and an expression of numbers only is a
/// number. Unlike the engine's derivative builder, no op is dropped: `x * 1` is still a node,
/// because the user wrote it and may want to see it.
extension Tracer {
    mutating func evaluate(_ expression: Expression) throws(Diagnostic) -> Term {
        evaluationDepth += 1
        defer { evaluationDepth -= 1 }
        if evaluationDepth > evaluationLimit { throw tooDeep(at: expression.range.lowerBound) }
        let result: Term
        switch expression.kind {
        case .number(let value):
            result = .number(value)
        case .name(let name):
            result = try lookup(Located(value: name, start: expression.range.lowerBound))
        case .negate(let operand):
            result = negate(try evaluate(operand))
        case .chain(let first, let links):
            var accumulated = try evaluate(first)
            for link in links {
                accumulated = try combine(link.op, accumulated, try evaluate(link.operand), at: link.operatorStart)
            }
            result = accumulated
        case .power(let base, let exponent):
            result = try powerOfTerms(try evaluate(base), try evaluate(exponent), at: exponent.range.lowerBound)
        case .list(let items):
            result = try evaluateList(items, range: expression.range)
        case .index(let base, let entries):
            result = try evaluateIndex(base, entries, range: expression.range)
        case .call(let call):
            result = try evaluateCall(call, range: expression.range)
        case .comparison, .logical, .not:
            // The parser only lets conditions appear where a condition is expected.
            throw error("a comparison is not a value", at: expression.range.lowerBound)
        }
        if recording, graph.count > limits.maxNodes {
            throw error("the scene makes more than \(limits.maxNodes) nodes (raise the limit with --max-nodes)", at: expression.range.lowerBound)
        }
        if graph.tensorStorage.elementCount > limits.maxTensorElements { throw tooManyTensorElements(at: expression.range.lowerBound) }
        return result
    }

    /// The bound on the tracer's recursion (expressions, statements and conditions, through
    /// function calls) on the usual 1 GiB stack of ``LargeStack``; a smaller stack lowers it
    /// (``evaluationLimit``). Only recursion through thousands of calls gets near it.
    static let maxEvaluationDepth = 20_000

    func tooDeep(at offset: Int) -> Diagnostic {
        error("evaluation nested more than \(evaluationLimit) levels deep through function calls and blocks", at: offset)
    }

    /// The value a name is bound to in the current scope (or the top level).
    mutating func lookup(_ name: Located<String>) throws(Diagnostic) -> Term {
        let slot = nameSlots.slot(name.value, at: name.start)
        guard let term = binding(slot, inScope: scopes.count - 1).term ?? binding(slot, inScope: 0).term else {
            switch whyUndefined(name.value, at: name.start) {
            case .furtherDown?: throw error("`\(name.value)` is used before it is defined", at: name.start)
            case .inBlockNotRun?: throw error("`\(name.value)` has no value here: \(Undefined.blockNotRun)", at: name.start)
            case .loopVariable(let line)?:
                throw error("`\(name.value)` has no value here: it is the variable of the `for` loop on line \(line) and exists only inside that loop", at: name.start)
            case nil: break
            }
            // A constant is a plain number, so it folds into the op that uses it as a literal does.
            if let constant = Builtin.constants[name.value] { return .number(constant) }
            throw error(unknownNameHint(name.value), at: name.start)
        }
        if !recording, case .node(let node) = term {
            if graph.isTensor(node) { throw tensorWithoutRecording(at: name.start) }
            return .number(graph.values[node])
        }
        return term
    }

    /// The node a name refers to, for `output` and `note`.
    mutating func lookupNode(_ name: Located<String>, _ what: String) throws(Diagnostic) -> NodeID {
        let slot = nameSlots.slot(name.value, at: name.start)
        if binding(slot, inScope: scopes.count - 1).term == nil, binding(slot, inScope: 0).term == nil {
            let defined = switch whyUndefined(name.value, at: name.start) {
            case .furtherDown?: "yet (it is defined further down)"
            case .inBlockNotRun?: "here (\(Undefined.blockNotRun))"
            case .loopVariable(let line)?: "here (it is the variable of the `for` loop on line \(line) and exists only inside that loop)"
            case nil: "in the scene"
            }
            if defined == "in the scene",
               let message = Checker.functionUsedAsValue(name.value, functions: functions, purpose: what) {
                throw error(message, at: name.start)
            }
            throw error("`\(name.value)` names nothing \(defined), so it cannot \(what)", at: name.start)
        }
        guard case .node(let node) = try lookup(name) else {
            throw error("`\(name.value)` is a plain number, not a node, so it cannot \(what)", at: name.start)
        }
        return node
    }

    /// The value of an expression computed without recording anything (counts, seeds, conditions).
    mutating func valueWithoutRecording(_ expression: Expression) throws(Diagnostic) -> Double {
        let wasRecording = recording
        recording = false
        defer { recording = wasRecording }
        do {
            return try evaluate(expression).value(in: graph)
        } catch {
            // Tensors are computed by recording them: `x[0] > 0` is worked out on a copy of the
            // tracer (Tracer+Tensors.swift). An expression without tensors never gets here.
            guard error.message == Self.tensorWithoutRecordingMessage else { throw error }
            return try valueThroughTensors(expression)
        }
    }

    /// Decides an `if` condition on the current values.
    mutating func decide(_ condition: Expression) throws(Diagnostic) -> Bool {
        evaluationDepth += 1
        defer { evaluationDepth -= 1 }
        if evaluationDepth > evaluationLimit { throw tooDeep(at: condition.range.lowerBound) }
        switch condition.kind {
        case .comparison(let left, let comparison, let right):
            return comparison.holds(try valueWithoutRecording(left), try valueWithoutRecording(right))
        case .logical(.and, let operands):
            for operand in operands where !(try decide(operand)) { return false }
            return true
        case .logical(.or, let operands):
            for operand in operands where try decide(operand) { return true }
            return false
        case .not(let operand):
            return !(try decide(operand))
        default:
            throw error("expected a condition such as `x > 0`", at: condition.range.lowerBound)
        }
    }

    // MARK: Arithmetic

    /// `node op number` or `number op node` as the op that carries the number as its constant
    /// (`x − 3` is `addConstant` with −3), for scalar and elementwise tensor recording alike.
    static func constantForm(_ op: ArithmeticOperator, _ a: Term, _ b: Term) -> (op: Op, node: NodeID, constant: Double)? {
        switch (op, a, b) {
        case let (.add, .node(n), .number(c)), let (.add, .number(c), .node(n)): (.addConstant, n, c)
        case let (.subtract, .node(n), .number(c)): (.addConstant, n, -c)
        case let (.subtract, .number(c), .node(n)): (.constantSubtract, n, c)
        case let (.multiply, .node(n), .number(c)), let (.multiply, .number(c), .node(n)): (.multiplyConstant, n, c)
        case let (.divide, .node(n), .number(c)): (.divideByConstant, n, c)
        case let (.divide, .number(c), .node(n)): (.constantDivide, n, c)
        default: nil
        }
    }

    mutating func arithmetic(_ op: ArithmeticOperator, _ a: Term, _ b: Term) -> Term {
        if let form = Self.constantForm(op, a, b) {
            return .node(graph.append(form.op, form.node, parameter: form.constant))
        }
        switch (op, a, b) {
        case let (.add, .number(x), .number(y)): return .number(x + y)
        case let (.subtract, .number(x), .number(y)): return .number(x - y)
        case let (.multiply, .number(x), .number(y)): return .number(x * y)
        case let (.divide, .number(x), .number(y)): return .number(x / y)
        case (.matrixProduct, _, _):
            preconditionFailure("@ is recorded by matrixProduct(_:_:at:), which combine(_:_:_:at:) calls")
        case let (_, .node(x), .node(y)):
            let binary: Op = switch op {
            case .add: .add
            case .subtract: .subtract
            case .multiply: .multiply
            case .divide: .divide
            case .matrixProduct: preconditionFailure("@ is recorded by matrixProduct(_:_:at:)")
            }
            return .node(graph.append(binary, x, y))
        default:
            preconditionFailure("a node and a number are recorded through constantForm above")
        }
    }

    mutating func negate(_ a: Term) -> Term {
        switch a {
        case .number(let x): .number(-x)
        case .node(let n): .node(graph.isTensor(n) ? graph.appendElementwise(.negate, n) : graph.append(.negate, n))
        }
    }

    /// `a ^ b`: a constant exponent gives the power rule alone (`powerConstant`), a constant
    /// base `constantPower`, and two nodes the general `power`.
    mutating func power(_ a: Term, _ b: Term) -> Term {
        switch (a, b) {
        case let (.number(x), .number(y)): .number(Foundation.pow(x, y))
        case let (.node(n), .number(c)): .node(graph.append(.powerConstant, n, parameter: c))
        case let (.number(c), .node(n)): .node(graph.append(.constantPower, n, parameter: c))
        case let (.node(x), .node(y)): .node(graph.append(.power, x, y))
        }
    }

    /// A node for a term: a plain number becomes an unnamed constant leaf (for the operands of
    /// `max`, `min`, `sum` and `mean`, which have no constant-parameter form).
    mutating func node(for term: Term) -> NodeID {
        switch term {
        case .node(let node): node
        case .number(let value): graph.appendLeaf(.constant, value: value)
        }
    }
}
