import GradFlow
import Testing

@Suite struct NumberFormatTests {
    @Test(arguments: [
        (11.652071455223084, "11.652071455223084"), (5.5, "5.5"), (2.0, "2"), (-0.25, "-0.25"),
        (1e-5, "1e-5"), (1.2345e16, "1.2345e+16"), (Double.nan, "NaN"), (Double.infinity, "Infinity"), (-Double.infinity, "-Infinity"),
    ])
    func shortestReadsBackToTheSameDouble(value: Double, text: String) {
        #expect(NumberFormat.shortest.string(value) == text)
        if value.isFinite { #expect(Double(NumberFormat.shortest.string(value)) == value) }
    }

    @Test(arguments: [
        (1.7163378145367738, "1.716"), (11.652071455223084, "11.65"), (5.5, "5.5"), (2.0, "2"),
        (0.70710678, "0.7071"), (1234567.0, "1.235e+6"), (12345.0, "1.234e+4"), (1e-8, "1e-8"), (0.00001234, "1.234e-5"),
    ])
    func fourSignificantDigits(value: Double, text: String) {
        #expect(NumberFormat.significant(4).string(value) == text)
    }

    @Test func expressionsReadLikeTheSurvey() {
        var g = Graph()
        let x1 = g.appendLeaf(value: 2, name: "x1"), x2 = g.appendLeaf(value: 5, name: "x2")
        let v2 = g.append(.multiply, x1, x2)
        let v1 = g.append(.ln, x1)
        let shifted = g.append(.addConstant, v2, parameter: -3)
        let squared = g.append(.powerConstant, x1, parameter: 2)
        #expect(g.expression(of: v2) == "x1 · x2")
        #expect(g.expression(of: v1) == "ln(x1)")
        #expect(g.expression(of: shifted) == "n2 − 3")
        #expect(g.expression(of: squared) == "x1^2")
    }
}
