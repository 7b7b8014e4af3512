import Foundation
import GradFlow
import Reports
import Testing
import TestSupport

/// The evaluation traces of Baydin et al. (2018) against the published tables 2 and 3.
@Suite struct SurveyTraceTests {
    let computation = Fixtures.survey()
    var trace: EvaluationTrace { EvaluationTrace(computation, tangentInput: computation.input(named: "x1")) }

    @Test func primalTraceMatchesTableTwo() {
        let table = trace.primalTable(format: .significant(4))
        let rows = table.rows.map { $0.map(\.plain) }
        // Table 2, forward primal trace: v1 = ln 2 = 0.693, v2 = 2 × 5 = 10, v3 = sin 5 = −0.959,
        // v4 = 0.693 + 10 = 10.693, v5 = 10.693 + 0.959 = 11.652 (3 decimals there, 4 digits here).
        #expect(rows.map { $0[0] } == ["x1", "x2", "v1", "v2", "v3", "v4", "f"])
        #expect(rows[2] == ["v1", "ln(x1)", "ln(2)", "0.6931"])
        #expect(rows[3] == ["v2", "x1 · x2", "2 · 5", "10"])
        #expect(rows[4] == ["v3", "sin(x2)", "sin(5)", "-0.9589"])
        #expect(rows[5] == ["v4", "v1 + v2", "0.6931 + 10", "10.69"])
        #expect(rows[6] == ["f", "v4 − v3", "10.69 − (-0.9589)", "11.65"])
        #expect(rows[0] == ["x1", "input", "", "2"])
    }

    @Test func tangentTraceMatchesTableTwo() throws {
        let table = try #require(trace.tangentTable(format: .shortest))
        let rows = table.rows.map { $0.map(\.plain) }
        // Table 2, forward tangent trace with ẋ1 = 1: v̇1 = 1/2 = 0.5, v̇2 = 1 × 5 + 0 × 2 = 5,
        // v̇3 = 0 × cos 5 = 0, v̇4 = 0.5 + 5 = 5.5, v̇5 = 5.5 − 0 = 5.5.
        #expect(rows[0] == ["ẋ1", "seed", "", "1"])
        #expect(rows[1] == ["ẋ2", "0", "", "0"])
        #expect(rows[2][1] == "ẋ1 / x1" && rows[2][3] == "0.5")
        #expect(rows[3] == ["v̇2", "ẋ1 · x2 + ẋ2 · x1", "1 · 5 + 0 · 2", "5"])
        #expect(rows[4][1] == "ẋ2 · cos(x2)" && rows[4][3] == "0")
        #expect(rows[5] == ["v̇4", "v̇1 + v̇2", "0.5 + 5", "5.5"])
        #expect(rows[6] == ["ḟ", "v̇4 − v̇3", "5.5 − 0", "5.5"])
        #expect(table.footnotes.map(\.plain) == ["∂f/∂x1 = 5.5"])
    }

