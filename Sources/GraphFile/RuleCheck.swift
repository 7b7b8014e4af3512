import GradFlow

/// The numbers a graph file claims against gradflow's op rules.
///
/// A captured graph carries each node's value and local derivatives as the framework computed
/// them. For every op gradflow knows, the rule is applied again to the recorded operand values
/// and compared: a framework that uses another convention (PyTorch's `maximum` splits the
/// gradient of a tie in halves, gradflow gives it to the first operand) or a capture with a bug
/// shows up here, named, instead of as a silently different gradient.
public struct RuleDisagreement: Sendable, Equatable {
    public var node: NodeID
    /// `nil` for the node's value, otherwise the operand slot whose partial disagrees.
    public var slot: Int?
    public var recorded: Double
    public var rule: Double

    /// The largest gap between the file's number and the rule's that is put down to rounding:
    /// `|recorded − rule| ≤ tolerance · max(1, |recorded|, |rule|)`. Frameworks compute
    /// `tanh` or `exp` with other libraries than gradflow's, a few units in the last place apart.
    public static let tolerance = 1e-9

    /// One line for people, e.g. `node 5 (d = a · b): the file's ∂d/∂b is 3, gradflow's rule gives 2`.
    public func message(in graph: Graph) -> String {
        let name = graph.label(of: node)
        let what: String
        if let slot {
            let operand = graph.label(of: graph.operands(of: node)[slot])
            what = "the file's ∂\(name)/∂\(operand) (operand \(slot)) is \(Self.format(recorded)), gradflow's rule for \(GraphFile.name(of: graph.ops[node])) gives \(Self.format(rule))"
        } else {
            what = "the file's value is \(Self.format(recorded)), gradflow's rule for \(GraphFile.name(of: graph.ops[node])) gives \(Self.format(rule))"
        }
        return "node \(node) (\(name) = \(graph.expression(of: node))): \(what)"
    }

    private static func format(_ x: Double) -> String { NumberFormat.shortest.string(x) }
}

public enum RuleCheck {
    /// How many disagreements a command prints before it only counts the rest.
    public static let reportedLimit = 10

    /// Every value and local derivative in `graph` that its op's rule, applied to the recorded
    /// operand values, does not reproduce within ``RuleDisagreement/tolerance``.
    /// - Complexity: O(nodes + operands).
    public static func disagreements(in graph: Graph) -> [RuleDisagreement] {
        var found: [RuleDisagreement] = []
        // A tensor node is recorded again from its operands when a file is read, so it agrees by construction.
        for node in graph.nodes where !graph.ops[node].isLeaf && graph.ops[node] != .tensor {
            let operands = graph.operands(of: node)
            let partials = graph.partials(of: node)
            let expected: (value: Double, partials: [Double])
            switch graph.ops[node] {
            case .sum, .mean:
                let total = operands.reduce(0.0) { $0 + graph.values[$1] }
                let n = Double(operands.count)
                expected = graph.ops[node] == .sum ? (total, Array(repeating: 1, count: operands.count))
                    : (total / n, Array(repeating: 1 / n, count: operands.count))
            default:
                let a = graph.values[operands[0]]
                let b = operands.count > 1 ? graph.values[operands[1]] : 0
                let rule = graph.ops[node].evaluate(a, b, parameter: graph.parameters[node])
                expected = (rule.value, operands.count > 1 ? [rule.da, rule.db] : [rule.da])
            }
            if !agree(graph.values[node], expected.value) {
                found.append(RuleDisagreement(node: node, slot: nil, recorded: graph.values[node], rule: expected.value))
            }
            for (slot, (recorded, rule)) in zip(partials, expected.partials).enumerated() where !agree(recorded, rule) {
                found.append(RuleDisagreement(node: node, slot: slot, recorded: recorded, rule: rule))
            }
        }
        return found
    }

    /// Warning lines for a command's stderr: `FILE: warning: …`, at most ``reportedLimit`` and
    /// then a count of the rest.
    public static func warnings(in graph: Graph, fileName: String) -> [String] {
        let found = disagreements(in: graph)
        var lines = found.prefix(reportedLimit).map { "\(fileName): warning: \($0.message(in: graph))" }
        if found.count > reportedLimit {
            lines.append("\(fileName): warning: … and \(found.count - reportedLimit) more numbers that disagree with gradflow's rules")
        }
        return lines
    }

    static func agree(_ recorded: Double, _ rule: Double) -> Bool {
        if recorded.isNaN || rule.isNaN { return recorded.isNaN && rule.isNaN }
        if !recorded.isFinite || !rule.isFinite { return recorded == rule }
        return Swift.abs(recorded - rule) <= RuleDisagreement.tolerance * Swift.max(1, Swift.abs(recorded), Swift.abs(rule))
    }
}
