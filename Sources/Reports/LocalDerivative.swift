import GradFlow

extension Graph {
    /// The local derivative ∂node/∂operand written in terms of the nodes, as a teacher writes
    /// it on the board: `x2` for ∂(x1 · x2)/∂x1, `cos(x2)` for ∂sin(x2)/∂x2, `1 − o^2` for
    /// ∂tanh(n)/∂n when the node is `o`.
    ///
    /// The number it stands for is the partial the engine recorded in the forward pass
    /// (``Graph/partials(of:)``); this is only its text, following the rules of `Op+Rules.swift`
    /// (the tests hold each op's text next to a hand-worked value of the recorded partial).
    ///
    /// - Parameters:
    ///   - node: a node with operands.
    ///   - operandIndex: which operand (0 for the first).
    ///   - format: how constant parameters are written.
    public func localDerivativeExpression(of node: NodeID, operandIndex: Int, format: NumberFormat = .shortest) -> String {
        let operands = operands(of: node).map(label(of:))
        let a = operands[0]
        let b = operands.count > 1 ? operands[1] : ""
        let me = label(of: node)
        let c = parameters[node]
        let constant = format.string(c)
        let first = operandIndex == 0
        switch ops[node] {
        case .input, .constant: return "0"
        case .add, .addConstant, .sum: return "1"
        case .subtract: return first ? "1" : "−1"
        case .negate, .constantSubtract: return "−1"
        case .multiply: return first ? b : a
        case .divide: return first ? "1 / \(b)" : "−\(a) / \(b)^2"
        case .power: return first ? "\(b) · \(a)^(\(b) − 1)" : "\(me) · ln(\(a))"
        case .powerConstant:
            if c == 0 { return "0" }
            if c == 1 { return "1" }
            if c == 2 { return "2 · \(a)" }
            return "\(constant) · \(a)^\(format.string(c - 1))"
        case .constantPower: return "ln(\(constant)) · \(me)"
        case .multiplyConstant: return constant
        case .divideByConstant: return "1 / \(constant)"
        case .constantDivide: return "−\(constant) / \(a)^2"
        case .exp: return me
        case .ln: return "1 / \(a)"
        case .sin: return "cos(\(a))"
        case .cos: return "−sin(\(a))"
        case .tan: return "1 + \(me)^2"
        case .tanh: return "1 − \(me)^2"
        case .sigmoid: return "\(me) · (1 − \(me))"
        case .relu: return "[\(a) > 0]"
        case .sqrt: return "1 / (2 · \(me))"
        case .abs: return "sign(\(a))"
        case .max: return first ? "[\(a) ≥ \(b)]" : "[\(b) > \(a)]"
        case .min: return first ? "[\(a) ≤ \(b)]" : "[\(b) < \(a)]"
        case .mean: return "1 / \(operands.count)"
        }
    }
}

/// The notations of the survey's tables for adjoints (x̄) and tangents (ẋ).
enum Notation {
    /// `x̄1` for a one-letter name with digits (the survey's style), an overline over every
    /// character otherwise (`x̅1̅w̅1̅`, which terminals draw as one bar).
    static func adjoint(_ name: String) -> String { decorate(name, single: "\u{0304}", spanning: "\u{0305}") }

    /// `ẋ1` for a one-letter name with digits; a prime otherwise (`x1w1′`), since a row of dots
    /// would read as noise.
    static func tangent(_ name: String) -> String {
        isLetterWithDigits(name) ? decorate(name, single: "\u{0307}", spanning: nil) : name + "′"
    }

    private static func decorate(_ name: String, single: Character, spanning: Character?) -> String {
        if isLetterWithDigits(name) {
            var characters = Array(name.unicodeScalars)
            characters.insert(single.unicodeScalars.first!, at: 1)
            var output = ""
            output.unicodeScalars.append(contentsOf: characters)
            return output
        }
        guard let spanning else { return name }
        var output = ""
        for character in name {
            output.append(character)
            output.unicodeScalars.append(spanning.unicodeScalars.first!)
        }
        return output
    }

    /// One letter (a single Unicode scalar), then only digits (ASCII or subscript).
    private static func isLetterWithDigits(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, first.properties.isAlphabetic else { return false }
        return scalars.dropFirst().allSatisfy { ("0"..."9").contains($0) || (0x2080...0x2089).contains($0.value) }
    }
}
