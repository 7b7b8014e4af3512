/// Turns tokens into statements (this file) and expressions (`Parser+Expressions.swift`).
///
/// A hand-written recursive-descent parser. Every level of real nesting (a parenthesis, a call,
/// a unary operator, `^`, a block) passes through ``enterNesting(at:)``, which stops at
/// ``SceneLimits/maxNestingDepth`` with a diagnostic, so no input can overflow the stack.
/// Parsing stops at the first syntax error.
struct Parser {
    let source: SourceText
    let limits: SceneLimits
    var tokens: [Token]
    var position = 0
    var depth = 0
    /// Whether the statements being parsed are inside a `fn` body (where `return` is allowed).
    var insideFunction = false
    /// The offsets of the `{` of the blocks being parsed, innermost last, so that a missing `}`
    /// can be reported where it was opened.
    var openBlocks: [Int] = []
    var functions: [String: FunctionDefinition] = [:]
    /// Whether the statements being parsed are inside a `train` body (where `minimize` is allowed).
    var insideTraining = false
    /// Where the scene's `train` block starts, if it has one (a scene has at most one).
    var trainingStart: Int?

    init(source: SourceText, tokens: [Token], limits: SceneLimits) {
        self.source = source
        self.tokens = tokens
        self.limits = limits
    }

    /// Parses a whole scene.
    static func parseProgram(_ source: SourceText, limits: SceneLimits) throws(Diagnostic) -> Program {
        var parser = Parser(source: source, tokens: try Lexer.tokenize(source, limits: limits), limits: limits)
        let statements = try parser.parseStatements(untilBrace: false)
        return Program(statements: statements, functions: parser.functions)
    }

    // MARK: Tokens

    var current: Token { tokens[position] }

    mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    func check(_ symbol: Symbol) -> Bool { current.kind == .symbol(symbol) }

    func check(_ keyword: Keyword) -> Bool { current.kind == .keyword(keyword) }

    mutating func accept(_ symbol: Symbol) -> Bool {
        guard check(symbol) else { return false }
        advance()
        return true
    }

    func error(_ message: String, at offset: Int? = nil) -> Diagnostic {
        source.diagnostic(at: offset ?? current.start, message)
    }

    mutating func expect(_ symbol: Symbol, _ context: String) throws(Diagnostic) {
        guard accept(symbol) else {
            throw error("expected `\(symbol.rawValue)` \(context), found \(current.description)")
        }
    }

    mutating func expectName(_ context: String) throws(Diagnostic) -> Located<String> {
        guard case .name(let name) = current.kind else {
            if case .keyword(let keyword) = current.kind {
                throw error("`\(keyword.rawValue)` is a keyword and cannot be used as a name")
            }
            throw error("expected \(context), found \(current.description)")
        }
        let located = Located(value: name, start: current.start)
        advance()
        return located
    }

    mutating func enterNesting(at offset: Int) throws(Diagnostic) {
        depth += 1
        if depth > limits.maxNestingDepth {
            throw error(
                "nesting deeper than \(limits.maxNestingDepth) levels (parentheses, operators, calls and blocks)",
                at: offset)
        }
    }

    /// The line of the innermost open block's `{`.
    private var openBlockLine: Int { source.line(of: openBlocks.last ?? 0) }

    mutating func skipSeparators() {
        while current.kind == .separator { advance() }
    }

    // MARK: Statements

    /// Statements up to the end of the file, or up to (not including) the `}` of a block.
    mutating func parseStatements(untilBrace: Bool) throws(Diagnostic) -> [Statement] {
        var statements: [Statement] = []
        skipSeparators()
        while true {
            if current.kind == .end {
                if untilBrace {
                    throw error("expected `}` to close the block opened on line \(openBlockLine), found end of file")
                }
                return statements
            }
            if check(.rightBrace) {
                if untilBrace { return statements }
                throw error("unexpected `}`: no block is open")
            }
            statements.append(try parseStatement(topLevel: !untilBrace && !insideFunction))
            switch current.kind {
            case .separator: skipSeparators()
            case .end: continue
            case .symbol(.rightBrace) where untilBrace: continue
            default:
                throw error("expected the end of the statement, found \(current.description)\(adjacencyHint())")
            }
        }
    }

