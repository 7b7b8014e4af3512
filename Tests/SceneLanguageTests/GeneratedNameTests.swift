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
