import Foundation

/// Turns the Unicode mathematics of the op table's formulas into LaTeX math mode.
///
/// Formulas are written once, as people read them in a terminal: `1 − o^2`, `ln(x1)`,
/// `-0.9589`, `1.5e-5`. This converter reads that text as tokens (names, numbers, operators,
/// parentheses) and writes each in LaTeX: `1 - o^{2}`, `\ln(x1)`, `1.5 \times 10^{-5}`. Names
/// arrive as placeholders with their LaTeX already made (see ``Notation``), so none is guessed
/// from text; anything else it does not recognise is escaped, so the output always compiles.
public enum LaTeXMath {
    /// The LaTeX (math mode, without the `$` delimiters) for a Unicode math string.
    /// - Complexity: O(characters).
    static func convert(_ text: String, names: [String: String] = [:]) -> String {
        var tokenizer = Tokenizer(Array(text))
        let tokens = tokenizer.tokens()
        var output: [String] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if case .symbol("^") = token, index + 1 < tokens.count {
                // Brace the exponent: the next token, or a whole parenthesised group.
                var end = index + 1
                if case .symbol("(") = tokens[end] { end = closingParenthesis(in: tokens, from: end) }
                let exponent = (index + 1...end).map { render(tokens[$0], next: nil, names: names) }.joined(separator: " ")
                if output.isEmpty { output.append("{}") }
                // A base that has an exponent of its own (a number written `1.235 \times 10^{4}`)
                // is bracketed: `10^{4}^{2}` is a double superscript, which LaTeX refuses.
                if output[output.count - 1].contains("^") { output[output.count - 1] = "(\(output[output.count - 1]))" }
                output[output.count - 1] += "^{\(exponent)}"
                index = end + 1
                continue
            }
            output.append(render(token, next: index + 1 < tokens.count ? tokens[index + 1] : nil, names: names))
            index += 1
        }
        return output.joined(separator: " ")
    }

    private static func closingParenthesis(in tokens: [Token], from open: Int) -> Int {
        var depth = 0
        for index in open..<tokens.count {
            if case .symbol("(") = tokens[index] { depth += 1 }
            if case .symbol(")") = tokens[index] { depth -= 1; if depth == 0 { return index } }
        }
        return tokens.count - 1
    }

    private static func render(_ token: Token, next: Token?, names: [String: String]) -> String {
        switch token {
        case .number(let text): return number(text)
        case .name(let name):
            if case .symbol("(") = next { return function(name) }
            switch name {
            case "NaN": return "\\mathrm{NaN}"
            case "Infinity": return "\\infty"
            default: return LaTeXName.name(name)
            }
        case .placeholder(let placeholder): return names[placeholder] ?? ""
        case .symbol(let symbol): return symbols[symbol] ?? escape(symbol)
        }
    }

    private static let symbols: [String: String] = [
        "+": "+", "−": "-", "-": "-", "·": "\\cdot", "×": "\\times", "/": "/", "=": "=",
        "+=": "\\mathrel{+}=", "∂": "\\partial", "(": "(", ")": ")", "[": "[", "]": "]",
        ",": ",\\,", "<": "<", ">": ">", "≤": "\\leq", "≥": "\\geq", "→": "\\to", "′": "'",
        "%": "\\%", "&": "\\&", "#": "\\#", "$": "\\$", "{": "\\{", "}": "\\}",
    ]

    private static let functions: Set<String> = ["ln", "log", "exp", "sin", "cos", "tan", "tanh"]

    private static func function(_ name: String) -> String {
        // Core LaTeX only: amsmath's \operatorname would need a package.
        functions.contains(name) ? "\\\(name)" : "\\mathop{\\mathrm{\(escape(name))}}\\nolimits"
    }

    /// `1.5e-05` → `1.5 \times 10^{-5}`; plain decimals stay as they are.
    static func number(_ text: String) -> String {
        switch text {
        case "NaN": return "\\mathrm{NaN}"
        case "Infinity": return "\\infty"
        case "-Infinity": return "-\\infty"
        default: break
        }
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        let mantissa = text[..<e]
        var exponent = String(text[text.index(after: e)...])
        let negative = exponent.hasPrefix("-")
        exponent = String(exponent.drop { "+-0".contains($0) })
        let power = "10^{\(negative ? "-" : "")\(exponent.isEmpty ? "0" : exponent)}"
        return mantissa == "1" ? power : "\(mantissa) \\times \(power)"
    }

    /// Text for a LaTeX paragraph or cell: special characters escaped, anything outside ASCII
    /// (a name in a title such as "… with respect to θ") set as math, so that pdflatex needs no
    /// Unicode.
    public static func text(_ text: String) -> String {
        var output = ""
        for character in text {
            output += character.isASCII ? escape(String(character)) : "$\(LaTeXName.symbol(character))$"
        }
        return output
    }

    /// Escapes the characters LaTeX treats specially, for text and for names.
    static func escape(_ text: String) -> String {
        var output = ""
        for character in text {
            switch character {
            case "\\": output += "\\textbackslash{}"
            case "_", "%", "&", "#", "$", "{", "}": output += "\\\(character)"
            case "^": output += "\\^{}"
            case "~": output += "\\~{}"
            default: output.append(character)
            }
        }
        return output
    }

    // MARK: Tokens

    enum Token { case name(String), number(String), symbol(String), placeholder(String) }

    private struct Tokenizer {
        let characters: [Character]
        var position = 0

        init(_ characters: [Character]) { self.characters = characters }

        mutating func tokens() -> [Token] {
            var tokens: [Token] = []
            while position < characters.count {
                let character = characters[position]
                if character.isWhitespace {
                    position += 1
                } else if let scalar = character.unicodeScalars.first, (0xE000...0xE0FF).contains(scalar.value) {
                    tokens.append(.placeholder(String(character)))
                    position += 1
                } else if startsNumber(at: position) {
                    tokens.append(.number(take { $0.isNumber || $0 == "." || $0 == "e" || $0 == "E" }))
                } else if character.isLetter || character == "_" {
                    tokens.append(.name(take { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "′" }))
                } else if character == "+", position + 1 < characters.count, characters[position + 1] == "=" {
                    tokens.append(.symbol("+="))
                    position += 2
                } else {
                    tokens.append(.symbol(String(character)))
                    position += 1
                }
            }
            return tokens
        }

        /// A digit, `.5`, or an ASCII minus sign glued to a digit (a negative number).
        private func startsNumber(at index: Int) -> Bool {
            let character = characters[index]
            if character.isASCII && character.isNumber { return true }
            guard index + 1 < characters.count, characters[index + 1].isASCII, characters[index + 1].isNumber
            else { return false }
            return character == "." || character == "-"
        }

        private mutating func take(while accepts: (Character) -> Bool) -> String {
            var text = String(characters[position])
            position += 1
            while position < characters.count {
                let character = characters[position]
                // An exponent's sign belongs to the number: 1e-05.
                let isExponentSign = (character == "-" || character == "+") && (text.last == "e" || text.last == "E")
                    && text.first.map { $0.isNumber || $0 == "-" || $0 == "." } == true
                guard accepts(character) || isExponentSign else { break }
                text.append(character)
                position += 1
            }
            return text
        }
    }
}
