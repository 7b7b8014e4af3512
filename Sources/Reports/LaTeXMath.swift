import Foundation

/// Turns the Unicode mathematics of gradflow's reports into LaTeX math mode.
///
/// Reports write mathematics once, as people read it in a terminal: `x̄1 += v̄2 · ∂v2/∂x1`,
/// `ln(x1)`, `1 − o^2`, `-0.9589`, `1.5e-5`. This converter reads that text as tokens (names,
/// numbers, operators, parentheses) and writes each in LaTeX: `\bar{x}_{1} \mathrel{+}= \bar{v}_{2}
/// \cdot \partial v_{2}/\partial x_{1}`, `\ln(x_{1})`, `1 - o^{2}`, `1.5 \times 10^{-5}`.
/// Anything it does not recognise is escaped, so the output always compiles.
enum LaTeXMath {
    /// The LaTeX (math mode, without the `$` delimiters) for a Unicode math string.
    /// - Complexity: O(characters).
    static func convert(_ text: String) -> String {
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
                let exponent = (index + 1...end).map { render(tokens[$0], next: nil) }.joined(separator: " ")
                if output.isEmpty { output.append("{}") }
                output[output.count - 1] += "^{\(exponent)}"
                index = end + 1
                continue
            }
            output.append(render(token, next: index + 1 < tokens.count ? tokens[index + 1] : nil))
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

    private static func render(_ token: Token, next: Token?) -> String {
        switch token {
        case .number(let text): return number(text)
        case .name(let name):
            if case .symbol("(") = next { return function(name) }
            switch name {
            case "NaN": return "\\mathrm{NaN}"
            case "Infinity": return "\\infty"
            default: return self.name(name)
            }
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
        functions.contains(name) ? "\\\(name)" : "\\operatorname{\(escape(name))}"
    }

    /// `1.5e-05` → `1.5 \times 10^{-5}`; plain decimals stay as they are.
    private static func number(_ text: String) -> String {
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        let mantissa = text[..<e]
        var exponent = String(text[text.index(after: e)...])
        let negative = exponent.hasPrefix("-")
        exponent = String(exponent.drop { "+-0".contains($0) })
        let power = "10^{\(negative ? "-" : "")\(exponent.isEmpty ? "0" : exponent)}"
        return mantissa == "1" ? power : "\(mantissa) \\times \(power)"
    }

    /// A node name: `x1` → `x_{1}`, `v₂` → `v_{2}`, `θ` → `\theta`, `x̄1` → `\bar{x}_{1}`,
    /// `ẋ1` → `\dot{x}_{1}`, a longer name → `\mathit{x1w1}` (with its bar or dot over it all).
    static func name(_ name: String) -> String {
        var decoration: String?
        var plain = ""
        // Decomposed, so that a precomposed `ẋ` or `ā` shows its dot or bar as a combining mark.
        for scalar in name.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x0304, 0x0305: decoration = "bar"
            case 0x0307: decoration = "dot"
            case 0x2080...0x2089: plain.unicodeScalars.append(Unicode.Scalar(scalar.value - 0x2080 + 0x30)!)
            default: plain.unicodeScalars.append(scalar)
            }
        }
        var primes = ""
        while plain.hasSuffix("′") { plain.removeLast(); primes += "'" }
        let letters = plain.prefix { !$0.isNumber }
        let digits = plain.dropFirst(letters.count)
        var base: String
        var isSingleSymbol = true
        if letters.count == 1, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) {
            base = greek[letters.first!] ?? escape(String(letters))
            if !digits.isEmpty { base += "_{\(digits)}" }
        } else {
            base = "\\mathit{\(escape(plain))}"
            isSingleSymbol = false
        }
        if let decoration {
            let command = decoration == "bar" ? (isSingleSymbol ? "\\bar" : "\\overline") : "\\dot"
            if isSingleSymbol, let underscore = base.firstIndex(of: "_") {
                base = "\(command){\(base[..<underscore])}\(base[underscore...])"
            } else {
                base = "\(command){\(base)}"
            }
        }
        return base + primes
    }

    private static let greek: [Character: String] = {
        let lower = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota",
                     "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "varsigma", "sigma",
                     "tau", "upsilon", "phi", "chi", "psi", "omega"]
        var table: [Character: String] = [:]
        for (offset, name) in lower.enumerated() where name != "omicron" {
            table[Character(Unicode.Scalar(0x03B1 + UInt32(offset))!)] = "\\" + name
        }
        for (letter, name) in [("Γ", "Gamma"), ("Δ", "Delta"), ("Θ", "Theta"), ("Λ", "Lambda"),
                               ("Ξ", "Xi"), ("Π", "Pi"), ("Σ", "Sigma"), ("Φ", "Phi"),
                               ("Ψ", "Psi"), ("Ω", "Omega")] {
            table[Character(letter)] = "\\" + name
        }
        return table
    }()

    /// Text for a LaTeX paragraph or cell: special characters escaped, Greek letters (in
    /// titles such as "… with respect to θ") set as math, so that pdflatex needs no Unicode.
    static func text(_ text: String) -> String {
        var output = ""
        for character in text {
            if let command = greek[character] { output += "$\(command)$" } else { output += escape(String(character)) }
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

    enum Token { case name(String), number(String), symbol(String) }

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
