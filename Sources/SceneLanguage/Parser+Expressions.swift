/// Expressions, by precedence from loosest to tightest:
/// `or` < `and` < `not` < comparisons < `+ −` < `× ÷` < unary `−` < `^` < calls and atoms.
/// Conditions and values share this grammar; each context then checks which one it got, so that
/// `x + (a > 0)` or `if x { … }` get a precise diagnostic.
extension Parser {
    /// A value (not a condition); `what` names it in a diagnostic.
    mutating func parseValue(_ what: String) throws(Diagnostic) -> Expression {
        if case .separator = current.kind { throw error("expected \(what), found end of line") }
        if case .end = current.kind { throw error("expected \(what), found end of file") }
        let expression = try parseNested()
        try requireValue(expression)
        return expression
    }

    /// A condition such as `a > 0 and not b < 1`.
    mutating func parseCondition() throws(Diagnostic) -> Expression {
        let expression = try parseNested()
        try requireCondition(expression)
        return expression
    }

    func requireValue(_ expression: Expression) throws(Diagnostic) {
        if expression.isCondition {
            throw error("a comparison is not a value; comparisons only go in `if` conditions", at: expression.range.lowerBound)
        }
    }

    func requireCondition(_ expression: Expression) throws(Diagnostic) {
        if !expression.isCondition {
            throw error("expected a condition such as `x > 0`", at: expression.range.lowerBound)
        }
    }

    /// One nesting level: a whole expression inside parentheses, a call's argument, …
    private mutating func parseNested() throws(Diagnostic) -> Expression {
        try enterNesting(at: current.start)
        defer { depth -= 1 }
        return try parseLogical(.or)
    }

    private mutating func parseLogical(_ logical: Logical) throws(Diagnostic) -> Expression {
        let keyword: Keyword = logical == .or ? .or : .and
        let first = logical == .or ? try parseLogical(.and) : try parseNot()
        guard check(keyword) else { return first }
        try requireCondition(first)
        var operands = [first]
        while check(keyword) {
            advance()
            let operand = logical == .or ? try parseLogical(.and) : try parseNot()
            try requireCondition(operand)
            operands.append(operand)
        }
        return Expression(kind: .logical(logical, operands), range: first.range.lowerBound..<operands.last!.range.upperBound)
    }

    private mutating func parseNot() throws(Diagnostic) -> Expression {
        guard check(.not) else { return try parseComparison() }
        let start = current.start
        try enterNesting(at: start)
        defer { depth -= 1 }
        advance()
        let operand = try parseNot()
        try requireCondition(operand)
        return Expression(kind: .not(operand), range: start..<operand.range.upperBound)
    }

    private mutating func parseComparison() throws(Diagnostic) -> Expression {
        let left = try parseChain(multiplicative: false)
        guard let comparison = comparisonAtCurrent() else { return left }
        try requireValue(left)
        advance()
        let right = try parseChain(multiplicative: false)
        try requireValue(right)
        if comparisonAtCurrent() != nil {
            throw error("comparisons cannot be chained; combine them with `and`, e.g. `a < b and b < c`")
        }
        return Expression(kind: .comparison(left, comparison, right), range: left.range.lowerBound..<right.range.upperBound)
    }

    private func comparisonAtCurrent() -> Comparison? {
        guard case .symbol(let symbol) = current.kind else { return nil }
        return Comparison(rawValue: symbol.rawValue)
    }

    /// `a + b − c …` (or `a × b ÷ c …`), kept flat.
    private mutating func parseChain(multiplicative: Bool) throws(Diagnostic) -> Expression {
        let first = multiplicative ? try parseUnary() : try parseChain(multiplicative: true)
        var links: [Expression.ChainLink] = []
        while case .symbol(let symbol) = current.kind, let op = ArithmeticOperator(rawValue: symbol.rawValue),
              multiplicative == (op == .multiply || op == .divide || op == .matrixProduct)
        {
            let operatorStart = current.start
            advance()
            let operand = multiplicative ? try parseUnary() : try parseChain(multiplicative: true)
            try requireValue(operand)
            links.append(Expression.ChainLink(op: op, operatorStart: operatorStart, operand: operand))
        }
        guard let last = links.last else { return first }
        try requireValue(first)
        return Expression(kind: .chain(first, links), range: first.range.lowerBound..<last.operand.range.upperBound)
    }

