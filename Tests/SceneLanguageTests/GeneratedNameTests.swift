import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// The names the tracer makes up (versions `v₁₂`, temporaries `t3`), which the benchmark work
/// rewrote for speed: the same names must come out as before.
@Suite struct GeneratedNameTests {
    @Test func versionsPastNineHaveEverySubscriptDigit() throws {
        let scene = try trace("""
            input x = 1
            v = x
            repeat 12 { v = v + 1 }
            output v
            """)
        // v aliases x; the twelve additions are v, v₂, …, v₁₂.
        #expect(Array(scene.names.suffix(3)) == ["v₁₀", "v₁₁", "v₁₂"])
        #expect(isClose(scene.value("v₁₂"), 13))
    }

    @Test func temporariesSkipTheNamesUsersTook() throws {
        // A user's `t1` takes that name, so the temporaries start at `t2`.
        let scene = try trace("""
            input t1 = 2, t07 = 3, t = 4
            y = t1 * t07 * t + 1
            output y
            """)
        #expect(scene.names == ["t1", "t07", "t", "t2", "t3", "y"])
        #expect(isClose(scene.value("y"), 25))
    }
}

/// Names in loops, function calls and shadowing, worked out by hand from the naming rules
/// (README): the tracer stores them as a base and a version and writes them out when read.
@Suite struct NamesInLoopsAndFunctionsTests {
    @Test func aFunctionsLocalsAreVersionedAcrossCallsAndShadowNothing() throws {
        let scene = try trace("""
            input a = 2
            fn f(a) {
              a = a * 2
              return a + 1
            }
            fn g(x) { return f(x) * f(x + 1) }
            b = g(a)
            b = b * a
            c = f(b)
            t1 = c + 1
            t3 = t1 * 2
            output t3
            """)
        // f's parameter `a` shadows the input: its assignment is `f.a`, one version per call;
        // the user's t1 and t3 are taken, so the temporaries are t2, t4, t5.
        #expect(scene.names == ["a", "f.a", "t2", "t4", "f.a₂", "t5", "b", "b₂", "f.a₃", "c", "t1", "t3"])
        #expect(isClose(scene.value("t3"), 284))
        #expect(isClose(scene.value("a"), 2))
        let groups = scene.graph.annotations.groups
        #expect(groups.map(\.label) == ["g(a)", "f(x)", "f(x + 1)", "f(b)"])
        #expect(groups.map(\.parent) == [nil, 0, 0, nil])
        #expect(groups.map(\.nodes) == [1..<7, 1..<3, 4..<6, 8..<10])
        // Innermost groups: f(x) for 1–2; `x + 1` (node 3) is an argument, computed in g before
        // the call opens f(x + 1) for 4–5; g(a) again for 6 (the product); f(b) for 8–9.
        #expect(scene.graph.annotations.groupOfNode == [1: 1, 2: 1, 3: 0, 4: 2, 5: 2, 6: 0, 8: 3, 9: 3])
    }

    @Test func loopsVersionEveryAssignmentAndNumberTheirGroups() throws {
        let scene = try trace("""
            input x = 1
            v = x
            for i in 1...2 {
              v = v * i
              repeat 2 { u = v + i }
            }
            y = u + v
            output y
            """)
        // v = x names nothing new; `v * i` is v, then v₂; each `v + i` a version of u.
        #expect(scene.names == ["x", "v", "u", "u₂", "v₂", "u₃", "u₄", "y"])
        #expect(isClose(scene.value("y"), 6))
        let groups = scene.graph.annotations.groups
        #expect(groups.map(\.label) == ["for i = 1", "repeat 1/2", "repeat 2/2", "for i = 2", "repeat 1/2", "repeat 2/2"])
        #expect(groups.map(\.parent) == [nil, 0, 0, nil, 3, 3])
        #expect(scene.graph.annotations.groupOfNode == [1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5])
    }

    @Test func aCallInALoopIsLabelledByItsSourceEveryTime() throws {
        let scene = try trace("""
            input w = 0.5
            fn sq(z) { return z * z }
            s = w
            repeat 3 { s = sq(s   +   w) }
            output s
            """)
        #expect(scene.graph.annotations.groups.map(\.label)
                == ["repeat 1/3", "sq(s + w)", "repeat 2/3", "sq(s + w)", "repeat 3/3", "sq(s + w)"])
        #expect(scene.names == ["w", "t1", "s", "t2", "s₂", "t3", "s₃"])
    }

    /// Each call starts with no locals bound, even though calls reuse their binding arrays: a
    /// local set only by an earlier call has no value in the next.
    @Test func aLocalOfAnEarlierCallIsNotSeenByTheNext() throws {
        let function = """
            input x = 2
            fn f(a) {
              if a > 1 { s = a * 2 }
              return s + 1
            }
            """
        let both = try trace(function + "\ny = f(x) + f(x - 0.5)\noutput y")
        // f(2) = 2·2 + 1 = 5 and f(1.5) = 3 + 1 = 4; ∂y/∂x = 2 + 2.
        #expect(isClose(both.value("y"), 9))
        #expect(isClose(both.derivative(of: "y", by: "x"), 4))
        #expect(rendered(function + "\ny = f(x) + f(x - 2)\noutput y") == """
            test.scene:4:10: error: `s` has no value here: it is defined only inside a block that did not run: a loop that ran 0 times or an `if` branch not taken
              return s + 1
                     ^
            """)
    }

    @Test func aLoopVariableHidesAnInputOnlyInsideItsLoop() throws {
        let scene = try trace("""
            input i = 2
            for i in 1...3 { y = i * i }
            z = i * y
            output z
            """)
        #expect(isClose(scene.value("z"), 18))
        #expect(isClose(scene.derivative(of: "z", by: "i"), 9))
        #expect(rendered("input x = 2\nfor i in 1...3 { y = x * i }\nz = i + y\noutput z") == """
            test.scene:3:5: error: `i` has no value here: it is the variable of the `for` loop on line 2 and exists only inside that loop
            z = i + y
                ^
            """)
    }
}
