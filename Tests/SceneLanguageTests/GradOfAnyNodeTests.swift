import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// `grad(y, v)` for a computed node `v`, checked against derivatives worked out by hand and
/// against central differences of the same computation written again in Swift.
@Suite struct GradOfAnyNodeTests {
    @Test func theChainRuleSlidesIntermediate() throws {
        let scene = try trace("""
            input x = 1.5, y = -0.5
            a = x * y
            b = sin(a)
            s = a * b + y^2
            dsda = grad(s, a)
            second = grad(dsda, a)
            dsdx = grad(s, x)
            output s, dsda, second, dsdx
            """)
        let a = 1.5 * -0.5
        // s(a) = a·sin a + y², y held fixed: s′ = sin a + a cos a, s″ = 2 cos a − a sin a.
        #expect(isClose(scene.value("dsda"), Foundation.sin(a) + a * Foundation.cos(a)))
        #expect(isClose(scene.value("second"), 2 * Foundation.cos(a) - a * Foundation.sin(a)))
        let difference = centralDifference(at: a) { a in a * Foundation.sin(a) + 0.25 }
        #expect(isClose(scene.value("dsda"), difference, relative: 1e-8))
        // The chain rule: ∂s/∂x = ∂s/∂a · ∂a/∂x = ∂s/∂a · y.
        #expect(isClose(scene.value("dsdx"), scene.value("dsda") * -0.5))
    }

    @Test func theNodesVDependsOnAreHeldFixed() throws {
        // s = a + x with a = x²: ∂s/∂a is 1 (the path through x alone is not counted), while
        // ∂s/∂x is 2x + 1.
        let scene = try trace("input x = 3\na = x^2\ns = a + x\nda = grad(s, a)\ndx = grad(s, x)\noutput da, dx")
        #expect(isClose(scene.value("da"), 1))
        #expect(isClose(scene.value("dx"), 7))
    }

    @Test func gradByItselfIsOneAndByALaterNodeIsZero() throws {
        let scene = try trace("input x = 2\ny = x * x\nz = y + 1\none = grad(y, y)\nzero = grad(y, z)\noutput one, zero")
        #expect(isClose(scene.value("one"), 1))
        #expect(scene.value("zero") == 0)
    }

