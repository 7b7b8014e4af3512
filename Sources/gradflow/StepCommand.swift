import ArgumentParser
import Foundation
import GradFlow
import GraphExport
import SceneLanguage
import Stepper

extension ThemeName: ExpressibleByArgument {}

/// `gradflow step FILE`: the terminal stepper.
struct StepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step",
        abstract: "Step through the forward and backward passes in the terminal, node by node.",
        discussion: """
            Opens a full-screen view of the scene's graph, its evaluation trace and the \
            arithmetic of each step. Walk forwards and backwards in time: the forward pass \
            node by node, the seed, then the backward pass one contribution at a time, adjoints \
            accumulating (x̄1 shows 5, then 5.5 in the survey example).

            \(KeyTable.summary)

            Examples:
              gradflow step Scenes/survey.scene
              gradflow step Scenes/survey.scene --phase backward --step 6
              gradflow step Scenes/survey.scene --mode forward --wrt x1

            Needs an interactive terminal of at least 80×24. Without one, use \
            'gradflow trace FILE' (text) or 'gradflow export FILE -o graph.svg' (pictures).
            """)

    @OptionGroup var scene: SceneOptions

    @OptionGroup var walk: WalkOptions

    @Option(help: ArgumentHelp("The colour scheme (auto: mono when NO_COLOR is set or the terminal has no colours; mono: attributes only).", valueName: "theme"))
    var theme: ThemeName = .automatic

    @OptionGroup var precisionOption: PrecisionOption

    @Flag(inversion: .prefixedNo, help: "Start with every function call and loop body folded into one box (default: only when a loop has more than \(Folding.automaticRunLimit) same-shaped iterations, as export does); f folds and unfolds.")
    var collapse: Bool?

    func run() throws {
        // Refuse at once, before tracing a possibly large scene, when there is no screen to use.
        do {
            try StepperApp.checkTerminal()
        } catch let error as TerminalUnavailable {
            printToStandardError("gradflow: error: \(error.description)")
            throw ExitCode(1)
        }
        let loaded = try scene.load()
        var options = StepperOptions(theme: theme, precision: .significant(precisionOption.precision ?? 4))
        options.walk = walk.choice
        options.source = scene.file
        options.folding = collapse.map { $0 ? .always : .never } ?? .longRuns
        let status: Int32
        do {
            status = try StepperApp.run(graph: loaded.graph, fileName: (scene.file as NSString).lastPathComponent,
                                        options: options, training: TrainingSession(scene: loaded))
        } catch let error as WalkError {
            throw invalidInput(error.message)
        } catch let error as TerminalUnavailable {
            printToStandardError("gradflow: error: \(error.description)")
            throw ExitCode(1)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
