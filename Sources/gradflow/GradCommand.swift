import ArgumentParser
import Reports

/// `gradflow grad FILE`: every output's value and gradient.
struct GradCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grad",
        abstract: "Print each output's value and its gradient with respect to every input.",
        discussion: """
            Gradients by reverse mode, one backward pass per output, with every digit (the \
            shortest decimal that reads back to the same double).

            Examples:
              $ gradflow grad Scenes/survey.scene
              f = 11.652071455223084
                ∂f/∂x1 = 5.5
                ∂f/∂x2 = 1.7163378145367738

              $ gradflow grad Scenes/survey.scene --format json
              {"outputs":[{"name":"f","value":11.652071455223084,"gradient":{"x1":5.5,"x2":1.7163378145367738}}]}

            JSON: inputs in declaration order; NaN and infinities as the strings "NaN", \
            "Infinity", "-Infinity"; a "firstNonFinite" member names the first node that is not \
            finite, when there is one.
            """)

    @OptionGroup var scene: SceneOptions

    @Option(help: "How to write the gradients.")
    var format: TextOrJSON = .text

    @OptionGroup var precision: PrecisionOption

    func run() throws {
        let computation = Computation(graph: try scene.load().graph)
        let report = GradientReport(computation)
        warnIfNotFinite(report, in: computation.graph, source: scene.file)
        writeToStandardOutput(report.render(format.reportFormat, precision: precision.precision))
    }
}
