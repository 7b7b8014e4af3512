import Foundation
import GradFlow
import Reports
import Testing
import TestSupport

/// The gradient check at kinks and branches: a point where the function is not differentiable,
/// or a central difference that crosses a kink or a branch, is checked one-sided and reported,
/// not failed; a wrong derivative there still fails.
@Suite struct GradientCheckKinkTests {
    /// `y = op(x)` at `x`, checked by replaying the recorded graph.
    private func check(_ op: Op, at x: Double) -> GradientCheck {
        var graph = Graph()
        let input = graph.appendLeaf(value: x, name: "x")
        let y = graph.append(op, input)
        graph.annotations.names[y] = "y"
        graph.annotations.outputs = [.init(name: "y", node: y)]
        return GradientCheck(replaying: Computation(graph: graph))
    }

    private func straddle(_ entry: GradientCheck.Entry) -> GradientCheck.Straddle? {
        if case .straddles(let straddle) = entry.finiteDifference { return straddle }
        return nil
    }

    @Test("relu at 0: not differentiable, left 0 and right 1, AD takes the left slope; passed")
    func reluAtItsKink() throws {
        let check = check(.relu, at: 0)
        #expect(check.passed)
        let found = try #require(straddle(check.entries[0]))
        #expect(found.atKink && found.sidesDiffer && found.agreeingSide == .left)
        #expect(isClose(found.left ?? .nan, 0, absolute: 1e-9) && isClose(found.right ?? .nan, 1, relative: 1e-9))
        let text = check.text()
        #expect(text.contains("note: ∂y/∂x: not differentiable at x = 0 (y = relu(x) at its kink): left 0, right 1; AD gives 0, the left slope"), "\(text)")
        #expect(text.contains("ok (not differentiable)"))
        #expect(text.contains("passed: all 1 derivatives agree (1 checked one-sided at a kink or branch)"))
        #expect(check.json.serialized().contains(#""finiteDifference":{"kind":"notDifferentiable","cause":"y = relu(x)","left":"#))
    }

    @Test("abs at 0: AD's 0 lies between the slopes −1 and 1 (a subgradient); reported though the central difference agrees")
    func absAtItsKink() throws {
        let check = check(.abs, at: 0)
        #expect(check.passed)
        #expect(check.entries[0].agreesWithCentral)
        let found = try #require(straddle(check.entries[0]))
        #expect(found.agreeingSide == .between)
        #expect(isClose(found.left ?? .nan, -1, relative: 1e-9) && isClose(found.right ?? .nan, 1, relative: 1e-9))
        #expect(check.text().contains("left -1, right 1; AD gives 0, between the two"))
    }

    @Test("abs at 1e-8: the central difference crosses the kink; the right slope agrees; passed")
    func absNearItsKink() throws {
        let check = check(.abs, at: 1e-8)
        let entry = check.entries[0]
        // (|x + h| − |x − h|) / 2h = x / h for h > x: far from the derivative 1.
        #expect(!entry.agreesWithCentral && entry.centralDifference < 0.01)
        #expect(check.passed)
        let found = try #require(straddle(entry))
        #expect(!found.atKink && found.rightIsSmooth && !found.leftIsSmooth && found.agreeingSide == .right)
        #expect(isClose(found.right ?? .nan, 1, relative: 1e-9))
        let text = check.text()
        #expect(text.contains("∂y/∂x at x = 1e-8: the central difference (0.00165"), "\(text)")
        #expect(text.contains("crosses y = abs(x) between x − h and x + h, so it mixes two slopes; one-sided: left ≈ -1, right 1; AD gives 1, the right slope"), "\(text)")
        #expect(text.contains("ok (one-sided)"))
    }

    @Test("max(x, y) at x = y: each input's derivative is one side's slope; passed")
    func maxOfEqualArguments() {
        var graph = Graph()
        let x = graph.appendLeaf(value: 1, name: "x"), y = graph.appendLeaf(value: 1, name: "y")
        let m = graph.append(.max, x, y)
        graph.annotations.names[m] = "m"
        graph.annotations.outputs = [.init(name: "m", node: m)]
        let check = GradientCheck(replaying: Computation(graph: graph))
        #expect(check.passed)
        #expect(check.entries.map { straddle($0)?.agreeingSide } == [.right, .left])
    }

