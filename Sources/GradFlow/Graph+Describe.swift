import Foundation

/// Text for people: node labels, expressions in terms of earlier nodes, numbers.
extension Graph {
    /// The node's display name: its annotated name, or `n<index>` for an unnamed node.
    /// (Scenes name every node; graphs built through the Swift API may not.)
    public func label(of node: NodeID) -> String {
        annotations.names[node] ?? "n\(node)"
    }

    /// The node's expression in terms of earlier nodes, as in the survey's evaluation trace:
    /// `x1 · x2`, `ln(x1)`, `v4 − v3`, `3 · y`, `y^2`, `sum(a, b, c)`. Leaves give their value.
    public func expression(of node: NodeID, format: NumberFormat = .shortest) -> String {
        if ops[node].isLeaf { return isTensor(node) ? tensorLeafText(node, format: format) : format.string(values[node]) }
        return formula(of: node, operandNames: operands(of: node).map(label(of:)), nodeName: label(of: node), format: format)
    }

    /// The local derivative ∂node/∂operand written in terms of the nodes, as a teacher writes
    /// it on the board: `x2` for ∂(x1 · x2)/∂x1, `cos(x2)` for ∂sin(x2)/∂x2, `1 − o^2` for
    /// ∂tanh(n)/∂n when the node is `o`.
    ///
    /// The number it stands for is the partial the engine recorded in the forward pass
    /// (``Graph/partials(of:)``); both come from the op's rule.
    public func localDerivativeExpression(of node: NodeID, operandIndex: Int, format: NumberFormat = .shortest) -> String {
        partialFormula(of: node, operandIndex: operandIndex, operandNames: operands(of: node).map(label(of:)),
                       nodeName: label(of: node), format: format)
    }

    /// The op's ``OpRule/formula`` of `node` over the given names (function notation
    /// `name(a, b)` for ops without one); the notation module passes names in its own style.
    public func formula(of node: NodeID, operandNames: [String], nodeName: String, format: NumberFormat) -> String {
        if let tensor = tensorStorage.nodes[node] { return tensorFormula(tensor, operandNames: operandNames, nodeName: nodeName, format: format) }
        let op = ops[node]
        let formula = OpRule.Formula(operands: operandNames, node: nodeName, parameter: parameters[node], format: format)
        return op.rule.formula?(formula) ?? "\(op.sceneName ?? "\(op)")(\(operandNames.joined(separator: ", ")))"
    }

    /// The op's ``OpRule/partialFormula`` of `node` over the given names.
    public func partialFormula(
        of node: NodeID, operandIndex: Int, operandNames: [String], nodeName: String, format: NumberFormat
    ) -> String {
        let formula = OpRule.Formula(operands: operandNames, node: nodeName, parameter: parameters[node], format: format)
        return ops[node].rule.partialFormula(formula, operandIndex)
    }
}

/// How numbers are written for people and for machines.
public enum NumberFormat: Sendable, Equatable {
    /// The shortest decimal that reads back to the same double (`5.5`, `1.7163378145367738`).
    case shortest
    /// At most this many significant digits, trailing zeros dropped (`1.716` for 4).
    case significant(Int)

    /// The number as text; NaN and infinities as `NaN`, `Infinity`, `-Infinity`, and negative
    /// zero as `0` (people read `-0` as a different number, or as a sign error). An exponent is
    /// written one way everywhere, with its sign and without leading zeros: `1.235e+4`, `1e-8`
    /// (not C's `1.235e+04` nor Swift's `1e-08`).
    public func string(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x == 0 { return "0" }
        if x.isInfinite { return x > 0 ? "Infinity" : "-Infinity" }
        switch self {
        case .shortest:
            // Swift's description is already the shortest round-tripping form; drop a ".0".
            var text = x.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            return trimExponent(text)
        case .significant(let digits):
            let magnitude = Swift.abs(x)
            if magnitude >= 1e15 || magnitude < 1e-4 {
                return trimExponent(String(format: "%.\(Swift.max(0, digits - 1))e", x))
            }
            // `%g` switches to an exponent from 10^digits on (`1.235e+04`): written as above.
            return trimExponent(trimZeros(String(format: "%.\(digits)g", x)))
        }
    }

    /// The shortest decimal that reads back to the same double, negative zero included: for
    /// machines (JSON, graph files), where `-0` must survive the round trip.
    public static func exact(_ x: Double) -> String {
        x == 0 && x.sign == .minus ? "-0" : NumberFormat.shortest.string(x)
    }

    private func trimZeros(_ text: String) -> String {
        // Byte tests: with Foundation imported, `contains(".")` is a locale-aware substring search.
        guard text.utf8.contains(UInt8(ascii: ".")), !text.utf8.contains(UInt8(ascii: "e")) else { return text }
        var text = text
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    private func trimExponent(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "e")) else { return text }
        let parts = text.split(separator: "e", maxSplits: 1)
        guard parts.count == 2 else { return text }
        var mantissa = String(parts[0])
        if mantissa.utf8.contains(UInt8(ascii: ".")) {
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        var exponent = String(parts[1])
        let negative = exponent.hasPrefix("-")
        exponent = String(exponent.drop { $0 == "+" || $0 == "-" || $0 == "0" })
        return "\(mantissa)e\(negative ? "-" : "+")\(exponent.isEmpty ? "0" : exponent)"
    }
}
