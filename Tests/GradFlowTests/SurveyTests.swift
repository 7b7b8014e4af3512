import Foundation
import GradFlow
import Testing
import TestSupport

/// Baydin et al. (2018), tables 2 and 3: f(x1, x2) = ln(x1) + x1·x2 − sin(x2) at (2, 5).
@Suite struct SurveyTests {
    func record() -> (graph: Graph, x1: NodeID, x2: NodeID, f: NodeID) {
        var g = Graph()
        let x1 = g.appendLeaf(value: 2, name: "x1")
        let x2 = g.appendLeaf(value: 5, name: "x2")
        let v1 = g.append(.ln, x1)
        let v2 = g.append(.multiply, x1, x2)
        let v3 = g.append(.sin, x2)
        let v4 = g.append(.add, v1, v2)
        let f = g.append(.subtract, v4, v3)
        return (g, x1, x2, f)
    }

    @Test func valueAndGradientMatchThePublishedNumbers() {
        let (g, x1, x2, f) = record()
        #expect(g.checkInvariants())
        #expect(isClose(g.values[f], 11.652071455223084, relative: 1e-15))
        let adjoint = g.adjoints(from: f)
        #expect(isClose(adjoint[x1], 5.5, relative: 1e-15))
        #expect(isClose(adjoint[x2], 1.7163378145367738, relative: 1e-15))
    }

    @Test func forwardTangentsMatchTableTwo() {
        let (g, x1, _, f) = record()
        let tangent = g.tangents(withRespectTo: x1)
        // v1' = 0.5, v2' = 5, v3' = 0, v4' = 5.5, f' = 5.5
        let expected: [Double] = [1, 0, 0.5, 5, 0, 5.5, 5.5]
        for (node, value) in expected.enumerated() { #expect(isClose(tangent[node], value, absolute: 1e-15)) }
        #expect(isClose(tangent[f], 5.5))
    }

    @Test func x1ReceivesFiveThenHalf() {
        let (g, x1, _, f) = record()
        let timeline = Timeline(graph: g, mode: .reverse(output: f))
        let intoX1 = timeline.contributions(into: x1).map(timeline.contribution)
        #expect(intoX1.count == 2)
        #expect(intoX1[0].from == 3 && isClose(intoX1[0].adjointAfter, 5) && intoX1[0].adjointBefore == 0)
        #expect(intoX1[1].from == 2 && isClose(intoX1[1].adjointBefore, 5) && isClose(intoX1[1].adjointAfter, 5.5))
        // Jumping to any step gives the same adjoint as the contributions so far.
        let afterFirst = g.count + 1 + 1 + timeline.contributions(into: x1)[0]
        #expect(isClose(timeline.derivative(of: x1, at: afterFirst)!, 5))
        #expect(timeline.derivative(of: x1, at: afterFirst - 1) == nil)
        #expect(isClose(timeline.derivative(of: x1, at: timeline.count)!, 5.5))
    }

    @Test func swiftAPIGivesTheSameNumbers() {
        let tape = Tape()
        let x1 = tape.input(2, name: "x1"), x2 = tape.input(5, name: "x2")
        let f = log(x1) + x1 * x2 - sin(x2)
        #expect(isClose(f.value, 11.652071455223084))
        let gradient = f.gradient()
        #expect(isClose(gradient[x1.id]!, 5.5))
        #expect(isClose(gradient[x2.id]!, 1.7163378145367738))
        let second = tape.derivative(tape.derivative(f, x1), x1)
        #expect(isClose(second.value, -0.25))
    }
}

@Suite struct HigherOrderTests {
    /// d^n/dx^n tanh(x) at x = 2, from the polynomial recurrence in t = tanh x:
    /// P₀ = t, P_{n+1} = (1 − t²) P_n′(t). Independent of the engine.
    func tanhDerivatives(at x: Double, upTo order: Int) -> [Double] {
        var polynomial: [Double] = [0, 1]  // coefficients of t^k
        var result: [Double] = []
        let t = Foundation.tanh(x)
        for _ in 1...order {
            var derivative = [Double](repeating: 0, count: max(1, polynomial.count - 1))
            for k in 1..<polynomial.count { derivative[k - 1] = Double(k) * polynomial[k] }
            var next = [Double](repeating: 0, count: derivative.count + 2)
            for (k, c) in derivative.enumerated() { next[k] += c; next[k + 2] -= c }
            polynomial = next
            result.append(polynomial.enumerated().reduce(0) { $0 + $1.element * Foundation.pow(t, Double($1.offset)) })
        }
        return result
    }

    @Test func firstSixDerivativesOfTanhAtTwo() {
        let expected = tanhDerivatives(at: 2, upTo: 6)
        let tape = Tape()
        let x = tape.input(2, name: "x")
        var current = tanh(x)
        for order in 0..<6 {
            current = tape.derivative(current, x)
            #expect(isClose(current.value, expected[order], relative: 1e-9), "order \(order + 1)")
        }
        #expect(tape.graph.checkInvariants())
    }
}
