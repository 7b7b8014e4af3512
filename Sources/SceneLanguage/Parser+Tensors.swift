/// The tensor syntax: list literals `[1, 2]`, `[[1, 2], [3, 4]]`, `[a, b * 2]`, and indexing
/// `x[i]`, `A[i, j]`, `A[:, j]`.
extension Parser {
    /// Whether the token after the current one is `:` (a named argument such as `axis: 0`).
    var peekIsColon: Bool {
        position + 1 < tokens.count && tokens[position + 1].kind == .symbol(.colon)
    }

    /// `[e1, e2, …]`, the current token being `[`.
    mutating func parseList() throws(Diagnostic) -> Expression {
        let open = current
        try enterNesting(at: open.start)
        defer { depth -= 1 }
        advance()
        guard !check(.rightBracket) else {
            throw error("an empty list has no shape; write its entries, e.g. `[1, 2]`, or use `zeros(n)`")
        }
        var items: [Expression] = []
        repeat {
            if check(.rightBracket) { break }  // a trailing comma
            items.append(try parseValue("an entry of the list"))
        } while accept(.comma)
        guard check(.rightBracket) else {
            throw error("expected `,` or `]` in the list opened on line \(source.line(of: open.start)), found \(current.description)")
        }
        let end = current.end
        advance()
        return Expression(kind: .list(items), range: open.start..<end)
    }

    /// A primary followed by any number of `[…]` indices.
    mutating func parseIndexed() throws(Diagnostic) -> Expression {
        var expression = try parsePrimary()
        while check(.leftBracket) {
            let open = current
            try enterNesting(at: open.start)
            defer { depth -= 1 }
            try requireValue(expression)
            advance()
            var entries: [Expression.IndexEntry] = []
            repeat {
                if check(.colon) {
                    entries.append(.all(start: current.start))
                    advance()
                } else {
                    entries.append(.position(try parseValue("an index (a whole number, or `:` for a whole axis)")))
                }
            } while accept(.comma)
            guard check(.rightBracket) else {
                throw error("expected `,` or `]` to close the index opened on line \(source.line(of: open.start)), found \(current.description)\(habitHint())")
            }
            let end = current.end
            advance()
            expression = Expression(kind: .index(expression, entries), range: expression.range.lowerBound..<end)
        }
        return expression
    }
}