    private mutating func parseUnary() throws(Diagnostic) -> Expression {
        if check(.plus) {
            throw error("unary `+` is not part of the language; just leave it out")
        }
        guard check(.minus) else { return try parsePower() }
        let start = current.start
        try enterNesting(at: start)
        defer { depth -= 1 }
        advance()
        let operand = try parseUnary()
        try requireValue(operand)
        return Expression(kind: .negate(operand), range: start..<operand.range.upperBound)
    }

    /// `base ^ exponent`, right-associative; the exponent may carry a sign (`x^-1`).
    private mutating func parsePower() throws(Diagnostic) -> Expression {
        let base = try parseIndexed()
        guard check(.caret) else { return base }
        try requireValue(base)
        try enterNesting(at: current.start)
        defer { depth -= 1 }
        advance()
        let exponent = try parseUnary()
        try requireValue(exponent)
        return Expression(kind: .power(base, exponent), range: base.range.lowerBound..<exponent.range.upperBound)
    }

    mutating func parsePrimary() throws(Diagnostic) -> Expression {
        let token = current
        switch token.kind {
        case .number(let value):
            advance()
            return Expression(kind: .number(value), range: token.start..<token.end)
        case .name(let name):
            advance()
            guard check(.leftParen) else { return Expression(kind: .name(name), range: token.start..<token.end) }
            return try parseCall(name, start: token.start)
        case .symbol(.leftParen):
            advance()
            let inner = try parseNested()
            guard check(.rightParen) else {
                throw error("expected `)` to close the `(` on line \(source.line(of: token.start)), found \(current.description)")
            }
            let end = current.end
            advance()
            return Expression(kind: inner.kind, range: token.start..<end)
        case .symbol(.leftBracket):
            return try parseList()
        case .keyword(let keyword):
            throw error("expected a value, found the keyword `\(keyword.rawValue)`")
        default:
            throw error("expected a value, found \(token.description)\(habitHint())")
        }
    }

    /// What a habit from Python or NumPy at the current token is written as here, as the end of
    /// a diagnostic (`x ** 2`, `sum(x, axis=1)`, `x[0:2]`), or "".
    func habitHint() -> String {
        guard position > 0 else { return "" }
        let previous = tokens[position - 1]
        switch (previous.kind, current.kind) {
        case (.symbol(.star), .symbol(.star)) where previous.end == current.start:
            return "; write `^` for a power, e.g. `x^2` (`**` is Python's)"
        case (.name(let name), .symbol(.assign)):
            return "; a named argument takes `:`, e.g. `\(name): 1`"
        case (_, .symbol(.colon)):
            return "; a slice such as `0:2` is not supported: index one position, or a whole axis with `:`"
        default:
            return ""
        }
    }

    private mutating func parseCall(_ name: String, start: Int) throws(Diagnostic) -> Expression {
        let open = current
        advance()
        var arguments: [Expression] = []
        var namedArguments: [(name: Located<String>, value: Expression)] = []
        if !check(.rightParen) {
            repeat {
                if case .name(let label) = current.kind, peekIsColon {
                    let name = Located(value: label, start: current.start)
                    advance()
                    advance()
                    namedArguments.append((name, try parseValue("the value of `\(label):`")))
                } else if let named = namedArguments.first {
                    throw error("an argument by position cannot follow the named argument `\(named.name.value):`; put it before", at: current.start)
                } else {
                    arguments.append(try parseValue("an argument"))
                }
            } while accept(.comma)
        }
        guard check(.rightParen) else {
            throw error("expected `,` or `)` in the call of `\(name)`, found \(current.description)\(habitHint())")
        }
        let close = current
        advance()
        let call = Call(name: name, nameStart: start, arguments: arguments, argumentsRange: open.end..<close.start,
                        namedArguments: namedArguments)
        return Expression(kind: .call(call), range: start..<close.end)
    }
}
