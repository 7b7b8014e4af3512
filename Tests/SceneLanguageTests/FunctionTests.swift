import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// User functions: both forms, locals, groups, recursion.
@Suite struct FunctionTests {
    @Test func expressionFormInlinesTheBodyUnderAGroup() throws {
        let scene = try trace("""
            input x1 = 2, w1 = -3
            fn neuron(x, w) = tanh(x * w + 1)
            o = neuron(x1, w1)
            output o
            """)
        #expect(scene.names == ["x1", "w1", "t1", "t2", "o"])
        #expect(scene.graph.annotations.groups == [Annotations.Group(label: "neuron(x1, w1)", parent: nil, nodes: 2..<5)])
        #expect(scene.graph.annotations.groupOfNode == [2: 0, 3: 0, 4: 0])
        // o = tanh(−5), do/dx1 = w1 · (1 − tanh²(−5)).
        let t: Double = Foundation.tanh(-5.0)
        let slope = 1 - t * t
        #expect(isClose(scene.derivative(of: "o", by: "x1"), -3 * slope))
        #expect(isClose(scene.derivative(of: "o", by: "w1"), 2 * slope))
    }

    @Test func blockFormNamesLocalsAfterTheFunctionAndVersionsThemPerCall() throws {
        let scene = try trace("""
            input a = 1, b = 2
            fn square_plus(u, k) {
                s = u * u
                s += k
                return s * 2
            }
            p = square_plus(a, 3)
            q = square_plus(b, a)
            output p, q
            """)
        #expect(scene.names == ["a", "b", "square_plus.s", "square_plus.s₂", "p",
                                "square_plus.s₃", "square_plus.s₄", "q"])
        #expect(scene.graph.annotations.groups.map(\.label) == ["square_plus(a, 3)", "square_plus(b, a)"])
        // p = 2(a² + 3) = 8, dp/da = 4a = 4; q = 2(b² + a) = 10, dq/da = 2, dq/db = 4b = 8.
        #expect(isClose(scene.value("p"), 8))
        #expect(isClose(scene.derivative(of: "p", by: "a"), 4))
        #expect(isClose(scene.derivative(of: "q", by: "a"), 2))
        #expect(isClose(scene.derivative(of: "q", by: "b"), 8))
    }

    @Test func functionsMayBeCalledBeforeTheirDefinitionAndCallEachOther() throws {
        let scene = try trace("""
            input x = 3
            y = outer(x)
            fn outer(a) = inner(a) + 1
            fn inner(a) = a * a
            output y
            """)
        #expect(isClose(scene.value("y"), 10))
        let groups = scene.graph.annotations.groups
        #expect(groups.map(\.label) == ["outer(x)", "inner(a)"])
        #expect(groups[1].parent == 0)
        #expect(isClose(scene.derivative(of: "y", by: "x"), 6))
    }

    @Test func recursionWithABaseCaseUnrollsAtTraceTime() throws {
        // power(x, n) = x · power(x, n − 1), power(x, 0) = 1: x⁴, derivative 4x³ = 32 at 2.
        let scene = try trace("""
            input x = 2
            fn power(b, n) {
                if n == 0 { return 1 }
                return b * power(b, n - 1)
            }
            y = power(x, 4)
            output y
            """)
        #expect(isClose(scene.value("y"), 16))
        #expect(isClose(scene.derivative(of: "y", by: "x"), 32))
        // Five calls, but the innermost, power(b, 0), records nothing and gets no group.
        #expect(scene.graph.annotations.groups.map(\.label) == ["power(x, 4)", "power(b, n - 1)", "power(b, n - 1)", "power(b, n - 1)"])
        #expect(scene.graph.annotations.groups.map(\.parent) == [nil, 0, 1, 2])
    }

    @Test func functionsSeeTopLevelNamesAndTheirLocalsStayLocal() throws {
        let scene = try trace("""
            const lr = 0.1
            input w = 2
            fn step(v) {
                g = v * 2
                return v - lr * g
            }
            g = step(w)
            output g
            """)
        // step(w) = w − 0.1·2w = 0.8 w; the local `g` did not overwrite anything outside.
        #expect(isClose(scene.value("g"), 1.6))
        #expect(scene.names.contains("step.g"))
        #expect(isClose(scene.derivative(of: "g", by: "w"), 0.8))
    }

    @Test func aFunctionOfNumbersIsANumber() throws {
        let scene = try trace("fn half(a) = a / 2\ny = half(3)\noutput y")
        #expect(scene.graph.ops == [.constant])
        #expect(scene.value("y") == 1.5)
    }
}
