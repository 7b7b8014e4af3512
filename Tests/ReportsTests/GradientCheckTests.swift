import Foundation
import GradFlow
import Reports
import Testing
import TestSupport

/// The gradient check passes on correct gradients and fails on a wrong one.
@Suite struct GradientCheckTests {
    @Test func surveyPasses() {
        let check = GradientCheck(replaying: Fixtures.survey())
        #expect(check.passed)
        #expect(check.entries.count == 2)
        #expect(check.reversePasses == 1 && check.forwardPasses == 2)
        // The central differences themselves land near the published gradient.
        #expect(isClose(check.entries[0].centralDifference, 5.5, relative: 1e-8))
        #expect(isClose(check.entries[1].centralDifference, 1.7163378145367738, relative: 1e-8))
        #expect(check.text().contains("passed: all 2 derivatives agree"))
    }

    @Test func twoOutputsNeedTwoReversePassesAndOneForward() {
        let check = GradientCheck(replaying: Fixtures.twoOutputs())
        #expect(check.passed)
        #expect(check.reversePasses == 2 && check.forwardPasses == 1)
    }

    @Test func aWrongDerivativeFails() {
        // The recorded graph says f = sin(x), so AD reports cos(x); the "true" function the
        // check differentiates numerically is sin(x) + 0.001·x, whose derivative is 0.001 larger:
        // the same situation as an op rule with a small mistake in its partial.
        var graph = Graph()
        let x = graph.appendLeaf(value: 0.3, name: "x")
        graph.annotations.names[graph.append(.sin, x)] = "f"
        let check = GradientCheck(Computation(graph: graph)) { inputs in
            [Foundation.sin(inputs[0]) + 0.001 * inputs[0]]
        }
        #expect(!check.passed)
        #expect(check.entries[0].agreesWithForward)
        #expect(!check.entries[0].agreesWithCentral)
        #expect(isClose(check.entries[0].errorCentral, 0.001, relative: 1e-4))
        #expect(check.text().contains("FAIL (central)"))
        #expect(check.text().contains("FAILED: 1 of 1 derivatives disagree"))
        #expect(check.json.serialized().hasPrefix(#"{"passed":false,"#))
    }

    @Test func aSignErrorFails() {
        // d/dx cos(x) = −sin(x); a rule that forgot the sign would give +sin(x).
        var graph = Graph()
        let x = graph.appendLeaf(value: 1, name: "x")
        graph.annotations.names[graph.append(.cos, x)] = "f"
        let check = GradientCheck(Computation(graph: graph)) { [2 * Foundation.cos(Double(1)) - Foundation.cos($0[0])] }
        #expect(!check.passed)
    }

    @Test func largeOutputsDoNotFailOnRoundingNoise() {
        // f = 1e9 + x: the central difference loses about 1e9·ε/h ≈ 4e-8 to rounding.
        var graph = Graph()
        let x = graph.appendLeaf(value: 0.5, name: "x")
        graph.annotations.names[graph.append(.addConstant, x, parameter: 1e9)] = "f"
        #expect(GradientCheck(replaying: Computation(graph: graph)).passed)
    }

    @Test func aNonFiniteGradientFails() {
        var graph = Graph()
        let x = graph.appendLeaf(value: -1, name: "x")
        graph.annotations.names[graph.append(.ln, x)] = "f"
        let check = GradientCheck(replaying: Computation(graph: graph))
        #expect(!check.passed)
        #expect(check.nonFinite?.name == "f")
        #expect(check.json.serialized().contains(#""firstNonFinite":{"node":"f","expression":"ln(x)","value":"NaN"}"#))
    }

    @Test func aKinkIsNamed() {
        var graph = Graph()
        let x = graph.appendLeaf(value: 0, name: "x")
        graph.annotations.names[graph.append(.relu, x)] = "r"
        let check = GradientCheck(replaying: Computation(graph: graph))
        // relu′(0) is taken as 0; central differences average the slopes 0 and 1 to 0.5, so the
        // derivative is checked one-sided instead, and the point is reported as not differentiable.
        #expect(isClose(check.entries[0].centralDifference, 0.5))
        #expect(check.passed)
        #expect(check.kinks.map(\.name) == ["r"])
        #expect(check.text().contains("not differentiable at x = 0 (r = relu(x) at its kink)"))
    }

    @Test func replayingReEvaluatesEveryOp() {
        // Replaying the recorded survey graph at new inputs gives the function's value there.
        let values = Fixtures.survey().outputValues(replayingWith: [3, 0.5])
        let x1 = 3.0, x2 = 0.5
        #expect(isClose(values[0], Foundation.log(x1) + x1 * x2 - Foundation.sin(x2)))
        var graph = Graph()
        let a = graph.appendLeaf(value: 1, name: "a"), b = graph.appendLeaf(value: 2, name: "b")
        graph.appendVariadic(.mean, [a, b, b])
        #expect(isClose(Computation(graph: graph).outputValues(replayingWith: [4, 1])[0], 2))
    }

    @Test func discrepancyIsRelativeAboveOneAndAbsoluteBelow() {
        #expect(isClose(GradientCheck.discrepancy(100, 101), 1.0 / 101))
        #expect(isClose(GradientCheck.discrepancy(1e-9, 2e-9), 1e-9))
        #expect(GradientCheck.discrepancy(.nan, .nan) == 0)
        #expect(GradientCheck.discrepancy(.infinity, 1) == .infinity)
    }
}
