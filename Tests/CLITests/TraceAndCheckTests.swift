import Foundation
import Testing
import TestSupport

/// `gradflow trace` and `gradflow check` end to end.
@Suite struct TraceAndCheckTests {
    @Test func traceTextShowsTheSurveyTables() throws {
        let run = try runGradflow(["trace", "Scenes/survey.scene", "--wrt", "x1"])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        for heading in ["Forward primal trace", "Forward tangent trace with respect to x1", "Reverse adjoint trace of f"] {
            #expect(run.stdout.contains(heading))
        }
        // Table 3: x1's adjoint arrives as 5, then 5 → 5.5.
        #expect(run.stdout.contains("6  x̄1 += v̄2 · ∂v2/∂x1  x2                1 · 5 = 5                      0        5"))
        #expect(run.stdout.contains("8  x̄1 += v̄1 · ∂v1/∂x1  1 / x1            1 · 0.5 = 0.5                  5      5.5"))
    }

    @Test func traceJSONHasEverySection() throws {
        let run = try runGradflow(["trace", "Scenes/survey.scene", "--wrt", "x2", "--format", "json"])
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect((object["primal"] as? [Any])?.count == 7)
        let tangent = try #require(object["tangent"] as? [String: Any])
        #expect(tangent["input"] as? String == "x2")
        let nodes = try #require(tangent["nodes"] as? [[String: Any]])
        // ∂f/∂x2 = x1 − cos(x2) = 2 − cos 5.
        #expect(isClose(nodes.last?["tangent"] as? Double ?? .nan, 2 - Foundation.cos(Double(5))))
        let reverse = try #require(object["reverse"] as? [[String: Any]])
        #expect((reverse.first?["contributions"] as? [Any])?.count == 8)
    }

    @Test func traceFormatsForSlidesAndSpreadsheets() throws {
        let markdown = try runGradflow(["trace", "Scenes/survey.scene", "--only", "adjoint", "--format", "markdown"])
        #expect(markdown.stdout.contains("| 6 | x̄1 += v̄2 · ∂v2/∂x1 | x2 | 1 · 5 = 5 | 0 | 5 |"))
        #expect(!markdown.stdout.contains("primal"))
        let latex = try runGradflow(["trace", "Scenes/survey.scene", "--only", "primal", "--format", "latex"])
        #expect(latex.stdout.contains("\\begin{tabular}{lllr}"))
        #expect(latex.stdout.contains("$v2$ & $x1 \\cdot x2$ & $2 \\cdot 5$ & $10$ \\\\"))
        let csv = try runGradflow(["trace", "Scenes/survey.scene", "--only", "adjoint", "--format", "csv"])
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first == "output,step,from,to,local_derivative,incoming_adjoint,contribution,before,after")
        #expect(lines.count == 9)
        #expect(lines.last == "f,8,v1,x1,0.5,1,0.5,5,5.5")
    }

    @Test func tracePrecisionIsAdjustable() throws {
        let run = try runGradflow(["trace", "Scenes/survey.scene", "--only", "primal", "--precision", "8"])
        #expect(run.stdout.contains("11.652071"))
        let bad = try runGradflow(["trace", "Scenes/survey.scene", "--precision", "0"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--precision must be between 1 and 17"))
    }

    @Test func traceRejectsUnknownInputsAndOutputs() throws {
        let wrt = try runGradflow(["trace", "Scenes/survey.scene", "--wrt", "x3"])
        #expect(wrt.status == 2)
        #expect(wrt.stderr == "gradflow: error: --wrt: `x3` is not an input of Scenes/survey.scene; its inputs are x1, x2\n")
        #expect(wrt.stdout.isEmpty)
        let output = try runGradflow(["trace", "Scenes/survey.scene", "--output", "g"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("its outputs are f"))
        let tangentAlone = try runGradflow(["trace", "Scenes/survey.scene", "--only", "tangent"])
        #expect(tangentAlone.status == 64)
        #expect(tangentAlone.stderr.contains("--only tangent needs --wrt INPUT"))
    }

    @Test func checkPassesOnTheSharedExamples() throws {
        for scene in ["Scenes/survey.scene", "Scenes/neuron.scene", "Scenes/xy-sin.scene"] {
            let run = try runGradflow(["check", scene])
            #expect(run.status == 0, "\(scene): \(run.stdout)")
            #expect(run.stdout.contains("passed: all"))
        }
        let json = try runGradflow(["check", "Scenes/survey.scene", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["passed"] as? Bool == true)
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(entries.count == 2)
        #expect(Set(entries[0].keys) == ["output", "input", "reverse", "forward", "centralDifference", "step",
                                          "errorForward", "errorCentral", "traceChanged", "finiteDifference", "passed"])
        #expect(entries[0]["finiteDifference"] as? String == "agrees")
    }

    @Test func checkExplainsKinksAndBranchesInsteadOfFailing() throws {
        // relu at 0: AD takes the slope 0, central differences average 0 and 1; it is a point
        // where relu is not differentiable, and AD's slope is the left one: status 0.
        let kink = try runGradflow(["check", try temporaryScene("input x = 0\ny = relu(x)\noutput y\n")])
        #expect(kink.status == 0)
        #expect(kink.stdout.contains("ok (not differentiable)"))
        #expect(kink.stdout.contains("not differentiable at x = 0 (y = relu(x) at its kink): left 0, right 1; AD gives 0"))
        // An `if` at its boundary: the scene is traced again at x ± h and takes the other branch
        // at x + h; the left slope, 3, is AD's.
        let branch = try temporaryScene("input x = 1\nif x > 1 {\n  y = x * x\n} else {\n  y = 3 * x\n}\noutput y\n")
        let run = try runGradflow(["check", branch, "--format", "json"])
        #expect(run.status == 0)
        #expect(run.stdout.contains(#""traceChanged":true"#))
        #expect(run.stdout.hasPrefix(#"{"passed":true,"#))
    }

    @Test func checkRetracesSoBranchesAreDecidedAgain() throws {
        // Away from the boundary the branch taken is the same on both sides, and the check passes.
        let branch = try temporaryScene("input x = 2\nif x > 1 {\n  y = x * x\n} else {\n  y = 3 * x\n}\noutput y\n")
        let run = try runGradflow(["check", branch])
        #expect(run.status == 0)
    }
}
