import GradFlow
import Notation
import Testing

/// Every name has one LaTeX form, valid in math mode, ASCII only, and no two names share one.
@Suite struct LaTeXNameTests {
    let latex = Notation(.latex)

    @Test func namesAsAPersonTypesThem() {
        #expect(latex.name("x") == "x")
        #expect(latex.name("x1") == "x1")
        #expect(latex.name("θ") == "\\theta")
        #expect(latex.name("θ1") == "{\\theta}1")
        #expect(latex.name("ℓ") == "\\ell")
        #expect(latex.name("ŷ") == "\\hat{y}")
        #expect(latex.name("y\u{0302}") == "\\hat{y}")
        #expect(latex.name("ö") == "\\ddot{o}")
        #expect(latex.name("x1w1") == "\\mathit{x1w1}")
        #expect(latex.name("x_1") == "\\mathit{x\\_1}")
        #expect(latex.name("__x__") == "\\mathit{\\_\\_x\\_\\_}")
        #expect(latex.name("中") == "\\mbox{[U+4E2D]}")
        #expect(latex.name("loss中") == "\\mathit{loss}{\\mbox{[U+4E2D]}}")
    }

    @Test("a name with a bar is not the adjoint of the name without it")
    func barredNamesAreNotAdjoints() {
        #expect(latex.name("ȳ") == "\\overline{y}")
        #expect(latex.name("y\u{0304}") == "\\overline{y}")
        #expect(latex.name("ȳ") != latex.adjoint("y"))
        #expect(latex.adjoint("ȳ") != latex.adjoint("y"))
    }

    /// `ẏ` was written `\dot{y}`, which is also how the tangent of `y` is written.
    @Test("a name with a dot above is not the tangent of the name without it")
    func dottedNamesAreNotTangents() {
        #expect(latex.tangent("y") == "\\dot{y}")
        #expect(latex.name("ẏ") == "{\\stackrel{.}{y}}")
        #expect(latex.name("y\u{0307}") == latex.name("ẏ"))
        #expect(latex.name("ẏ") != latex.tangent("y"))
        #expect(latex.tangent("ẏ") != latex.tangent("y"))
        #expect(latex.name("ẏ1") != latex.tangent("y1"))
        #expect(latex.name("ẏ₂") != latex.tangent("y₂"))
    }

    @Test func versionsAreSubscriptsAndNameDigitsAreNot() {
        #expect(latex.name("v₂") == "v_{2}")
        #expect(latex.name("h1₂") == "h1_{2}")
        #expect(latex.name("h12") == "h12")
        #expect(latex.name("eps2") == "\\mathit{eps2}")
        #expect(latex.name("eps₂") == "\\mathit{eps}_{2}")
        #expect(latex.name("net.h2₃") == "\\mathit{net.h2}_{3}")
    }

    @Test func noTwoNamesShareAForm() {
        let names = ["x", "x1", "x₁", "x12", "x1₂", "x₁₂", "eps2", "eps₂", "h1₂", "h12", "x_1", "x__1", "__x__",
                     "ε", "ϵ", "φ", "ϕ", "θ", "ϑ", "ℓ", "l", "ŷ", "y", "yhat", "ö", "o", "中", "文", "σ", "ς", "Σ"]
        let forms = names.map(latex.name)
        #expect(Set(forms).count == names.count, "\(zip(names, forms).map { "\($0) → \($1)" })")
        for form in forms {
            #expect(form.allSatisfy { $0.isASCII }, "\(form)")
            #expect(form.filter { $0 == "{" }.count == form.filter { $0 == "}" }.count, "\(form)")
        }
    }

    @Test func numbersOperatorsAndFunctions() {
        #expect(latex.number(1.5e-5) == "1.5 \\times 10^{-5}")
        #expect(latex.number(.nan) == "\\mathrm{NaN}")
        #expect(latex.number(-.infinity) == "-\\infty")
        #expect(latex.operand(-0.9589) == "(-0.9589)")
    }

    /// `x^2` at x = 12345.678, written out with 4 digits: the base is `1.235 \times 10^{4}`,
    /// and `10^{4}^{2}` stopped pdflatex (a double superscript) on Scenes/long-names-scales.scene.
    @Test func aPowerOfANumberInScientificFormIsBracketed() {
        var graph = Graph()
        let x = graph.appendLeaf(value: 12345.678, name: "x")
        let square = graph.append(.powerConstant, x, parameter: 2)
        let written = Notation(.latex, format: .significant(4)).substituted(square, in: graph)
        #expect(written == "(1.235 \\times 10^{4})^{2}")
        #expect(!written.contains("}^{"), "\(written)")
    }

    /// The same in text: `1.235e+4^2` reads as 1.235 · 10^(4^2), so the base is bracketed, as a
    /// negative one is; a number in plain decimals and other operators are left alone.
    @Test func aPowerOfANumberInExponentFormIsBracketedInText() {
        var graph = Graph()
        let x = graph.appendLeaf(value: 12345.678, name: "x")
        let square = graph.append(.powerConstant, x, parameter: 2)
        let exponential = graph.append(.constantPower, graph.appendLeaf(value: 1e-6, name: "h"), parameter: 2)
        let scaled = graph.append(.multiplyConstant, x, parameter: 3)
        for style in [Notation.Style.unicode, .ascii] {
            let notation = Notation(style, format: .significant(4))
            #expect(notation.substituted(square, in: graph) == "(1.235e+4)^2")
            #expect(notation.substituted(exponential, in: graph) == "2^(1e-6)")
            #expect(!notation.substituted(scaled, in: graph).contains("("))
        }
    }
}
