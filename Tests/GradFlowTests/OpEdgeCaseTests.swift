import Foundation
import GradFlow
import Testing
import TestSupport

/// What the op table alone does not show: variadic partials, stable tails, non-finite values.
@Suite struct OpEdgeCaseTests {
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
