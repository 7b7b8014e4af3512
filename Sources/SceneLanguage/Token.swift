/// The words the scene language reserves; none of them can name a node or a function.
enum Keyword: String, CaseIterable {
    case input, const, output, fn, `return`, `repeat`, `for`, `in`, `if`, `else`, note, title
    case and, or, not
}

/// Operators and punctuation.
enum Symbol: String, CaseIterable {
    case leftParen = "(", rightParen = ")", leftBrace = "{", rightBrace = "}", comma = ","
    case assign = "=", addAssign = "+=", subtractAssign = "-=", multiplyAssign = "*="
    case divideAssign = "/="
    case plus = "+", minus = "-", star = "*", slash = "/", caret = "^"
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", notEqual = "!="
    case closedRange = "...", halfOpenRange = "..<"
    case leftBracket = "[", rightBracket = "]", at = "@", colon = ":"

    /// The one-character symbol `scalar`, if it is one.
    static func single(_ scalar: Unicode.Scalar) -> Symbol? {
        switch scalar {
        case "(": .leftParen
        case ")": .rightParen
        case "{": .leftBrace
        case "}": .rightBrace
        case ",": .comma
        case "=": .assign
        case "+": .plus
        case "-": .minus
        case "*": .star
        case "/": .slash
        case "^": .caret
        case "<": .less
        case ">": .greater
        case "[": .leftBracket
        case "]": .rightBracket
        case "@": .at
        case ":": .colon
        default: nil
        }
    }

    /// The two-character symbol `first second` (`+=`, `<=`, `!=`, …), if it is one.
    static func pair(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> Symbol? {
        guard second == "=" else { return nil }
        switch first {
        case "+": return .addAssign
        case "-": return .subtractAssign
        case "*": return .multiplyAssign
        case "/": return .divideAssign
        case "<": return .lessEqual
        case ">": return .greaterEqual
        case "=": return .equal
        case "!": return .notEqual
        default: return nil
        }
    }

    /// Whether a line break right after this symbol continues the statement (a binary operator,
    /// a comma, an assignment, an open parenthesis).
    var continuesLine: Bool {
        switch self {
        case .rightParen, .rightBracket, .rightBrace, .leftBrace: false
        default: true
        }
    }
}

/// One token of a scene, with the scalar offsets it spans.
struct Token {
    enum Kind: Equatable {
        case name(String)
        case number(Double)
        case string(String)
        case keyword(Keyword)
        case symbol(Symbol)
        /// A statement separator: a line break or `;`.
        case separator
        case end
    }

    var kind: Kind
    var start: Int
    var end: Int

    /// How the token is named in a diagnostic: `` `x` ``, `end of line`, `a number`.
    var description: String {
        switch kind {
        case .name(let name): "`\(name)`"
        case .number: "a number"
        case .string: "a string"
        case .keyword(let keyword): "`\(keyword.rawValue)`"
        case .symbol(let symbol): "`\(symbol.rawValue)`"
        case .separator: "end of line"
        case .end: "end of file"
        }
    }
}
