/// Checks a parsed scene before it runs: every call names a known function with the right
/// number of arguments, `grad`'s second argument is a name, and every name used is defined
/// somewhere in the scene.
///
/// These checks cover branches that are not taken at trace time too, so a typo in an `else`
/// is reported even when the `if` goes the other way, and all such problems are reported at
/// once. Whether a name is defined *before* it is used is checked as the scene runs, because
/// that depends on the order of execution.
struct Checker {
    let source: SourceText
    let functions: [String: FunctionDefinition]
    /// Every name that some statement defines (or that `gradflow eval` provides).
    let knownNames: Set<String>
    /// The message for a name that nothing defines.
    let unknownName: (String) -> String
    var diagnostics: [Diagnostic] = []

    /// All problems found, in source order.
    static func check(
        _ program: Program, source: SourceText, knownNames: Set<String>,
        unknownName: @escaping (String) -> String = Tracer.defaultUnknownNameMessage
    ) -> [Diagnostic] {
        var checker = Checker(source: source, functions: program.functions, knownNames: knownNames, unknownName: unknownName)
        checker.check(program.statements)
        return checker.diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    private mutating func check(_ statements: [Statement]) {
        for statement in statements {
            switch statement {
            case .input(let declarations), .constant(let declarations):
                for declaration in declarations { check(declaration.value) }
            case .assign(_, _, let value), .return(let value, _):
                check(value)
            case .function(let function):
                check(function.body)
            case .repeatLoop(let count, let body, _):
                check(count)
                check(body)
            case .forLoop(_, let from, let to, _, let body, _):
                check(from)
                check(to)
                check(body)
            case .conditional(let condition, let then, let otherwise):
                check(condition)
                check(then)
                check(otherwise ?? [])
            case .train(let block):
                check(block.steps)
                check(block.learningRate)
                if let momentum = block.momentum { check(momentum) }
                check(block.body)
            case .minimize(let name):
                if !knownNames.contains(name.value) { report(undefinedNameMessage(name.value), at: name.start) }
            case .title, .output, .note:
                break
            }
        }
    }

    private mutating func check(_ expression: Expression) {
        switch expression.kind {
        case .number:
            break
        case .name(let name):
            if !knownNames.contains(name), Builtin.constants[name] == nil {
                report(undefinedNameMessage(name), at: expression.range.lowerBound)
            }
        case .negate(let operand), .not(let operand):
            check(operand)
        case .chain(let first, let links):
            check(first)
            for link in links { check(link.operand) }
        case .power(let base, let exponent):
            check(base)
            check(exponent)
        case .comparison(let left, _, let right):
            check(left)
            check(right)
        case .logical(_, let operands):
            for operand in operands { check(operand) }
        case .call(let call):
            checkCall(call)
            for argument in call.arguments { check(argument) }
            for argument in call.namedArguments { check(argument.value) }
        case .list(let items):
            for item in items { check(item) }
        case .index(let base, let entries):
            check(base)
            for case .position(let position) in entries { check(position) }
        }
    }

    /// A name no statement defines: a function's name used as a value gets told to call it
    /// (`y = f + 1`, `minimize loss` where `loss` is a function); anything else is unknown.
    private func undefinedNameMessage(_ name: String) -> String {
        Self.functionUsedAsValue(name, functions: functions) ?? unknownName(name)
    }

    /// Why a function's name cannot stand where a value is meant (or, with `purpose`, where a node
    /// is named: "be an output"), with a call to write instead; nil when `name` is not a function.
    static func functionUsedAsValue(
        _ name: String, functions: [String: FunctionDefinition], purpose: String? = nil
    ) -> String? {
        let kind: String
        let call: String
        if let function = functions[name] {
            kind = "a function"
            call = "y = \(name)(\(function.parameters.map(\.value).joined(separator: ", ")))"
        } else if Builtin(name: name) != nil {
            kind = "a built-in function"
            call = "y = \(name)(x)"
        } else {
            return nil
        }
        let what = purpose.map { "not a node, so it cannot \($0)" } ?? "not a value"
        return "`\(name)` is \(kind), \(what); call it, e.g. `\(call)`, and use `y`"
    }

    private mutating func checkCall(_ call: Call) {
        for named in call.namedArguments {
            if let message = Builtin.namedArgumentProblem(named.name.value, in: call.name, isUserFunction: functions[call.name] != nil) {
                report(message, at: named.name.start)
            }
        }
        let count = call.arguments.count
        let given = count == 1 ? "1 argument" : "\(count) arguments"
        if let function = functions[call.name] {
            let expected = function.parameters.count
            if expected != count {
                report("`\(call.name)` takes \(expected == 1 ? "1 argument" : "\(expected) arguments") (\(function.parameters.map(\.value).joined(separator: ", "))), but \(given) \(count == 1 ? "was" : "were") given", at: call.nameStart)
            }
        } else if let builtin = Builtin(name: call.name) {
            if !builtin.accepts(count) {
                report("`\(call.name)` takes \(builtin.expectedArguments), but \(given) \(count == 1 ? "was" : "were") given", at: call.nameStart)
            } else if builtin == .grad, case .name = call.arguments[1].kind {
                // fine: grad(y, x)
            } else if builtin == .grad {
                report("the second argument of `grad` must be the name of a node, e.g. `grad(y, x)`", at: call.arguments[1].range.lowerBound)
            }
        } else {
            report("unknown function `\(call.name)`; the built-in functions are \(Builtin.names.joined(separator: ", "))", at: call.nameStart)
        }
    }

    private mutating func report(_ message: String, at offset: Int) {
        diagnostics.append(source.diagnostic(at: offset, message))
    }
}
