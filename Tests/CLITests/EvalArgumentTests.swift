import Foundation
import Testing
import TestSupport

/// `gradflow eval`'s arguments as a lecturer types them: an expression that starts with `-`,
/// `--`, a misspelt `--at` name, a value a scene would refuse.
@Suite struct EvalArgumentTests {
    /// The JSON report's value and gradient.
    private func result(_ run: GradflowRun) throws -> (value: Double, gradient: [String: Double]) {
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let output = (object?["outputs"] as? [[String: Any]])?.first
        return ((output?["value"] as? NSNumber)?.doubleValue ?? .nan,
                ((output?["gradient"] as? [String: Any]) ?? [:]).mapValues { ($0 as? NSNumber)?.doubleValue ?? .nan })
    }

    /// −ln σ(w·x + b), the logistic loss of a positive example, at w = 2, x = 1, b = 0, by hand:
    /// z = 2, f = ln(1 + e^−z), ∂f/∂z = σ(z) − 1, so ∂f/∂w = x(σ(z) − 1), ∂f/∂x = w(σ(z) − 1), ∂f/∂b = σ(z) − 1.
    private func expectLogisticLoss(_ run: GradflowRun) throws {
        #expect(run.status == 0, "\(run.stderr)")
        let (value, gradient) = try result(run)
        let z = 2.0, sigma = 1 / (1 + exp(-z))
        #expect(isClose(value, log(1 + exp(-z)), relative: 1e-14))
        #expect(isClose(gradient["w"] ?? .nan, 1 * (sigma - 1), relative: 1e-14))
        #expect(isClose(gradient["x"] ?? .nan, 2 * (sigma - 1), relative: 1e-14))
        #expect(isClose(gradient["b"] ?? .nan, sigma - 1, relative: 1e-14))
    }

    @Test("an expression may start with a minus sign")
    func expressionStartingWithMinus() throws {
        try expectLogisticLoss(try runGradflow(["eval", "-ln(sigmoid(w*x+b))", "--at", "w=2,x=1,b=0", "--format", "json"]))
    }

    @Test("eval -- EXPRESSION takes --at after the expression, or before the --")
    func expressionAfterTheTerminator() throws {
        try expectLogisticLoss(try runGradflow(["eval", "--format", "json", "--", "-ln(sigmoid(w*x+b))", "--at", "w=2,x=1,b=0"]))
        try expectLogisticLoss(try runGradflow(["eval", "--format", "json", "--at", "w=2,x=1", "--", "-ln(sigmoid(w*x+b))", "--at=b=0"]))
        let run = try runGradflow(["eval", "--at", "x=3", "--", "-x^2"])
        #expect(run.status == 0 && run.stdout == "f = -9\n  ∂f/∂x = -6\n", "\(run)")
    }

    @Test("a second word after the expression is an error that says to quote it")
    func strayWordAfterTheExpression() throws {
        let run = try runGradflow(["eval", "x", "*", "2", "--at", "x=1"])
        #expect(run.status == 2 && run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("gradflow: error: unexpected argument `*` after the expression `x`; give the expression as one quoted argument"))
    }

    @Test("a scene file given to eval is an error that names the command that takes it")
    func sceneFileInsteadOfExpression() throws {
        for file in ["Scenes/survey.scene", "missing.scene", "Scenes/graph.json"] {
            let run = try runGradflow(["eval", file])
            #expect(run.status == 2 && run.stdout.isEmpty)
            #expect(run.stderr == "gradflow: error: eval takes an expression, such as 'x^2 + y', not a scene file; "
                + "for `\(file)` use `gradflow grad \(file)` (or trace, check, step)\n", "\(run.stderr)")
        }
        // An expression that merely divides by a name is still an expression.
        let ratio = try runGradflow(["eval", "a/b", "--at", "a=1,b=2"])
        #expect(ratio.status == 0, "\(ratio.stderr)")
    }

    @Test("an --at name the expression does not use is an error naming it and the names it does use")
    func unusedAtName() throws {
        let run = try runGradflow(["eval", "x*w + b", "--at", "x=2,w=3,bb=1,b=0"])
        #expect(run.status == 2 && run.stdout.isEmpty)
        #expect(run.stderr == "--at: error: `bb` is not used by the expression (it uses `x`, `w`, `b`); check its spelling\n")
        let constant = try runGradflow(["eval", "2 * 3", "--at", "y=1"])
        #expect(constant.status == 2)
        #expect(constant.stderr == "--at: error: `y` is not used by the expression (it uses no input); check its spelling\n")
        // A name that is the whole expression is used.
        let identity = try runGradflow(["eval", "x", "--at", "x=1"])
        #expect(identity.status == 0 && identity.stdout == "f = 1\n  ∂f/∂x = 1\n")
    }

    @Test("--at values are numbers as a scene writes them", arguments: ["0x10", "0x1p4", "+2", "2.", "1_0", " "])
    func valueAsAScene(text: String) throws {
        let run = try runGradflow(["eval", "x * 2", "--at", "x=\(text)"])
        #expect(run.status == 2 && run.stdout.isEmpty, "\(text): \(run)")
        #expect(run.stderr.hasPrefix("gradflow: error: --at: the value of `x` is not a number"), "\(text): \(run.stderr)")
    }

    @Test("every number a scene accepts is accepted", arguments: [("2", 2.0), ("-2.5", -2.5), (".5", 0.5), ("1e-3", 1e-3), ("-1E+2", -100.0)])
    func sceneNumbersAccepted(text: String, value: Double) throws {
        let run = try runGradflow(["eval", "x * 2", "--at", "x=\(text)", "--format", "json"])
        #expect(run.status == 0, "\(text): \(run.stderr)")
        #expect(isClose(try result(run).value, 2 * value, relative: 1e-15))
    }
}
