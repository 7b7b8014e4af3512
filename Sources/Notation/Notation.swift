import GradFlow

/// How gradflow writes mathematics, the one place every view takes it from: node names,
/// adjoints and tangents, partials, contributions, expressions and substituted expressions,
/// each in three renderings (Unicode for terminals and pictures, ASCII for terminals without
/// UTF-8, LaTeX for handouts).
///
/// The convention is the survey's, made unambiguous for longer names:
///
/// | name | adjoint | tangent | LaTeX adjoint |
/// | --- | --- | --- | --- |
/// | `x1`, `v₂` (a letter, then digits) | `x̄1`, `v̄₂` | `ẋ1`, `v̇₂` | `\bar{x}1`, `\bar{v}_{2}` |
/// | `x1w1`, `net.h2₃` (anything else) | `x̅1̅w̅1̅` (one bar over the whole name) | `x1w1′` | `\overline{\mathit{x1w1}}` |
///
/// A bar over the first letter alone would read as x̄ times 1w1, and a row of dots as noise.
public struct Notation: Sendable {
    public enum Style: Sendable, Equatable { case unicode, ascii, latex }

    public var style: Style
    /// How numbers are written.
    public var format: NumberFormat

    public init(_ style: Style = .unicode, format: NumberFormat = .shortest) {
        self.style = style
        self.format = format
    }

    // MARK: Names

    /// A node's name.
    public func name(_ label: String) -> String {
        style == .latex ? LaTeXName.name(label) : label
    }

    /// The adjoint of a node: `x̄1`, `x̅1̅w̅1̅`; `x1_bar`; `\bar{x}1`.
    public func adjoint(_ label: String) -> String {
        let parts = NameParts(label)
        switch style {
        case .ascii: return label + "_bar"
        case .latex: return LaTeXName.decorated(parts, single: "\\bar", spanning: "\\overline")
        case .unicode:
            guard !parts.isLetterWithDigits else { return parts.marking(first: "\u{0304}") }
            // U+0305 joins from one character to the next into one bar over the whole name.
            var barred = ""
            for character in parts.base {
                barred.append(character)
                barred.unicodeScalars.append("\u{0305}")
            }
            return barred + parts.version
        }
    }

    /// The tangent of a node: `ẋ1`, `x1w1′`; `x1_dot`; `\dot{x}1`, `\mathit{x1w1}'`.
    public func tangent(_ label: String) -> String {
        let parts = NameParts(label)
        switch style {
        case .ascii: return label + "_dot"
        case .latex: return LaTeXName.decorated(parts, single: "\\dot", spanning: nil)
        case .unicode: return parts.isLetterWithDigits ? parts.marking(first: "\u{0307}") : label + "′"
        }
    }

    /// The derivative's name in a mode: the adjoint in reverse mode, the tangent in forward mode.
    public func derivative(_ label: String, reverse: Bool) -> String {
        reverse ? adjoint(label) : tangent(label)
    }

    /// `∂v2/∂x1`; `dv2/dx1`; `\partial v2/\partial x1`.
    public func partial(_ of: String, _ withRespectTo: String) -> String {
        switch style {
        case .unicode: "∂\(of)/∂\(withRespectTo)"
        case .ascii: "d\(of)/d\(withRespectTo)"
        case .latex: "\\partial \(name(of))/\\partial \(name(withRespectTo))"
        }
    }

    // MARK: Numbers and operators

    /// A number (negative zero is written `0`).
    public func number(_ value: Double) -> String {
        style == .latex ? LaTeXMath.number(format.string(value)) : format.string(value)
    }

    /// A number as an operand in written-out arithmetic: negative ones in parentheses, so that
    /// `1 · (-1)` and `10.69 − (-0.9589)` read as they should.
    public func operand(_ value: Double) -> String {
        let text = number(value)
        return text.hasPrefix("-") ? "(\(text))" : text
    }

    /// ` · `, ` * `, ` \cdot `.
    public var times: String { symbol(" · ", " * ", " \\cdot ") }
    /// ` += `, ` \mathrel{+}= `.
    public var accumulates: String { symbol(" += ", " += ", " \\mathrel{+}= ") }
    /// ` → `, ` -> `, ` \to `.
    public var arrow: String { symbol(" → ", " -> ", " \\to ") }

    /// The text for this style among three.
    func symbol(_ unicode: String, _ ascii: String, _ latex: String) -> String {
        switch style {
        case .unicode: unicode
        case .ascii: ascii
        case .latex: latex
        }
    }

    // MARK: Contributions

    /// One step of the backward pass: `x̄1 += v̄2 · ∂v2/∂x1`.
    public func update(to: String, from: String) -> String {
        adjoint(to) + accumulates + adjoint(from) + times + partial(from, to)
    }

