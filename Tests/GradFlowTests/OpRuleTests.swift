import Foundation
import GradFlow
import Testing
import TestSupport

/// Each op's recorded partials against central differences of its own value, at several points.
@Suite struct OpRuleTests {
    static let unaryOps: [(Op, [Double])] = [
        (.negate, [-2, 0.3, 4]), (.exp, [-3, 0, 1.5]), (.ln, [0.2, 1, 7]), (.sin, [-1, 0.5, 3]),
        (.cos, [-1, 0.5, 3]), (.tan, [-1, 0.2, 1.2]), (.tanh, [-2, 0.1, 2]), (.sigmoid, [-4, 0, 3]),
        (.relu, [-1.5, 2]), (.sqrt, [0.25, 2, 9]), (.abs, [-3, 0.7]),
    ]
    static let parameterOps: [(Op, Double, [Double])] = [
        (.powerConstant, 2, [-3, 0.5, 4]), (.powerConstant, 3.5, [0.5, 2]), (.powerConstant, -1, [-2, 0.5]),
        (.constantPower, 2, [-1, 0, 3]), (.addConstant, -3, [1, 5]), (.constantSubtract, 4, [1, -2]),
        (.multiplyConstant, 0.5, [3, -7]), (.divideByConstant, 3, [1, -2]), (.constantDivide, 6, [0.5, -3]),
    ]
    static let binaryOps: [(Op, [(Double, Double)])] = [
        (.add, [(1, 2), (-3, 0.5)]), (.subtract, [(1, 2), (-3, 0.5)]), (.multiply, [(2, 5), (-1.5, 0.25)]),
        (.divide, [(2, 5), (-1.5, 0.25)]), (.power, [(2, 3), (0.5, -1.5), (3, 0.5)]),
        (.max, [(1, 2), (3, -1)]), (.min, [(1, 2), (3, -1)]),
    ]

    @Test func unaryPartialsMatchCentralDifferences() {
        for (op, points) in Self.unaryOps {
            for x in points {
                let (_, partial, _) = op.evaluate(x)
                let numeric = centralDifference(at: x) { op.evaluate($0).value }
                #expect(isClose(partial, numeric, relative: 1e-6, absolute: 1e-8), "\(op) at \(x)")
            }
        }
    }

    @Test func parameterOpPartialsMatchCentralDifferences() {
        for (op, c, points) in Self.parameterOps {
            for x in points {
                let (_, partial, _) = op.evaluate(x, parameter: c)
                let numeric = centralDifference(at: x) { op.evaluate($0, parameter: c).value }
                #expect(isClose(partial, numeric, relative: 1e-6, absolute: 1e-8), "\(op) c=\(c) at \(x)")
            }
        }
    }

    @Test func binaryPartialsMatchCentralDifferences() {
        for (op, points) in Self.binaryOps {
            for (a, b) in points {
                let (_, da, db) = op.evaluate(a, b)
                let numericA = centralDifference(at: a) { op.evaluate($0, b).value }
                let numericB = centralDifference(at: b) { op.evaluate(a, $0).value }
                #expect(isClose(da, numericA, relative: 1e-6, absolute: 1e-8), "\(op) ∂a at \(a), \(b)")
                #expect(isClose(db, numericB, relative: 1e-6, absolute: 1e-8), "\(op) ∂b at \(a), \(b)")
            }
        }
    }

    @Test func sumAndMeanSpreadTheirPartials() {
        var g = Graph()
        let terms = [1.0, 2, 4].map { g.appendLeaf(value: $0) }
        let total = g.appendVariadic(.sum, terms)
        let average = g.appendVariadic(.mean, terms)
        #expect(isClose(g.values[total], 7) && isClose(g.values[average], 7.0 / 3))
        #expect(g.partials(of: total) == [1, 1, 1])
        #expect(g.partials(of: average).allSatisfy { isClose($0, 1.0 / 3) })
    }

    @Test func squaringANegativeBaseHasNoNaNAnywhere() {
        // The power rule alone: x^2 at x = −3 must not touch ln(−3).
        let tape = Tape()
        let x = tape.input(-3)
        let y = pow(x, 2)
        #expect(isClose(y.value, 9))
        #expect(isClose(y.derivative(withRespectTo: x), -6))
        let second = tape.derivative(tape.derivative(y, x), x)
        #expect(isClose(second.value, 2))
        #expect(tape.graph.firstNonFiniteNode == nil)
    }

    @Test func logisticIsStableInItsTails() {
        #expect(isClose(Op.logistic(-800), 0, absolute: 1e-300))
        #expect(isClose(Op.logistic(800), 1))
        #expect(isClose(Op.logistic(0), 0.5))
    }

    @Test func nonFiniteValuesAreRecordedAndTheFirstIsNamed() {
        var g = Graph()
        let x = g.appendLeaf(value: -1, name: "x")
        let fine = g.append(.exp, x)
        let bad = g.append(.ln, x)
        _ = g.append(.add, fine, bad)
        #expect(g.values[bad].isNaN)
        #expect(g.firstNonFiniteNode == bad)
    }

    @Test func aNaNPartialOffThePathDoesNotLeakIntoTheGradient() {
        var g = Graph()
        let x = g.appendLeaf(value: -1, name: "x")
        _ = g.append(.ln, x)  // NaN partial, but the output does not use it
        let y = g.append(.multiply, x, x)
        #expect(isClose(g.adjoints(from: y)[x], -2))
        #expect(isClose(g.tangents(withRespectTo: x)[y], -2))
    }
}
