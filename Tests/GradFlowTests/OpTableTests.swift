import Foundation
import GradFlow
import Testing
import TestSupport

/// Every op of the table, checked against a reference written here in plain Swift: its value,
/// its recorded partials against central differences of the reference, its symbolic partial
/// (the nodes `grad(y, x)` builds) against the recorded one, and its kink where it has one.
///
/// Adding an op adds one row below; the coverage test fails until it has one.
@Suite struct OpTableTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let op: Op
        let parameter: Double
        /// Operand values, one array per point (away from kinks: central differences need it).
        let points: [[Double]]
        /// Where the op is not differentiable, if anywhere.
        let kinks: [[Double]]
        let reference: @Sendable ([Double], Double) -> Double

        init(_ op: Op, parameter: Double = 0, _ points: [[Double]], kinks: [[Double]] = [],
             _ reference: @escaping @Sendable ([Double], Double) -> Double) {
            (self.op, self.parameter, self.points, self.kinks, self.reference) = (op, parameter, points, kinks, reference)
        }

        var testDescription: String { parameter == 0 ? "\(op)" : "\(op) c=\(parameter)" }
    }

    static let rows: [Row] = [
        Row(.add, [[1, 2], [-3, 0.5]]) { x, _ in x[0] + x[1] },
        Row(.subtract, [[1, 2], [-3, 0.5]]) { x, _ in x[0] - x[1] },
        Row(.multiply, [[2, 5], [-1.5, 0.25]]) { x, _ in x[0] * x[1] },
        Row(.divide, [[2, 5], [-1.5, 0.25]]) { x, _ in x[0] / x[1] },
        Row(.negate, [[-2], [0.3], [4]]) { x, _ in -x[0] },
        Row(.power, [[2, 3], [0.5, -1.5], [3, 0.5]]) { x, _ in Foundation.pow(x[0], x[1]) },
        Row(.powerConstant, parameter: 2, [[-3], [0.5], [4]]) { x, c in Foundation.pow(x[0], c) },
        Row(.powerConstant, parameter: 3.5, [[0.5], [2]]) { x, c in Foundation.pow(x[0], c) },
        Row(.powerConstant, parameter: -1, [[-2], [0.5]]) { x, c in Foundation.pow(x[0], c) },
        Row(.constantPower, parameter: 2, [[-1], [0], [3]]) { x, c in Foundation.pow(c, x[0]) },
        Row(.addConstant, parameter: -3, [[1], [5]]) { x, c in x[0] + c },
        Row(.constantSubtract, parameter: 4, [[1], [-2]]) { x, c in c - x[0] },
        Row(.multiplyConstant, parameter: 0.5, [[3], [-7]]) { x, c in c * x[0] },
        Row(.divideByConstant, parameter: 3, [[1], [-2]]) { x, c in x[0] / c },
        Row(.constantDivide, parameter: 6, [[0.5], [-3]]) { x, c in c / x[0] },
        Row(.exp, [[-3], [0], [1.5]]) { x, _ in Foundation.exp(x[0]) },
        Row(.ln, [[0.2], [1], [7]]) { x, _ in Foundation.log(x[0]) },
        Row(.sin, [[-1], [0.5], [3]]) { x, _ in Foundation.sin(x[0]) },
        Row(.cos, [[-1], [0.5], [3]]) { x, _ in Foundation.cos(x[0]) },
        Row(.tan, [[-1], [0.2], [1.2]]) { x, _ in Foundation.tan(x[0]) },
        Row(.tanh, [[-2], [0.1], [2]]) { x, _ in Foundation.tanh(x[0]) },
        Row(.sigmoid, [[-4], [0], [3]]) { x, _ in 1 / (1 + Foundation.exp(-x[0])) },
        Row(.relu, [[-1.5], [2]], kinks: [[0]]) { x, _ in Swift.max(x[0], 0) },
        Row(.sqrt, [[0.25], [2], [9]]) { x, _ in Foundation.sqrt(x[0]) },
        Row(.abs, [[-3], [0.7]], kinks: [[0]]) { x, _ in Swift.abs(x[0]) },
        Row(.max, [[1, 2], [3, -1]], kinks: [[1.5, 1.5]]) { x, _ in Swift.max(x[0], x[1]) },
        Row(.min, [[1, 2], [3, -1]], kinks: [[1.5, 1.5]]) { x, _ in Swift.min(x[0], x[1]) },
        Row(.sum, [[1, 2, 4], [-0.5]]) { x, _ in x.reduce(0, +) },
        Row(.mean, [[1, 2, 4], [-0.5, 3]]) { x, _ in x.reduce(0, +) / Double(x.count) },
        Row(.softplus, [[-30], [-1], [0], [2], [40]]) { x, _ in Foundation.log(1 + Foundation.exp(x[0])) },
        Row(.log2, [[0.25], [1], [10]]) { x, _ in Foundation.log(x[0]) / Foundation.log(2) },
        Row(.log10, [[0.01], [1], [7]]) { x, _ in Foundation.log(x[0]) / Foundation.log(10) },
        Row(.detach, [[-2], [0], [3.5]]) { x, _ in x[0] },
    ]

    /// Records the row's op on leaves holding `point`; returns the graph and the node.
    static func record(_ row: Row, at point: [Double]) -> (Graph, NodeID) {
        var graph = Graph()
        let leaves = point.map { graph.appendLeaf(value: $0) }
        let node: NodeID
        switch row.op.arity {
        case 1: node = graph.append(row.op, leaves[0], parameter: row.parameter)
        case 2: node = graph.append(row.op, leaves[0], leaves[1])
        default: node = graph.appendVariadic(row.op, leaves)
        }
        return (graph, node)
    }

    @Test func everyOpHasARow() {
        let covered = Set(Self.rows.map(\.op))
        // `.tensor` has no scalar rule: its tensor ops are checked in TensorVJPTests.
        let missing = Op.allCases.filter { !$0.isLeaf && $0 != .tensor && !covered.contains($0) }
        #expect(missing.isEmpty, "ops without a row in OpTableTests: \(missing)")
    }

    @Test(arguments: rows)
    func valuePartialsAndSymbolicPartialsAgree(_ row: Row) {
        for point in row.points {
            let (graph, node) = Self.record(row, at: point)
            #expect(isClose(graph.values[node], row.reference(point, row.parameter), relative: 1e-14, absolute: 1e-15), "value at \(point)")
            for (index, slot) in graph.operandSlots(of: node).enumerated() {
                let recorded = graph.partialStorage[slot]
                // An op that stops the gradient records 0 on purpose; the reference still moves.
                let numeric = row.op.rule.stopsGradient ? 0 : centralDifference(at: point[index]) { moved in
                    var shifted = point
                    shifted[index] = moved
                    return row.reference(shifted, row.parameter)
                }
                #expect(isClose(recorded, numeric, relative: 1e-6, absolute: 1e-8), "∂/∂operand \(index) at \(point)")
                var extended = graph
                let symbolic = extended.partialTerm(of: node, slot: slot).value(in: extended)
                #expect(isClose(symbolic, recorded, relative: 1e-12, absolute: 1e-15), "symbolic ∂/∂operand \(index) at \(point)")
                #expect(extended.checkInvariants())
            }
        }
    }

    @Test(arguments: rows)
    func kinksAreWhereTheOneSidedSlopesDiffer(_ row: Row) {
        let kink = row.op.rule.kink
        #expect((kink != nil) == !row.kinks.isEmpty, "a kink rule needs a kink point in its row, and a kink point a rule")
        for point in row.points {
            #expect(kink.map { $0(point[0], point.count > 1 ? point[1] : 0) != 0 } ?? true, "not a kink at \(point)")
        }
        guard let kink else { return }
        for point in row.kinks {
            #expect(kink(point[0], point.count > 1 ? point[1] : 0) == 0)
            let h = 1e-6
            let f = { (x: Double) in row.reference([x] + point.dropFirst(), row.parameter) }
            let left = (f(point[0]) - f(point[0] - h)) / h, right = (f(point[0] + h) - f(point[0])) / h
            #expect(!isClose(left, right, relative: 1e-3, absolute: 1e-3), "one-sided slopes \(left), \(right) at \(point)")
        }
    }
}