    @Test func gradByALoopVariableIsADiagnostic() {
        #expect(rendered("input x = 1\nfor i in 1...2 {\n  d = grad(x, i)\n}\noutput x") == """
            test.scene:3:15: error: `i` is a plain number, not a node, so it cannot be the variable of `grad`
              d = grad(x, i)
                          ^
            """)
    }

    /// Gradient descent on (w·x − t)² with x = 2, t = 3, lr = 0.1: each step is w ← 0.2·w + 1.2,
    /// so w₃ = 0.008·w₀ + 1.2·(1 + 0.2 + 0.04) and d final/d w₀ = 2(w₃x − t)·x·0.2³.
    @Test func anUnrolledGradientDescentIsDifferentiableThroughEveryStep() throws {
        let scene = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/gradient-descent-unrolled.scene").path)
        let w3 = 0.008 * 0.5 + 1.2 * 1.24
        #expect(isClose(w3, 1.492))
        #expect(isClose(scene.value("final"), (w3 * 2 - 3) * (w3 * 2 - 3), relative: 1e-9))
        #expect(isClose(scene.derivative(of: "final", by: "w"), 2 * (w3 * 2 - 3) * 2 * 0.008, relative: 1e-9))
    }

    @Test func aNonlinearUnrolledLoopAgreesWithCentralDifferences() throws {
        // Loss (tanh(w·x) − t)²; five steps; the derivative of the final loss by w₀ and by lr.
        let scene = try trace("""
            input w = 0.3, lr = 0.5
            const x = 1.5, t = 0.7
            fn loss(w) = (tanh(w * x) - t)^2
            repeat 5 {
                L = loss(w)
                w = w - lr * grad(L, w)
            }
            final = loss(w)
            output final
            """)
        func run(_ w0: Double, _ lr: Double) -> Double {
            var w = w0
            for _ in 0..<5 {
                let th = Foundation.tanh(w * 1.5)
                w -= lr * 2 * (th - 0.7) * (1 - th * th) * 1.5
            }
            let th = Foundation.tanh(w * 1.5)
            return (th - 0.7) * (th - 0.7)
        }
        #expect(isClose(scene.value("final"), run(0.3, 0.5)))
        let byW = centralDifference(at: 0.3) { run($0, 0.5) }
        let byLR = centralDifference(at: 0.5) { run(0.3, $0) }
        #expect(isClose(scene.derivative(of: "final", by: "w"), byW, relative: 1e-6))
        #expect(isClose(scene.derivative(of: "final", by: "lr"), byLR, relative: 1e-6))
    }

    @Test func aLeapfrogStepKeepsVolume() throws {
        let scene = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/hmc-leapfrog.scene").path)
        // The Jacobian of (q, p) ↦ (q₁, p₁) has determinant 1 (leapfrog is symplectic).
        let determinant = scene.derivative(of: "q1", by: "q") * scene.derivative(of: "p1", by: "p")
            - scene.derivative(of: "q1", by: "p") * scene.derivative(of: "p1", by: "q")
        #expect(isClose(determinant, 1, relative: 1e-14))
        // The same step written again in Swift, differentiated by central differences.
        func step(_ q: Double, _ p: Double) -> (q: Double, p: Double) {
            let eps = 0.1
            let half = p - eps / 2 * (q + q * q * q)
            let q1 = q + eps * half
            return (q1, half - eps / 2 * (q1 + q1 * q1 * q1))
        }
        #expect(isClose(scene.value("p1"), step(1, 0.5).p))
        #expect(isClose(scene.derivative(of: "p1", by: "q"), centralDifference(at: 1) { step($0, 0.5).p }, relative: 1e-8))
        #expect(isClose(scene.derivative(of: "p1", by: "p"), centralDifference(at: 0.5) { step(1, $0).p }, relative: 1e-8))
    }

    // MARK: Constants

    @Test func piAndEAreNumbersThatFoldIntoTheOp() throws {
        let scene = try trace("input x = 2\ny = x * pi\nz = e^x\nw = sin(π / 2)\noutput y, z, w")
        #expect(isClose(scene.value("y"), 2 * Double.pi))
        #expect(isClose(scene.value("z"), Foundation.exp(2), relative: 1e-15))
        #expect(isClose(scene.value("w"), 1))
        #expect(isClose(scene.derivative(of: "z", by: "x"), Foundation.exp(2), relative: 1e-15))
        // No leaf for the constants: x, then x·π, then e^x, then the constant 1 named w.
        #expect(scene.graph.ops == [.input, .multiplyConstant, .constantPower, .constant])
    }

    @Test func aSceneThatDefinesEKeepsItsOwnE() throws {
        let scene = try trace("input u = 1\ne = exp(2 * u)\ny = e + 1\noutput y")
        #expect(isClose(scene.value("y"), Foundation.exp(2) + 1, relative: 1e-15))
        #expect(isClose(scene.derivative(of: "y", by: "u"), 2 * Foundation.exp(2), relative: 1e-15))
        #expect(rendered("input u = 1\ny = e + u\ne = 3\noutput y") == """
            test.scene:2:5: error: `e` is used before it is defined
            y = e + u
                ^
            """)
    }

    @Test func anExpressionMayUsePiUnlessItIsGivenAValue() throws {
        let scene = try Scene.expression("sin(pi * x)", values: [("x", 0.25)])
        #expect(isClose(scene.graph.values[scene.outputs[0].node], Foundation.sin(Double.pi / 4), relative: 1e-15))
        let shadowed = try Scene.expression("pi * 2", values: [("pi", 3)])
        #expect(isClose(shadowed.graph.values[shadowed.outputs[0].node], 6))
    }
}
