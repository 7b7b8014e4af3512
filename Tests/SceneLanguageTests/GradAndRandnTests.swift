import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// `grad(y, x)` against symbolic derivatives, and `randn(seed)` against golden numbers.
@Suite struct GradAndRandnTests {
    @Test func gradIsBuiltAsGroupedNodes() throws {
        // y = x³ · sin x; y' = 3x² sin x + x³ cos x.
        let scene = try trace("""
            input x = 1.3
            y = x^3 * sin(x)
            dy = grad(y, x)
            output dy
            """)
        let x = 1.3
        #expect(isClose(scene.value("dy"), 3 * x * x * Foundation.sin(x) + x * x * x * Foundation.cos(x)))
        let group = try #require(scene.graph.annotations.groups.first)
        #expect(group.label == "grad(y, x)")
        let dy = try #require(scene.node("dy"))
        #expect(group.nodes.contains(dy))
        // The derivative is itself differentiable: d(dy)/dx = y''.
        let second = 6 * x * Foundation.sin(x) + 6 * x * x * Foundation.cos(x) - x * x * x * Foundation.sin(x)
        #expect(isClose(scene.derivative(of: "dy", by: "x"), second, relative: 1e-12))
    }

    @Test func tanhAndItsHigherDerivatives() throws {
        let scene = try trace("""
            input x = 0.5
            y = tanh(x)
            d1 = grad(y, x)
            d2 = grad(d1, x)
            d3 = grad(grad(grad(y, x), x), x)
            output d1, d2, d3
            """)
        let t: Double = Foundation.tanh(0.5)
        let s = 1 - t * t
        #expect(isClose(scene.value("d1"), s))
        #expect(isClose(scene.value("d2"), -2 * t * s))
        #expect(isClose(scene.value("d3"), -2 * s * (1 - 3 * t * t), relative: 1e-12))
        #expect(scene.graph.annotations.groups.map(\.label).contains("grad(grad(grad(y, x), x), x)"))
    }

    @Test func gradOfSomethingThatDoesNotDependOnXIsZero() throws {
        let scene = try trace("input x = 1, z = 2\ny = z * 3\nd = grad(y, x)\ne = grad(5, x)\noutput d, e")
        #expect(scene.value("d") == 0)
        #expect(scene.value("e") == 0)
    }

    /// Golden numbers computed by a separate Python implementation of the documented generator.
    static let golden: [(seed: Int64, value: Double)] = [
        (0, -0.45275774021745807), (1, -0.028249746095854695), (7, 1.3649922974572282),
        (42, 0.41471975043153037), (-1, 0.4038981710442082),
    ]

    /// SplitMix64 then Box–Muller, written again here from the documentation.
    static func independentSample(seed: Int64) -> Double {
        var state = UInt64(bitPattern: seed)
        func next() -> UInt64 {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let u1 = (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992
        let u2 = (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992
        return Foundation.sqrt(-2 * Foundation.log(u1)) * Foundation.cos(2 * Double.pi * u2)
    }

    @Test func randnGivesTheGoldenNumberForEachSeed() throws {
        for (seed, value) in Self.golden {
            #expect(isClose(Self.independentSample(seed: seed), value, relative: 1e-15))
            let scene = try trace("e = randn(\(seed))\noutput e")
            #expect(scene.graph.ops == [.constant])
            #expect(isClose(scene.value("e"), value, relative: 1e-15), "seed \(seed)")
        }
    }

    @Test func reparameterisationTrick() throws {
        let scene = try trace("input mu = 0.5, sigma = 2\nz = mu + sigma * randn(7)\nw = randn(7) + randn(1)\noutput z")
        let epsilon = 1.3649922974572282
        #expect(isClose(scene.derivative(of: "z", by: "sigma"), epsilon, relative: 1e-15))
        #expect(isClose(scene.derivative(of: "z", by: "mu"), 1))
        #expect(isClose(scene.value("z"), 0.5 + 2 * epsilon, relative: 1e-15))
        // Unassigned randn leaves are named after their seed, versioned when drawn again.
        #expect(scene.names.filter { $0.hasPrefix("randn") } == ["randn(7)", "randn(7)₂", "randn(1)"])
    }

    @Test func randnNeedsAWholeSeed() {
        #expect(rendered("e = randn(1.5)\noutput e") == """
            test.scene:1:11: error: the seed of `randn` must be a whole number, but it is 1.5
            e = randn(1.5)
                      ^
            """)
    }
}
