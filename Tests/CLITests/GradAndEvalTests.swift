import Foundation
import Testing
import TestSupport

/// `gradflow grad` and `gradflow eval` end to end, through the built binary.
@Suite struct GradAndEvalTests {
    @Test func gradJSONIsExactlyTheDocumentedShape() throws {
        let run = try runGradflow(["grad", "Scenes/survey.scene", "--format", "json"])
        #expect(run.status == 0)
        #expect(run.stdout == #"{"outputs":[{"name":"f","value":11.652071455223084,"gradient":{"x1":5.5,"x2":1.7163378145367738}}]}"# + "\n")
        #expect(run.stderr.isEmpty)
    }

    @Test func gradTextListsEveryDerivative() throws {
        let run = try runGradflow(["grad", "Scenes/survey.scene"])
        #expect(run.status == 0)
        #expect(run.stdout == "f = 11.652071455223084\n  ∂f/∂x1 = 5.5\n  ∂f/∂x2 = 1.7163378145367738\n")
    }

    @Test func gradOfTheSharedExamplesMatchesTheirNumbers() throws {
        // examples/xy-sin.scene: z = 2.579425538604203, dz/dx = 5.077582561890373, dz/dy = 0.5.
        let xy = try parse(try runGradflow(["grad", "Scenes/xy-sin.scene", "--format", "json"]).stdout)
        #expect(isClose(xy.value, 2.579425538604203, relative: 1e-15))
        #expect(isClose(xy.gradient["x"] ?? .nan, 5.077582561890373, relative: 1e-15))
        #expect(isClose(xy.gradient["y"] ?? .nan, 0.5, relative: 1e-15))
        // examples/neuron.scene: o = 0.7071067811865477; x1 −1.5, w1 1, x2 0.5, w2 0, b 0.5.
        let neuron = try parse(try runGradflow(["grad", "Scenes/neuron.scene", "--format", "json"]).stdout)
        #expect(isClose(neuron.value, 0.7071067811865477, relative: 1e-15))
        let expected = ["x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5]
        for (name, value) in expected { #expect(isClose(neuron.gradient[name] ?? .nan, value, relative: 1e-12, absolute: 1e-12), "\(name)") }
        #expect(neuron.inputOrder == ["x1", "x2", "w1", "w2", "b"])
    }

    @Test func evalGivesTheSameJSONAsTheScene() throws {
        let run = try runGradflow(["eval", "ln(x1) + x1*x2 - sin(x2)", "--at", "x1=2,x2=5", "--format", "json"])
        #expect(run.status == 0)
        #expect(run.stdout == #"{"outputs":[{"name":"f","value":11.652071455223084,"gradient":{"x1":5.5,"x2":1.7163378145367738}}]}"# + "\n")
    }

    @Test func evalTakesRepeatedAtOptionsInOrder() throws {
        let run = try runGradflow(["eval", "tanh(x*w + b)", "--at", "x=2", "--at", "w=-3", "--at", "b=6.8813735870195432"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("f = 0.70710678118654"))
        #expect(lines[1].hasPrefix("  ∂f/∂x = -1.4999999999999"))
        #expect(lines[3].hasPrefix("  ∂f/∂b = 0.4999999999999"))
    }

    @Test func evalRejectsAMalformedAt() throws {
        let run = try runGradflow(["eval", "x + 1", "--at", "x"])
        #expect(run.status == 2)
        #expect(run.stderr == "gradflow: error: --at: expected NAME=VALUE, found `x`\n")
        let notANumber = try runGradflow(["eval", "x + 1", "--at", "x=two"])
        #expect(notANumber.status == 2)
        #expect(notANumber.stderr.contains("the value of `x` is not a number: `two`"))
        #expect(notANumber.stdout.isEmpty)
    }

    @Test func evalPointsAtANameWithoutAValue() throws {
        let run = try runGradflow(["eval", "ln(x) + y", "--at", "x=2"])
        #expect(run.status == 2)
        let first = run.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("<expression>:1:9: error: "))
        #expect(run.stderr.contains("ln(x) + y\n        ^"))
    }

    @Test func aNonFiniteNodeIsNamedOnStderrAndInJSON() throws {
        let scene = try temporaryScene("input x = -1\nv = ln(x)\nf = v * 2\noutput f\n", name: "nan.scene")
        let run = try runGradflow(["grad", scene, "--format", "json"])
        #expect(run.status == 0)
        #expect(run.stdout == #"{"outputs":[{"name":"f","value":"NaN","gradient":{"x":-2}}],"firstNonFinite":{"node":"v","expression":"ln(x)","value":"NaN"}}"# + "\n")
        #expect(run.stderr == "\(scene): warning: v = ln(x) is NaN where x = -1; it is the first node that is not finite\n")
        let infinite = try runGradflow(["eval", "1 / x", "--at", "x=0", "--format", "json"])
        #expect(infinite.stdout.contains(#""value":"Infinity""#))
        #expect(infinite.stdout.contains(#""gradient":{"x":"-Infinity"}"#))
        #expect(infinite.stderr == "<expression>: warning: 1 / x = 1 / 0 is Infinity; it is the first part of the expression that is not finite\n")
        // A part inside the expression is spelled as the user wrote it, not as the temporary `t1` that holds it.
        let inner = try runGradflow(["eval", "ln(x - 3) * 2", "--at", "x=1"])
        #expect(inner.stderr == "<expression>: warning: ln(x − 3) = ln(-2) is NaN; it is the first part of the expression that is not finite\n")
    }

    @Test func anInfiniteGradientOfFiniteValuesIsExplained() throws {
        let run = try runGradflow(["eval", "sqrt(x) + x", "--at", "x=0"])
        #expect(run.status == 0)
        #expect(run.stdout == "f = 0\n  ∂f/∂x = Infinity\n")
        // ∂sqrt(x)/∂x = 1/(2·0) at x = 0, said without the temporary that holds sqrt(x).
        #expect(run.stderr == "<expression>: warning: the gradient of f is not finite: the derivative of sqrt(x) = sqrt(0) "
            + "with respect to x is Infinity\n")
    }

    /// The first output of a `grad --format json` document, parsed with Foundation.
    func parse(_ json: String) throws -> (value: Double, gradient: [String: Double], inputOrder: [String]) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let outputs = try #require(object["outputs"] as? [[String: Any]])
        let first = try #require(outputs.first)
        let gradient = try #require(first["gradient"] as? [String: Double])
        // Declaration order, read from the text: JSONSerialization's dictionary has none.
        let keys = gradient.keys.sorted { json.range(of: "\"\($0)\":")!.lowerBound < json.range(of: "\"\($1)\":")!.lowerBound }
        return (try #require(first["value"] as? Double), gradient, keys)
    }
}
