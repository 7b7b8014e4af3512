import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// The core statements: title, input, const, assignment, versions, outputs, notes.
@Suite struct StatementTests {
    @Test func surveyExampleRecordsTheTableOfTheSurvey() throws {
        let scene = try trace("""
            title "survey"
            input x1 = 2, x2 = 5
            v1 = ln(x1)
            v2 = x1 * x2
            v3 = sin(x2)
            v4 = v1 + v2
            f = v4 - v3
            note v2 "product rule"
            output f
            """)
        #expect(scene.title == "survey")
        #expect(scene.graph.annotations.title == "survey")
        #expect(scene.names == ["x1", "x2", "v1", "v2", "v3", "v4", "f"])
        #expect(scene.graph.ops == [.input, .input, .ln, .multiply, .sin, .add, .subtract])
        #expect(scene.inputs == [NamedNode(name: "x1", node: 0), NamedNode(name: "x2", node: 1)])
        #expect(scene.outputs == [NamedNode(name: "f", node: 6)])
        #expect(scene.graph.annotations.outputs == [NamedNode(name: "f", node: 6)])
        #expect(scene.graph.annotations.notes == [3: "product rule"])
        #expect(isClose(scene.value("f"), 11.652071455223084, relative: 1e-15))
        #expect(isClose(scene.derivative(of: "f", by: "x1"), 5.5))
        #expect(isClose(scene.derivative(of: "f", by: "x2"), 1.7163378145367738))
    }

    @Test func reassignmentMakesVersionsAndKeepsTheOldNode() throws {
        let scene = try trace("""
            input x = 3
            v = x * 2
            v = v + 1
            v = v * v
            output v
            """)
        #expect(scene.names == ["x", "v", "v₂", "v₃"])
        #expect(scene.outputs == [NamedNode(name: "v", node: 3)])
        // v₃ = (2x + 1)², so dv₃/dx = 4(2x + 1) = 28 at x = 3.
        #expect(isClose(scene.value("v₃"), 49))
        #expect(isClose(scene.derivative(of: "v", by: "x"), 28))
    }

    @Test func compoundAssignmentIsShorthandForTheBinaryOperator() throws {
        let scene = try trace("""
            input x = 2
            a = x
            a += x * 3
            a -= 1
            a *= x
            a /= 4
            output a
            """)
        // a aliases x; then (x + 3x − 1) · x / 4 = (4x² − x) / 4: value 3.5, derivative (8x − 1)/4 = 3.75.
        #expect(scene.names == ["x", "t1", "a", "a₂", "a₃", "a₄"])
        #expect(scene.graph.ops == [.input, .multiplyConstant, .add, .addConstant, .multiply, .divideByConstant])
        #expect(isClose(scene.value("a₄"), 3.5))
        #expect(isClose(scene.derivative(of: "a", by: "x"), 3.75))
    }

    @Test func constIsAConstantLeafWithAnAdjointButNoReportedGradient() throws {
        let scene = try trace("""
            input x = 2
            const c = 3
            y = c * x
            output y
            """)
        #expect(scene.graph.ops == [.input, .constant, .multiply])
        #expect(scene.inputs.map(\.name) == ["x"])
        let y = try #require(scene.node("y"))
        #expect(isClose(scene.graph.adjoints(from: y)[1], 2))
        #expect(isClose(scene.derivative(of: "y", by: "x"), 3))
    }

    @Test func severalConstantsAtOnceAndInputValuesFromExpressions() throws {
        let scene = try trace("const a = 1, b = 2 * 3\ninput h = 1/4, w = -3\ny = (a + b) * h * w\noutput y")
        #expect(Array(scene.graph.ops.prefix(4)) == [.constant, .constant, .input, .input])
        #expect(scene.inputs.map(\.name) == ["h", "w"])
        #expect(scene.value("b") == 6)
        // y = 7 h w: dy/dh = 7w = −21, dy/dw = 7h = 1.75.
        #expect(isClose(scene.derivative(of: "y", by: "h"), -21))
        #expect(isClose(scene.derivative(of: "y", by: "w"), 1.75))
    }

    @Test func aPlainNumberAssignedToANameIsAConstantLeaf() throws {
        let scene = try trace("k = 2 * 3 + 1\noutput k")
        #expect(scene.graph.ops == [.constant])
        #expect(scene.names == ["k"])
        #expect(isClose(scene.value("k"), 7))
    }

    @Test func severalOutputsAndNotesInOrder() throws {
        let scene = try trace("""
            input x = 1
            z = 2 * x + sin(x)
            v = 4 * x + cos(x)
            output z
            output v, z
            note z "first"
            note z "second"
            """)
        #expect(scene.outputs.map(\.name) == ["z", "v", "z"])
        let z = try #require(scene.node("z"))
        #expect(scene.graph.annotations.notes[z] == "first\nsecond")
        #expect(isClose(scene.derivative(of: "z", by: "x"), 2 + Foundation.cos(1)))
        #expect(isClose(scene.derivative(of: "v", by: "x"), 4 - Foundation.sin(1)))
    }

    @Test func statementsSeparatedBySemicolonsAndWrappedLines() throws {
        let scene = try trace("input a = 3; b = a + a; c = b +\n b\noutput c\n")
        #expect(scene.names == ["a", "b", "c"])
        #expect(isClose(scene.derivative(of: "c", by: "a"), 4))
        let wrapped = try trace("input x = 1\ny = max(x,\n  2)\noutput y")
        #expect(isClose(wrapped.value("y"), 2))
    }

    @Test func unicodeNamesAndCommentsAndCRLF() throws {
        let scene = try trace("# a comment\r\ninput θ = 0.5, σ = 2 # trailing\r\nμ = θ * σ\r\noutput μ\r\n")
        #expect(scene.names == ["θ", "σ", "μ"])
        #expect(isClose(scene.derivative(of: "μ", by: "θ"), 2))
    }
}
