/// Turns a scene's scalars into tokens.
///
/// A line break becomes a ``Token/Kind/separator`` unless it is inside parentheses or follows
/// a token that cannot end a statement (a binary operator, a comma, `=`), so long expressions
/// can be wrapped. Runs of separators collapse into one. The loop is linear in the input and
/// never recurses, so no byte sequence can make it overflow or hang.
struct Lexer {
    let source: SourceText
    let limits: SceneLimits
    private var offset = 0
    private var tokens: [Token] = []
    private var parenthesisDepth = 0
    private var sawNonASCIIName = false

    init(source: SourceText, limits: SceneLimits) {
        self.source = source
        self.limits = limits
    }

    /// All tokens, ending with ``Token/Kind/end``.
    static func tokenize(_ source: SourceText, limits: SceneLimits) throws(Diagnostic) -> [Token] {
        var lexer = Lexer(source: source, limits: limits)
        return try lexer.run()
    }

    private var scalars: [Unicode.Scalar] { source.scalars }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        offset + ahead < scalars.count ? scalars[offset + ahead] : nil
    }

    private mutating func run() throws(Diagnostic) -> [Token] {
        // A byte-order mark at the very start is not part of the scene.
        if peek() == "\u{FEFF}" { offset += 1 }
        let tokenLimit = Lexer.tokenLimit(for: limits)
        while let scalar = peek() {
            let start = offset
            // A file just under the size limit is tens of millions of tokens (3 GB of them);
            // no scene within the node limit needs that many.
            if tokens.count > tokenLimit {
                throw source.diagnostic(at: start, "the scene has more than \(tokenLimit) words, numbers and symbols, "
                    + "far more than \(limits.maxNodes) nodes need (raise the limit with --max-nodes)")
            }
            switch scalar {
            case " ", "\t", "\r":
                offset += 1
            case "\n":
                offset += 1
                lineBreak(at: start)
            case "#":
                while let next = peek(), next != "\n" { offset += 1 }
            case ";":
                offset += 1
                if let last = tokens.last, last.kind != .separator {
                    tokens.append(Token(kind: .separator, start: start, end: offset))
                }
            case "\"":
                try lexString()
            case "0"..."9":
                try lexNumber()
            case ".":
                if let next = peek(1), ("0"..."9").contains(next) {
                    try lexNumber()
                } else if peek(1) == ".", peek(2) == "." {
                    offset += 3
                    emit(.symbol(.closedRange), from: start)
                } else if peek(1) == ".", peek(2) == "<" {
                    offset += 3
                    emit(.symbol(.halfOpenRange), from: start)
                } else if peek(1) == "." {
                    throw source.diagnostic(at: start, "unexpected `..`; a range is written `1...3` (3 included) or `1..<3` (3 excluded)")
                } else if offset > 0, let before = peek(-1), Lexer.continuesName(before) || before == ")" {
                    throw source.diagnostic(at: start, "unexpected `.`: a scene has no methods or modules; write `transpose(W)` for `W.T`, `exp(x)` for `np.exp(x)`")
                } else {
                    throw source.diagnostic(at: start, "unexpected `.`")
                }
            default:
                if Lexer.startsName(scalar) {
                    try lexName()
                } else {
                    try lexSymbol(scalar)
                }
            }
        }
        tokens.append(Token(kind: .end, start: scalars.count, end: scalars.count))
        if sawNonASCIIName { try checkLookalikeNames() }
        return tokens
    }

    /// Two different names that look the same (`v` and Greek `ν`): the later one is an error.
    /// Only a scene with a non-ASCII name pays for the check.
    private func checkLookalikeNames() throws(Diagnostic) {
        var first: [String: (name: String, start: Int)] = [:]
        var checked = Set<String>()
        for token in tokens {
            // A name's later uses can only meet the name itself: each is folded once.
            guard case .name(let name) = token.kind, checked.insert(name).inserted else { continue }
            let skeleton = NameSafety.skeleton(of: name)
            guard let earlier = first[skeleton] else { first[skeleton] = (name, token.start); continue }
            if earlier.name != name {
                let place = source.diagnostic(at: earlier.start, "")
                throw source.diagnostic(at: token.start, NameSafety.lookalike(
                    name, of: earlier.name, at: "line \(place.line), column \(place.column)"))
            }
        }
    }

    /// The most tokens read: 16 per node allowed, and at least a million.
    static func tokenLimit(for limits: SceneLimits) -> Int {
        let (product, overflow) = limits.maxNodes.multipliedReportingOverflow(by: 16)
        return overflow ? Int.max : Swift.max(1_000_000, product)
    }

    private mutating func emit(_ kind: Token.Kind, from start: Int) {
        tokens.append(Token(kind: kind, start: start, end: offset))
    }

    private mutating func lineBreak(at start: Int) {
        guard parenthesisDepth == 0, let last = tokens.last else { return }
        switch last.kind {
        case .separator: return
        case .symbol(let symbol) where symbol.continuesLine: return
        case .keyword(.and), .keyword(.or), .keyword(.not): return
        default: tokens.append(Token(kind: .separator, start: start, end: start + 1))
        }
    }

    static func startsName(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII first: the Unicode property lookup is slow, and most names are ASCII.
        if scalar.isASCII { return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" }
        return scalar.properties.isAlphabetic
    }

    static func continuesName(_ scalar: Unicode.Scalar) -> Bool {
        startsName(scalar) || ("0"..."9").contains(scalar)
    }

    private mutating func lexName() throws(Diagnostic) {
        let start = offset
        while let next = peek(), Lexer.continuesName(next) { offset += 1 }
        if offset - start > limits.maxNameLength {
            throw source.diagnostic(
                at: start, "this name is \(offset - start) characters long, beyond the limit of \(limits.maxNameLength) for a name")
        }
        let text = source.text(start..<offset)
        if let problem = NameSafety.problem(with: text) { throw source.diagnostic(at: start, problem) }
        if !sawNonASCIIName, !text.unicodeScalars.allSatisfy(\.isASCII) { sawNonASCIIName = true }
        emit(Keyword(rawValue: text).map(Token.Kind.keyword) ?? .name(text), from: start)
    }

    private mutating func lexNumber() throws(Diagnostic) {
        let start = offset
        let isDigit: (Unicode.Scalar?) -> Bool = { $0.map { ("0"..."9").contains($0) } ?? false }
        while isDigit(peek()) { offset += 1 }
        // A fraction needs a digit after the point, so that `1...4` is a range.
        if peek() == ".", isDigit(peek(1)) {
            offset += 1
            while isDigit(peek()) { offset += 1 }
        }
        if peek() == "e" || peek() == "E" {
            let signLength = (peek(1) == "+" || peek(1) == "-") ? 1 : 0
            if isDigit(peek(1 + signLength)) {
                offset += 1 + signLength
                while isDigit(peek()) { offset += 1 }
            }
        }
        let text = source.text(start..<offset)
        guard let value = Double(text), value.isFinite else {
            throw source.diagnostic(
                at: start, "the number \(Lexer.abbreviated(text)) is too large for a Double (the largest is about 1.8e308)")
        }
        emit(.number(value), from: start)
    }

    /// A literal as quoted in a message, shortened if it is very long.
    static func abbreviated(_ text: String) -> String {
        text.count <= 40 ? "`\(text)`" : "`\(text.prefix(20))…\(text.suffix(10))`"
    }

    private mutating func lexString() throws(Diagnostic) {
        let start = offset
        offset += 1
        var text = ""
        while true {
            guard let scalar = peek(), scalar != "\n" else {
                throw source.diagnostic(at: start, "unterminated string: a string ends with `\"` on the same line")
            }
            // Titles and notes reach terminals as they are: an escape sequence in one could
            // recolour, retitle or clear the screen of whoever runs `gradflow trace`.
            if scalar != "\t", scalar.properties.generalCategory == .control {
                throw source.diagnostic(
                    at: offset, "a string cannot contain the control character \(Lexer.codePoint(scalar)); write `\\n` for a line break")
            }
            offset += 1
            if scalar == "\"" { break }
            if text.unicodeScalars.count >= limits.maxStringLength {
                throw source.diagnostic(
                    at: start, "this string is longer than \(limits.maxStringLength) characters, the limit for a title or a note")
            }
            if scalar == "\\" {
                switch peek() {
                case "\"": text.unicodeScalars.append("\"")
                case "\\": text.unicodeScalars.append("\\")
                case "n": text.unicodeScalars.append("\n")
                case "t": text.unicodeScalars.append("\t")
                default:
                    throw source.diagnostic(at: offset - 1, "unknown escape in a string; use `\\\"`, `\\\\`, `\\n` or `\\t`")
                }
                offset += 1
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        emit(.string(text), from: start)
    }

    private mutating func lexSymbol(_ scalar: Unicode.Scalar) throws(Diagnostic) {
        let start = offset
        if let second = peek(1), let symbol = Symbol.pair(scalar, second) {
            offset += 2
            emit(.symbol(symbol), from: start)
            return
        }
        guard let symbol = Symbol.single(scalar) else {
            throw source.diagnostic(at: start, Lexer.unexpected(scalar))
        }
        offset += 1
        switch symbol {
        case .leftParen, .leftBracket: parenthesisDepth += 1
        case .rightParen, .rightBracket: parenthesisDepth = max(0, parenthesisDepth - 1)
        // A brace ends any unbalanced parenthesis, so that line breaks in the block still count.
        case .leftBrace, .rightBrace: parenthesisDepth = 0
        default: break
        }
        emit(.symbol(symbol), from: start)
    }

    /// `U+001B`, as a character is named in a message.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Mathematical symbols a lecture's slides use, copied into a scene, and what to write instead.
    static let typographic: [Unicode.Scalar: String] = [
        "\u{2212}": "-", "\u{00D7}": "*", "\u{00B7}": "*", "\u{22C5}": "*", "\u{00F7}": "/", "\u{2215}": "/",
        "\u{2264}": "<=", "\u{2265}": ">=", "\u{2260}": "!=", "\u{221A}": "sqrt(…)", "\u{2211}": "sum(…)",
    ]

    /// ⁰ ¹ ² … ⁹, at the index of the digit they raise.
    static let superscriptDigits: [Unicode.Scalar] = ["\u{2070}", "\u{00B9}", "\u{00B2}", "\u{00B3}", "\u{2074}",
                                                      "\u{2075}", "\u{2076}", "\u{2077}", "\u{2078}", "\u{2079}"]

    /// The message for a character that cannot start any token.
    static func unexpected(_ scalar: Unicode.Scalar) -> String {
        let code = codePoint(scalar)
        switch scalar {
        case "!": return "unexpected `!`; write `not` for negation or `!=` for “not equal”"
        case "\u{201C}", "\u{201D}", "\u{2018}", "\u{2019}":
            return "unexpected typographic quote (\(code)); strings use straight quotes `\"`"
        default:
            if let ascii = typographic[scalar] {
                return "unexpected `\(scalar)` (\(code)); write `\(ascii)`"
            }
            if let digit = superscriptDigits.firstIndex(of: scalar) {
                return "unexpected superscript `\(scalar)` (\(code)); write `^\(digit)` for a power (`x^\(digit)`), or `\(digit)` in a name (`σ\(digit)`)"
            }
            if scalar.properties.generalCategory == .control || scalar.properties.isWhitespace
                || scalar.properties.generalCategory == .format || scalar.value == 0xFFFD
            {
                return "unexpected character \(code)"
            }
            return "unexpected character `\(scalar)` (\(code))"
        }
    }
}