    @Test func adjointTraceMatchesTableThree() throws {
        let table = try #require(trace.adjointTables(format: .significant(4)).first)
        let rows = table.rows.map { $0.map(\.plain) }
        // Table 3, in its order: v̄5 = 1 (seed); v̄4 = 1; v̄3 = −1; v̄1 = 1; v̄2 = 1;
        // v̄0 = v̄3 × cos v0 = −0.284; v̄−1 = v̄2 × v0 = 5; v̄0 += v̄2 × v−1 → 1.716;
        // v̄−1 += v̄1 / v−1 → 5.5.
        #expect(rows.count == 9)
        #expect(rows[0] == ["0", "f̄ = 1", "seed", "", "", "1"])
        #expect(rows.dropFirst().map { $0[1] } == [
            "v̄4 += f̄ · ∂f/∂v4", "v̄3 += f̄ · ∂f/∂v3", "v̄1 += v̄4 · ∂v4/∂v1", "v̄2 += v̄4 · ∂v4/∂v2",
            "x̄2 += v̄3 · ∂v3/∂x2", "x̄1 += v̄2 · ∂v2/∂x1", "x̄2 += v̄2 · ∂v2/∂x2", "x̄1 += v̄1 · ∂v1/∂x1",
        ])
        #expect(rows[5] == ["5", "x̄2 += v̄3 · ∂v3/∂x2", "cos(x2)", "(-1) · 0.2837 = -0.2837", "0", "-0.2837"])
        // The brief's example row: x̄1 += v̄2 · ∂v2/∂x1 = 1 · 5 = 5, from 0 to 5.
        #expect(rows[6] == ["6", "x̄1 += v̄2 · ∂v2/∂x1", "x2", "1 · 5 = 5", "0", "5"])
        #expect(rows[7] == ["7", "x̄2 += v̄2 · ∂v2/∂x2", "x1", "1 · 2 = 2", "-0.2837", "1.716"])
        #expect(rows[8] == ["8", "x̄1 += v̄1 · ∂v1/∂x1", "1 / x1", "1 · 0.5 = 0.5", "5", "5.5"])
        #expect(table.footnotes.map(\.plain) == ["x̄1 = 5.5, x̄2 = 1.716"])
    }

    @Test func adjointNumbersAreExactInTheData() throws {
        let pass = try #require(trace.backwardPasses.first)
        let afters = pass.contributions.map(\.adjointAfter)
        let expected = [1, -1, 1, 1, -Foundation.cos(Double(5)), 5, 2 - Foundation.cos(Double(5)), 5.5]
        #expect(afters.count == expected.count)
        for (actual, value) in zip(afters, expected) { #expect(isClose(actual, value)) }
        #expect(isClose(pass.gradient[1], 1.7163378145367738))
    }

    @Test func aNodeUsedTwiceReceivesTwoRows() throws {
        // a = 3; b = a + a; c = b + b: a's gradient is 4, arriving as 2 then 4.
        var graph = Graph()
        let a = graph.appendLeaf(value: 3, name: "a")
        let b = graph.append(.add, a, a)
        let c = graph.append(.add, b, b)
        graph.annotations.names[b] = "b"
        graph.annotations.names[c] = "c"
        let trace = EvaluationTrace(Computation(graph: graph))
        let rows = try #require(trace.adjointTables(format: .shortest).first).rows.map { $0.map(\.plain) }
        let intoA = rows.filter { $0[1].hasPrefix("ā +=") }
        #expect(intoA.map { [$0[4], $0[5]] } == [["0", "2"], ["2", "4"]])
        let intoB = rows.filter { $0[1].hasPrefix("b̄ +=") }
        #expect(intoB.map { [$0[4], $0[5]] } == [["0", "1"], ["1", "2"]])
    }

    @Test func precisionChangesTheDigitsShown() {
        let six = trace.render(.text, sections: [.primal], precision: 6)
        #expect(six.contains("11.6521"))
        #expect(six.contains("0.693147"))
        let json = trace.render(.json, sections: [.primal])
        #expect(json.contains("11.652071455223084"))
    }

    @Test func sectionsCanBeChosen() {
        let text = trace.render(.text, sections: [.adjoint])
        #expect(text.contains("Reverse adjoint trace of f"))
        #expect(!text.contains("Forward primal trace"))
        #expect(!text.contains("Forward tangent trace"))
        let withoutInput = EvaluationTrace(computation).render(.text)
        #expect(!withoutInput.contains("tangent"))
    }

    @Test func eachOutputGetsItsOwnBackwardPass() {
        let trace = EvaluationTrace(Fixtures.twoOutputs())
        let titles = trace.adjointTables(format: .shortest).map(\.title)
        #expect(titles == ["Reverse adjoint trace of z", "Reverse adjoint trace of v"])
        let onlyV = EvaluationTrace(Fixtures.twoOutputs(), outputs: [Fixtures.twoOutputs().output(named: "v")!])
        #expect(onlyV.backwardPasses.map(\.output.name) == ["v"])
        // ∂v/∂x = 4 − sin 1.
        #expect(isClose(onlyV.backwardPasses[0].gradient[0], 4 - Foundation.sin(Double(1))))
    }
}