    /// A hint for `2x` or `2(x + 1)`, which read as products to people but not to the parser.
    private func adjacencyHint() -> String {
        guard position > 0, case .number = tokens[position - 1].kind, tokens[position - 1].end == current.start
        else { return "" }
        switch current.kind {
        case .name, .symbol(.leftParen): return "; write `*` for a product, e.g. `2 * x`"
        default: return ""
        }
    }

    /// A block `{ … }` (its own nesting level).
    mutating func parseBlock(_ owner: String) throws(Diagnostic) -> [Statement] {
        guard check(.leftBrace) else {
            throw error("expected `{` to start the body of `\(owner)` on the same line, found \(current.description)")
        }
        try enterNesting(at: current.start)
        openBlocks.append(current.start)
        advance()
        let body = try parseStatements(untilBrace: true)
        advance()  // the `}`
        openBlocks.removeLast()
        depth -= 1
        return body
    }

    mutating func parseStatement(topLevel: Bool) throws(Diagnostic) -> Statement {
        let start = current.start
        switch current.kind {
        case .keyword(let keyword):
            if [.title, .input, .const, .output, .note, .fn].contains(keyword), !topLevel {
                let hint = insideFunction ? "" : "; is a `}` missing above?"
                throw error("`\(keyword.rawValue)` is only allowed at the top level of a scene, not inside a block or function\(hint)")
            }
            advance()
            switch keyword {
            case .title:
                guard case .string(let text) = current.kind else {
                    throw error("expected a string after `title`, e.g. `title \"My scene\"`")
                }
                advance()
                return .title(text, start: start)
            case .input:
                return .input(try parseDeclarations("input"))
            case .const:
                return .constant(try parseDeclarations("const"))
            case .output:
                var names = [try expectName("a name after `output`")]
                while accept(.comma) { names.append(try expectName("a name after `,`")) }
                return .output(names)
            case .note:
                let name = try expectName("a name after `note`")
                guard case .string(let text) = current.kind else {
                    throw error("expected a string after `note \(name.value)`, e.g. `note \(name.value) \"why\"`")
                }
                advance()
                return .note(name, text)
            case .fn:
                return .function(try parseFunction())
            case .repeat:
                let count = try parseValue("a repeat count")
                return .repeatLoop(count: count, body: try parseBlock("repeat"), start: start)
            case .for:
                return try parseFor(start: start)
            case .if:
                return try parseIf()
            case .return:
                guard insideFunction else { throw error("`return` is only allowed inside a `fn` body", at: start) }
                return .return(try parseValue("a value after `return`"), start: start)
            case .else:
                throw error("`else` without `if`", at: start)
            default:
                throw error("a statement cannot start with `\(keyword.rawValue)`", at: start)
            }
        case .name(let name):
            if let special = try parseContextualStatement(name, topLevel: topLevel) { return special }
            advance()
            let target = Located(value: name, start: start)
            let compound: ArithmeticOperator?
            switch current.kind {
            case .symbol(.assign): compound = nil
            case .symbol(.addAssign): compound = .add
            case .symbol(.subtractAssign): compound = .subtract
            case .symbol(.multiplyAssign): compound = .multiply
            case .symbol(.divideAssign): compound = .divide
            case .symbol(.leftParen):
                throw callOnItsOwn(name, at: start)
            default:
                if name == "while" {
                    throw error("`while` is not in the scene language: a loop runs a number of times fixed when the scene is "
                        + "traced; write `repeat N { … }` or `for i in 1...N { … }`, with an `if` inside for a condition", at: start)
                }
                if name == "def" {
                    throw error("`def` is Python's: a function is written `fn f(a) = a^2`, or `fn f(a) { …; return … }`", at: start)
                }
                throw error("expected `=` after `\(name)`, found \(current.description)")
            }
            advance()
            return .assign(target, compound: compound, value: try parseValue("a value after `=`"))
        default:
            throw error("expected a statement (such as `input x = 1`, `y = x * 2` or `output y`), found \(current.description)")
        }
    }

