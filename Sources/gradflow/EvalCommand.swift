import ArgumentParser
import Foundation
import Reports
import SceneLanguage

/// `gradflow eval EXPRESSION --at x=…`: one expression's value and gradient, without a file.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate one expression and its gradient, without a scene file.",
        discussion: """
            The expression is written as in a scene (see the README's language reference); its \
            free names are the inputs, given values with --at. The output is called f (or y, \
            out, result when an input is already called f), and is printed as by `gradflow grad`.

            Examples:
              $ gradflow eval 'ln(x1) + x1*x2 - sin(x2)' --at x1=2,x2=5
              f = 11.652071455223084
                ∂f/∂x1 = 5.5
                ∂f/∂x2 = 1.7163378145367738

              $ gradflow eval 'tanh(x*w + b)' --at x=2 --at w=-3 --at b=6.8813735870195432 --format json
            """)

    @Argument(help: ArgumentHelp("The expression, e.g. 'ln(x1) + x1*x2 - sin(x2)'.", valueName: "expression"))
    var expression: String

    @Option(
        name: .customLong("at"), parsing: .singleValue,
        help: ArgumentHelp("Input values as NAME=VALUE, separated by commas or given again; their order is the gradient's.", valueName: "name=value,…"))
    var assignments: [String] = []

    @Option(help: "How to write the result.")
    var format: TextOrJSON = .text

    @OptionGroup var precision: PrecisionOption

    @OptionGroup var limitOptions: SceneLimitOptions

    func run() throws {
        let values = try parseAssignments()
        let limits = limitOptions.limits
        let scene = try reportingSceneErrors { () throws(SceneError) in
            try Scene.expression(expression, values: values, limits: limits)
        }
        let computation = Computation(scene)
        warnIfNotFinite(computation, source: "<expression>")
        writeToStandardOutput(GradientReport(computation).render(format.reportFormat, precision: precision.precision))
    }

    /// `x1=2,x2=5` (and further `--at`s) as names and values, in order.
    private func parseAssignments() throws -> [(name: String, value: Double)] {
        var values: [(name: String, value: Double)] = []
        for assignment in assignments.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            guard parts.count == 2, !name.isEmpty else {
                throw invalidInput("--at: expected NAME=VALUE, found `\(assignment)`")
            }
            let text = parts[1].trimmingCharacters(in: .whitespaces)
            guard let value = Double(text) else {
                throw invalidInput("--at: the value of `\(name)` is not a number: `\(text)`")
            }
            // As in a scene, where `1e999` is an error: an input is a finite number.
            guard value.isFinite else {
                throw invalidInput("--at: the value of `\(name)` must be a finite number, not `\(text)`")
            }
            values.append((name, value))
        }
        return values
    }
}