    @Test("a wrong derivative at a kink still fails: its slope is on neither side")
    func wrongDerivativeAtAKinkFails() {
        // Recorded: y = relu(x) at 0 (AD 0). Evaluated: relu(x) + x, whose slopes are 1 and 2.
        var graph = Graph()
        let x = graph.appendLeaf(value: 0, name: "x")
        let y = graph.append(.relu, x)
        graph.annotations.names[y] = "y"
        graph.annotations.outputs = [.init(name: "y", node: y)]
        let computation = Computation(graph: graph)
        let check = GradientCheck(computation) { (point: [Double]) in
            GradientCheck.Evaluation(outputs: [Swift.max(point[0], 0) + point[0]], values: computation.values(replayingWith: point))
        }
        #expect(!check.passed)
        #expect(straddle(check.entries[0])?.agreeingSide == nil)
        #expect(check.text().contains("FAIL (one-sided)"))
        #expect(check.text().contains("AD gives 0, which is neither side's slope"))
    }

    @Test("a branch that switches between x and x + h: the left slope agrees; the right is shown")
    func branchSwitchingWithinTheStep() throws {
        // `if x > 1 { y = x * 2 } else { y = x * 3 }` at x = 1: recorded y = 3x (the else branch).
        var graph = Graph()
        let x = graph.appendLeaf(value: 1, name: "x")
        let y = graph.append(.multiplyConstant, x, parameter: 3)
        graph.annotations.names[y] = "y"
        graph.annotations.outputs = [.init(name: "y", node: y)]
        let computation = Computation(graph: graph)
        let check = GradientCheck(computation) { (point: [Double]) in
            point[0] > 1
                ? GradientCheck.Evaluation(outputs: [2 * point[0]], traceChanged: true)
                : GradientCheck.Evaluation(outputs: [3 * point[0]], values: computation.values(replayingWith: point))
        }
        #expect(check.passed)
        let found = try #require(straddle(check.entries[0]))
        #expect(found.agreeingSide == .left && found.leftIsSmooth && !found.rightIsSmooth)
        #expect(isClose(found.left ?? .nan, 3, relative: 1e-9) && isClose(found.right ?? .nan, 2, relative: 1e-9))
        #expect(check.text().contains("crosses the branch taken (tracing again at x + h recorded a different graph)"))
        #expect(check.text().contains("left 3, right ≈ 2; AD gives 3, the left slope"))
    }

    @Test("an input that cannot be moved is checked against forward mode only; the others as usual")
    func inputThatCannotBeMoved() {
        // y = x · n where n is a count: moving n by h makes the scene invalid.
        var graph = Graph()
        let n = graph.appendLeaf(value: 3, name: "n"), x = graph.appendLeaf(value: 2, name: "x")
        let y = graph.append(.multiply, x, n)
        graph.annotations.names[y] = "y"
        graph.annotations.outputs = [.init(name: "y", node: y)]
        let check = GradientCheck(Computation(graph: graph)) { (point: [Double]) in
            point[0] == 3 ? GradientCheck.Evaluation(outputs: [point[0] * point[1]])
                : .failed("a repeat count must be a whole number, but it is \(point[0])")
        }
        #expect(check.passed)
        guard case .notCheckable(let reason) = check.entries[0].finiteDifference else {
            Issue.record("n: \(check.entries[0].finiteDifference)")
            return
        }
        #expect(reason.hasPrefix("a repeat count must be a whole number, but it is 3.0000"))
        #expect(check.entries[1].finiteDifference == .agrees)
        #expect(isClose(check.entries[1].centralDifference, 3, relative: 1e-9))
        let text = check.text()
        #expect(text.contains("note: n cannot be checked by finite differences"))
        #expect(text.contains("ok (forward only)"))
        #expect(text.contains("passed: all 2 derivatives agree (1 input (n) checked against forward mode only)"))
    }

    /// `L = min(a, c) + 6.2` at a = c = 0.7 (Scenes/max-relu-abs-kinks.scene): on the right of a
    /// the minimum is c, flat in a. Its one-sided difference is a residue of rounding
    /// ((6.9 − 6.9) / 2h: about 1e-10), which the note wrote as `right -1.466741e-10`.
    @Test("a flat side's one-sided slope is 0, not the rounding residue of its difference")
    func flatSideReadsZero() throws {
        var graph = Graph()
        let a = graph.appendLeaf(value: 0.7, name: "a"), c = graph.appendLeaf(value: 0.7, name: "c")
        let m = graph.append(.min, a, c)
        let y = graph.append(.addConstant, m, parameter: 6.2)
        graph.annotations.names[y] = "L"
        graph.annotations.outputs = [.init(name: "L", node: y)]
        let check = GradientCheck(replaying: Computation(graph: graph))
        #expect(check.passed)
        let found = try #require(straddle(check.entries[0]))
        #expect(found.left == 1 || isClose(found.left ?? .nan, 1, relative: 1e-9))
        #expect(found.right == 0, "right: \(found.right ?? .nan)")
        #expect(check.text().contains("left 1, right 0; AD gives 1, the left slope"), "\(check.text())")
    }
}