    /// `print(b)` as a statement: the advice to assign it only helps for a function that exists.
    private func callOnItsOwn(_ name: String, at start: Int) -> Diagnostic {
        let defined = Builtin(name: name) != nil || tokens.indices.dropLast().contains { index in
            tokens[index].kind == .keyword(.fn) && tokens[index + 1].kind == .name(name)
        }
        if defined { return error("a call on its own does nothing; assign it, e.g. `y = \(name)(…)`", at: start) }
        let shown = name == "print" ? "; gradflow shows every node's value itself (`gradflow trace`, `gradflow step`)" : ""
        return error("unknown function `\(name)`\(shown); the built-in functions are "
            + Builtin.names.joined(separator: ", "), at: start)
    }

    /// `name = value, name = value, …` after `input` or `const`.
    private mutating func parseDeclarations(_ keyword: String) throws(Diagnostic) -> [(name: Located<String>, value: Expression)] {
        var declarations: [(name: Located<String>, value: Expression)] = []
        repeat {
            let name = try expectName("a name after `\(keyword)`")
            guard accept(.assign) else {
                throw error("expected `=` and a value after `\(keyword) \(name.value)`, e.g. `\(keyword) \(name.value) = 1`")
            }
            declarations.append((name, try parseValue("a value")))
        } while accept(.comma)
        return declarations
    }

    private mutating func parseFunction() throws(Diagnostic) -> FunctionDefinition {
        let name = try expectName("a function name after `fn`")
        if Builtin(name: name.value) != nil {
            throw error("`\(name.value)` is a built-in function and cannot be redefined", at: name.start)
        }
        if let previous = functions[name.value] {
            throw error("function `\(name.value)` is already defined on line \(source.line(of: previous.name.start))", at: name.start)
        }
        try expect(.leftParen, "after the function name")
        var parameters: [Located<String>] = []
        if !check(.rightParen) {
            repeat {
                let parameter = try expectName("a parameter name")
                if parameters.contains(where: { $0.value == parameter.value }) {
                    throw error("parameter `\(parameter.value)` appears twice", at: parameter.start)
                }
                parameters.append(parameter)
            } while accept(.comma)
        }
        try expect(.rightParen, "after the parameters")
        insideFunction = true
        defer { insideFunction = false }
        let body: [Statement]
        if accept(.assign) {
            let value = try parseValue("the function's value after `=`")
            body = [.return(value, start: value.range.lowerBound)]
        } else if check(.leftBrace) {
            body = try parseBlock("fn \(name.value)")
        } else {
            throw error("expected `=` or `{` after `fn \(name.value)(…)`, found \(current.description)")
        }
        let definition = FunctionDefinition(name: name, parameters: parameters, body: body)
        functions[name.value] = definition
        return definition
    }

    private mutating func parseFor(start: Int) throws(Diagnostic) -> Statement {
        let variable = try expectName("a loop variable after `for`")
        guard check(.in) else { throw error("expected `in` after `for \(variable.value)`, found \(current.description)") }
        advance()
        let from = try parseValue("the start of the range")
        let inclusive: Bool
        if accept(.closedRange) {
            inclusive = true
        } else if accept(.halfOpenRange) {
            inclusive = false
        } else {
            var hint = ""
            if case .call(let call) = from.kind, call.name == "range" {
                hint = "; `range(n)` is Python's: write `for i in 0..<n`"
            }
            throw error("expected `...` or `..<` in the range, found \(current.description)\(hint)")
        }
        let to = try parseValue("the end of the range")
        let body = try parseBlock("for")
        return .forLoop(variable: variable, from: from, to: to, inclusive: inclusive, body: body, start: start)
    }

    private mutating func parseIf() throws(Diagnostic) -> Statement {
        let condition = try parseCondition()
        let then = try parseBlock("if")
        // `else` may follow the `}` on the next line.
        let afterBlock = position
        skipSeparators()
        guard check(.else) else {
            position = afterBlock
            return .conditional(condition: condition, then: then, otherwise: nil)
        }
        advance()
        if check(.if) {
            try enterNesting(at: current.start)
            advance()
            let nested = try parseIf()
            depth -= 1
            return .conditional(condition: condition, then: then, otherwise: [nested])
        }
        return .conditional(condition: condition, then: then, otherwise: try parseBlock("else"))
    }
}
