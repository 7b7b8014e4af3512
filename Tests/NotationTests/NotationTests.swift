import GradFlow
import Notation
import Testing
import TestSupport

/// One notation for every view: adjoints, tangents, partials and contributions, in Unicode,
/// ASCII and LaTeX, each checked against what a person writes by hand.
@Suite struct NotationTests {
    let unicode = Notation()
    let ascii = Notation(.ascii)
    let latex = Notation(.latex)

    @Test func aLetterWithDigitsKeepsTheSurveysMarkOnTheLetter() {
        #expect(unicode.adjoint("x1") == "x\u{0304}1")
        #expect(unicode.tangent("x1") == "x\u{0307}1")
        #expect(unicode.adjoint("v₂") == "v\u{0304}₂")
        #expect(unicode.adjoint("θ") == "θ\u{0304}")
        #expect(latex.adjoint("x1") == "\\bar{x}1")
        #expect(latex.tangent("x1") == "\\dot{x}1")
        #expect(latex.adjoint("v₂") == "\\bar{v}_{2}")
        #expect(latex.tangent("θ") == "\\dot{\\theta}")
    }

    @Test func anyOtherNameHasOneBarOverItAllAndAPrime() {
        // Not x̄1w1, which reads as x̄ times 1w1.
        #expect(unicode.adjoint("x1w1") == "x\u{0305}1\u{0305}w\u{0305}1\u{0305}")
        #expect(unicode.tangent("x1w1") == "x1w1′")
        #expect(unicode.adjoint("net.h2₃") == "n\u{0305}e\u{0305}t\u{0305}.\u{0305}h\u{0305}2\u{0305}₃")
        #expect(latex.adjoint("x1w1") == "\\overline{\\mathit{x1w1}}")
        #expect(latex.tangent("x1w1") == "\\mathit{x1w1}'")
        #expect(latex.adjoint("net.h2₃") == "\\overline{\\mathit{net.h2}}_{3}")
    }

    @Test func asciiSpellsTheMarksOut() {
        #expect(ascii.adjoint("x1w1") == "x1w1_bar")
        #expect(ascii.tangent("x1") == "x1_dot")
        #expect(ascii.partial("v2", "x1") == "dv2/dx1")
        #expect(ascii.times == " * " && ascii.arrow == " -> ")
    }

    @Test func theContributionLineIsTheSurveys() {
        let graph = ExampleGraphs.survey()
        let timeline = Timeline(graph: graph, mode: .reverse(output: graph.count - 1))
        // x̄1 += v̄2 · ∂v2/∂x1 = 1 · 5 = 5, the sixth contribution of the survey's table 3.
        let sixth = timeline.contribution(5)
        #expect(unicode.contribution(sixth, in: graph) == "x\u{0304}1 += v\u{0304}2 · ∂v2/∂x1 = 1 · 5 = 5")
        #expect(ascii.contribution(sixth, in: graph) == "x1_bar += v2_bar * dv2/dx1 = 1 * 5 = 5")
        #expect(latex.contribution(sixth, in: graph)
            == "\\bar{x}1 \\mathrel{+}= \\bar{v}2 \\cdot \\partial v2/\\partial x1 = 1 \\cdot 5 = 5")
    }

    @Test func expressionsAndSubstitutedExpressions() {
        var graph = Graph()
        let x = graph.appendLeaf(value: -2, name: "x"), n = graph.appendLeaf(value: 0.5, name: "n")
        let product = graph.append(.multiply, x, n)
        let o = graph.append(.tanh, n)
        let difference = graph.append(.subtract, o, x)
        graph.annotations.names[o] = "o"
        #expect(unicode.expression(of: product, in: graph) == "x · n")
        #expect(unicode.substituted(product, in: graph) == "(-2) · 0.5")
        #expect(unicode.substituted(o, in: graph) == "tanh(0.5)")
        #expect(ascii.expression(of: difference, in: graph) == "o - x")
        #expect(latex.expression(of: o, in: graph) == "\\tanh ( n )")
        #expect(latex.localDerivative(of: o, operandIndex: 0, in: graph) == "1 - o^{2}")
        #expect(ascii.localDerivative(of: o, operandIndex: 0, in: graph) == "1 - o^2")
        #expect(latex.substituted(difference, in: graph).hasSuffix(" - (-2)"))
    }

    @Test func negativeZeroIsWrittenZero() {
        #expect(unicode.number(-0.0) == "0")
        #expect(Notation(format: .significant(4)).number(-0.0) == "0")
        #expect(unicode.operand(-0.0) == "0")
        // 0 · (-2.039) is -0 in IEEE arithmetic; people read it as 0.
        #expect(unicode.operand(0 * -2.039) == "0")
    }
}
