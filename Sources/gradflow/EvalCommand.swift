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
              $ gradflow eval '-ln(sigmoid(w*x + b))' --at w=2,x=1,b=0

            An expression may start with `-`, as above (or after `--`: eval -- '-x^2' --at x=3). \
            Every --at name must be used by the expression, and values are written as in a \
            scene (2, -2.5, .5, 1e-3; no hexadecimal).
            """)

    /// The expression, and what followed it: an expression that starts with `-` looks like an
    /// option to the parser, so it is collected here with whatever the parser did not know,
    /// and sorted out in ``split()``.
    @Argument(parsing: .allUnrecognized,
              help: ArgumentHelp("The expression, e.g. 'ln(x1) + x1*x2 - sin(x2)'.", valueName: "expression"))
    var words: [String] = []

    @Option(
        name: .customLong("at"), parsing: .singleValue,
        help: ArgumentHelp("Input values as NAME=VALUE, separated by commas or given again; their order is the gradient's.", valueName: "name=value,…"))
    var assignments: [String] = []

    @Option(help: "How to write the result.")
    var format: TextOrJSON = .text

    @OptionGroup var precision: PrecisionOption

    @OptionGroup var limitOptions: SceneLimitOptions

    func validate() throws {
        _ = try split()
    }

    func run() throws {
        let (expression, lateAssignments) = try split()
        try refuseSceneFile(expression)
        let values = try parseAssignments(assignments + lateAssignments)
        let limits = limitOptions.limits
        let scene = try reportingSceneErrors { () throws(SceneError) in
            try Scene.expression(expression, values: values, limits: limits)
        }
        let computation = Computation(graph: scene.graph)
        let report = GradientReport(computation)
        warnIfNotFinite(report, in: computation.graph, source: "<expression>", spelledOut: true)
        writeToStandardOutput(report.render(format.reportFormat, precision: precision.precision))
    }

    /// The expression (the first word) and the `--at` values written after it behind `--`
    /// (`eval -- '-x' --at x=1`, where the parser takes everything after `--` as words).
    private func split() throws -> (expression: String, assignments: [String]) {
        // The parser keeps the `--` itself among the words it did not know.
        var words = self.words
        let terminator = words.firstIndex(of: "--") ?? words.endIndex
        // Before `--`, `--name` is a misspelt option, not the expression `-(-name)`.
        if let option = words[..<terminator].first(where: { $0.hasPrefix("--") && $0.dropFirst(2).first?.isLetter == true }) {
            throw ValidationError("Unknown option '\(option)'")
        }
        if terminator < words.endIndex { words.remove(at: terminator) }
        guard let expression = words.first else { throw ValidationError("Missing expected argument '<expression>'") }
        var late: [String] = []
        var rest = words.dropFirst()[...]
        while let word = rest.popFirst() {
            if word == "--at", let value = rest.popFirst() {
                late.append(value)
            } else if word.hasPrefix("--at=") {
                late.append(String(word.dropFirst(5)))
            } else {
                throw invalidInput("unexpected argument `\(word)` after the expression `\(expression)`; "
                    + "give the expression as one quoted argument, and options before it or --at after it")
            }
        }
        return (expression, late)
    }

    /// A scene file given where the expression goes (`gradflow eval Scenes/mlp.scene`): as an
    /// expression it fails on the `.`, with a hint about methods that misleads; say which command
    /// takes a scene instead.
    private func refuseSceneFile(_ expression: String) throws {
        let isPath = expression.hasSuffix(".scene") || expression.hasSuffix(".json")
            || (expression.contains("/") && FileManager.default.fileExists(atPath: expression))
        guard isPath, !expression.contains(where: { "()+*^ ".contains($0) }) else { return }
        throw invalidInput("eval takes an expression, such as 'x^2 + y', not a scene file; "
            + "for `\(expression)` use `gradflow grad \(expression)` (or trace, check, step)")
    }

    /// `x1=2,x2=5` (and further `--at`s) as names and values, in order.
    private func parseAssignments(_ assignments: [String]) throws -> [(name: String, value: Double)] {
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
            // Swift also reads hexadecimal (`0x10`, `0x1p4`); a scene does not, and neither does --at.
            guard Scene.isNumberLiteral(text) else {
                throw invalidInput("--at: the value of `\(name)` is not a number as a scene writes it: `\(text)` "
                    + "(decimal, such as 2, -2.5, .5 or 1e-3)")
            }
            values.append((name, value))
        }
        return values
    }
}
