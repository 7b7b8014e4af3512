import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// `repeat`, `for` and `if`, decided and unrolled at trace time.
@Suite struct ControlFlowTests {
    @Test func repeatUnrollsAndGroupsEachIteration() throws {
        let scene = try trace("""
            input x = 2
            y = x
            repeat 3 {
                y = y * x
            }
            output y
            """)
        // `y = x` binds y to the input itself (no new node), so the first node named y is `y`.
        #expect(scene.names == ["x", "y", "y₂", "y₃"])
        #expect(scene.graph.annotations.groups.map(\.label) == ["repeat 1/3", "repeat 2/3", "repeat 3/3"])
        #expect(scene.graph.annotations.groupOfNode == [1: 0, 2: 1, 3: 2])
        // y = x⁴: 16, derivative 4x³ = 32.
        #expect(isClose(scene.value("y₃"), 16))
        #expect(isClose(scene.derivative(of: "y", by: "x"), 32))
    }

    @Test func forLoopVariableIsAPlainNumber() throws {
        let scene = try trace("""
            input x = 1
            s = x
            for i in 1...3 { s = s + i * x }
            for k in 0..<2 { s = s * k }
            output s
            """)
        // i·x folds to one multiplyConstant node per iteration.
        #expect(scene.graph.ops == [.input, .multiplyConstant, .add, .multiplyConstant, .add, .multiplyConstant, .add,
                                    .multiplyConstant, .multiplyConstant])
        #expect(scene.graph.annotations.groups.map(\.label) == ["for i = 1", "for i = 2", "for i = 3", "for k = 0", "for k = 1"])
        #expect(isClose(scene.value("s₅"), 0))
        let middle = try trace("input x = 1\ns = x\nfor i in 1...3 { s = s + i * x }\noutput s")
        #expect(isClose(middle.value("s₃"), 7))
        #expect(isClose(middle.derivative(of: "s", by: "x"), 7))
    }

    @Test func emptyRangesRunNothing() throws {
        let scene = try trace("input x = 1\nfor i in 3...1 { x = x * 2 }\nfor i in 1..<1 { x = x * 2 }\nrepeat 0 { x = x * 2 }\noutput x")
        #expect(scene.graph.count == 1)
        #expect(scene.graph.annotations.groups.isEmpty)
    }

    @Test func ifTakesOneBranchOnTheCurrentValues() throws {
        let text = """
            input x = VALUE
            if x > 0 and not x > 10 {
                y = x * 2
            } else if x <= -5 or x == -1 {
                y = x * 3
            }
            else {
                y = x * 4
            }
            output y
            """
        let cases: [(Double, Double)] = [(2, 2), (20, 4), (-7, 3), (-1, 3), (-2, 4)]
        for (x, slope) in cases {
            let scene = try trace(text.replacingOccurrences(of: "VALUE", with: "\(x)"))
            #expect(isClose(scene.derivative(of: "y", by: "x"), slope), "x = \(x)")
            #expect(scene.graph.count == 2, "only the branch taken is recorded")
        }
    }

    @Test func conditionsRecordNothing() throws {
        let scene = try trace("""
            input x = 3
            fn double(a) = a * 2
            if double(x) * x != 0 and (x >= 3) { y = x + 1 }
            output y
            """)
        #expect(scene.graph.ops == [.input, .addConstant])
        #expect(scene.graph.annotations.groups.isEmpty)
    }

    @Test func everyComparison() throws {
        let checks = ["1 < 2", "2 <= 2", "3 > 2", "2 >= 2", "2 == 2", "1 != 2", "not 1 > 2", "1 > 2 or 2 > 1", "(1 < 2) and (2 < 3)"]
        for check in checks {
            let scene = try trace("y = 0\nif \(check) { y = 1 }\noutput y")
            #expect(scene.value("y₂") == 1, "\(check)")
        }
    }

    @Test func aConstantCanBeARepeatCount() throws {
        let scene = try trace("const n = 2\ninput x = 3\ny = x\nrepeat n { y = y * y }\noutput y")
        #expect(isClose(scene.value("y₂"), 81))
    }

    @Test func loopsInsideFunctionsAndNestedGroups() throws {
        let scene = try trace("""
            input x = 2
            fn cube(a) {
                p = a
                repeat 2 { p = p * a }
                return p
            }
            y = cube(x)
            output y
            """)
        let groups = scene.graph.annotations.groups
        #expect(groups.map(\.label) == ["cube(x)", "repeat 1/2", "repeat 2/2"])
        #expect(groups.map(\.parent) == [nil, 0, 0])
        #expect(isClose(scene.derivative(of: "y", by: "x"), 12))
    }
}
