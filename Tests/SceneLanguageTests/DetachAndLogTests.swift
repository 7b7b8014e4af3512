import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// `detach`, `log2` and `log10` in scenes, against derivatives worked out by hand.
@Suite struct DetachAndLogTests {
    @Test func detachPassesTheValueAndStopsTheGradient() throws {
        // y = x · detach(x): the value is x², the gradient only the direct path, detach(x) = x
        // (PyTorch: (x * x.detach()).backward() gives x.grad = x).
        let scene = try trace("input x = 3\nd = detach(x)\ny = x * d\ndy = grad(y, x)\nddy = grad(dy, x)\noutput y, dy")
        #expect(isClose(scene.value("y"), 9))
        #expect(isClose(scene.derivative(of: "y", by: "x"), 3))
        // grad(y, x) is the node d = detach(x) itself, so its own derivative is 0.
        #expect(scene.outputs[1].node == scene.node("d"))
        #expect(isClose(scene.graph.values[scene.outputs[1].node], 3))
        #expect(isClose(scene.value("ddy"), 0))
        #expect(isClose(scene.derivative(of: "dy", by: "x"), 0))
    }

    @Test func aStopGradientTargetLeavesOnlyThePredictionsPath() throws {
        // L = (w·x − detach(w·x + 1))²/2: dL/dw = (w·x − (w·x + 1))·x = −x, the target held fixed.
        let scene = try trace("input w = 0.5\nconst x = 2\np = w * x\nL = (p - detach(p + 1))^2 / 2\noutput L")
        #expect(isClose(scene.derivative(of: "L", by: "w"), -2))
    }

    @Test func baseTwoAndBaseTenLogarithms() throws {
        let scene = try trace("input x = 8\na = log2(x)\nb = log10(x * 125)\noutput a, b")
        #expect(isClose(scene.value("a"), 3))
        #expect(isClose(scene.value("b"), 3))
        // d log₂x/dx = 1/(x ln 2); d log₁₀(125x)/dx = 1/(x ln 10).
        #expect(isClose(scene.derivative(of: "a", by: "x"), 1 / (8 * Foundation.log(2)), relative: 1e-15))
        #expect(isClose(scene.derivative(of: "b", by: "x"), 1 / (8 * Foundation.log(10)), relative: 1e-15))
        // Built as nodes, so the second derivative is −1/(x² ln 2).
        let second = try trace("input x = 8\na = log2(x)\nda = grad(grad(a, x), x)\noutput da")
        #expect(isClose(second.value("da"), -1 / (64 * Foundation.log(2)), relative: 1e-14))
    }
}