    /// Its arithmetic: `1 · 5 = 5`.
    public func arithmetic(_ contribution: Contribution) -> String {
        operand(contribution.incomingAdjoint) + times + operand(contribution.localDerivative) + " = "
            + number(contribution.contribution)
    }

    /// The whole line: `x̄1 += v̄2 · ∂v2/∂x1 = 1 · 5 = 5`.
    public func contribution(_ contribution: Contribution, in graph: Graph) -> String {
        update(to: graph.label(of: contribution.to), from: graph.label(of: contribution.from))
            + " = " + arithmetic(contribution)
    }

    // MARK: Expressions

    /// The node in terms of its operands' names: `x1 · x2`, `ln(x1)`, `y^2`; a leaf's value.
    public func expression(of node: NodeID, in graph: Graph) -> String {
        if graph.ops[node].isLeaf { return number(graph.values[node]) }
        return styled(node, in: graph, operands: graph.operands(of: node).map { name(graph.label(of: $0)) }) {
            graph.formula(of: node, operandNames: $0, nodeName: $1, format: format)
        }
    }

    /// The same with each operand replaced by its value: `2 · 5`, `10.69 − (-0.9589)`, `ln(-1)`
    /// (a function's arguments are delimited already). Empty for a leaf.
    public func substituted(_ node: NodeID, in graph: Graph) -> String {
        let op = graph.ops[node]
        if op.isLeaf { return "" }
        let write = op.rule.formula == nil ? number : operand
        // A number in exponent form next to `^` is bracketed: `1.234e+4^2` reads as 1.234·10^(4^2).
        // (LaTeX brackets it itself: `(1.234 \times 10^{4})^{2}`.)
        let isPower = op == .power || op == .powerConstant || op == .constantPower
        func written(_ value: Double) -> String {
            let text = write(value)
            return isPower && style != .latex && !text.hasPrefix("(") && text.contains(where: { $0 == "e" }) ? "(\(text))" : text
        }
        return styled(node, in: graph, operands: graph.operands(of: node).map { written(graph.values[$0]) }) {
            graph.formula(of: node, operandNames: $0, nodeName: $1, format: format)
        }
    }

    /// ∂node/∂operand in terms of the nodes, as a teacher writes it: `x2`, `cos(x2)`, `1 − o^2`.
    public func localDerivative(of node: NodeID, operandIndex: Int, in graph: Graph) -> String {
        styled(node, in: graph, operands: graph.operands(of: node).map { name(graph.label(of: $0)) }) {
            graph.partialFormula(of: node, operandIndex: operandIndex, operandNames: $0, nodeName: $1, format: format)
        }
    }

    /// A rule's formula in this style. The rule writes Unicode around placeholder names; the
    /// placeholders are then replaced by `operands` (already in this style), so a name is never
    /// read back out of text.
    func styled(
        _ node: NodeID, in graph: Graph, operands: [String], _ write: ([String], String) -> String
    ) -> String {
        if style == .unicode { return write(operands, name(graph.label(of: node))) }
        let placeholders = (0...operands.count).map { String(Character(Unicode.Scalar(0xE000 + UInt32($0))!)) }
        let text = write(Array(placeholders.dropLast()), placeholders[operands.count])
        var names = Dictionary(uniqueKeysWithValues: zip(placeholders, operands))
        names[placeholders[operands.count]] = name(graph.label(of: node))
        if style == .latex { return LaTeXMath.convert(text, names: names) }
        var result = ""
        for character in text {
            result += names[String(character)] ?? Self.asciiSymbols[character] ?? String(character)
        }
        return result
    }

    private static let asciiSymbols: [Character: String] = ["−": "-", "·": "*", "≥": ">=", "≤": "<=", "×": "*", "÷": "/"]
}

/// A node's label as its parts: the base name and the version (`v₂`: `v` and `₂`).
struct NameParts {
    let base: String
    /// Subscript digits: a name assigned again (never part of a name a scene can write).
    let version: String

    init(_ label: String) {
        let scalars = Array(label.unicodeScalars)
        let digits = scalars.reversed().prefix { (0x2080...0x2089).contains($0.value) }.count
        var base = "", version = ""
        base.unicodeScalars.append(contentsOf: scalars.dropLast(digits))
        version.unicodeScalars.append(contentsOf: scalars.suffix(digits))
        self.base = base
        self.version = version
    }

    /// One letter (a single character, accents included), then only ASCII digits: the
    /// survey's `x1`, where the digits read as an index.
    var isLetterWithDigits: Bool {
        guard let first = base.first, first.isLetter else { return false }
        return base.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The label with `mark` over its first character: `x̄1`, `v̇₂`.
    func marking(first mark: Unicode.Scalar) -> String {
        guard let first = base.first else { return base + version }
        var text = String(first)
        text.unicodeScalars.append(mark)
        return text + base.dropFirst() + version
    }
}
