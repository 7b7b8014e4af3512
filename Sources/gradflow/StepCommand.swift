import ArgumentParser
import Foundation
import GradFlow
import SceneLanguage
import Stepper

extension StartPhase: ExpressibleByArgument {}
extension Differentiation: ExpressibleByArgument {}
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

    @Option(help: ArgumentHelp("Open at step K (within --phase when given).", valueName: "K"))
    var step: Int?

    @Option(help: ArgumentHelp("Open at a phase: forward, seed, backward (seed first, then contributions), end.",
                               valueName: "phase"))
    var phase: StartPhase?

    @Option(help: ArgumentHelp("The output to differentiate, for scenes with several.", valueName: "name"))
    var output: String?

    @Option(help: ArgumentHelp("reverse (backpropagation; the default) or forward (tangents; the default with --wrt).",
                               valueName: "mode"))
    var mode: Differentiation?

    @Option(help: ArgumentHelp("The input whose tangents forward mode follows (implies --mode forward; default: the first).",
                               valueName: "input"))
    var wrt: String?

    func validate() throws {
        if mode == .reverse && wrt != nil { throw ValidationError("--wrt carries tangents forward; it needs --mode forward") }
    }

    /// Forward mode when asked for, or when --wrt names an input to carry tangents from.
    var effectiveMode: Differentiation { mode ?? (wrt == nil ? .reverse : .forward) }

    @Option(help: ArgumentHelp("auto, dark, light or mono (auto is mono when NO_COLOR is set).", valueName: "theme"))
    var theme: ThemeName = .automatic

    @OptionGroup var precisionOption: PrecisionOption

    func run() throws {
        // Refuse at once, before tracing a possibly large scene, when there is no screen to use.
        do {
            try StepperApp.checkTerminal()
        } catch let error as TerminalUnavailable {
            printToStandardError("gradflow: error: \(error.description)")
            throw ExitCode(1)
        }
        let loaded = try scene.load()
        let options = StepperOptions(step: step, phase: phase, output: output, mode: effectiveMode, wrt: wrt, theme: theme,
                                     precision: .significant(precisionOption.precision ?? 4))
        let status: Int32
        do {
            status = try StepperApp.run(graph: loaded.graph, fileName: (scene.file as NSString).lastPathComponent,
                                        options: options, training: TrainingSession(scene: loaded))
        } catch let error as StepperSetupError {
            throw invalidInput(error.message)
        } catch let error as TerminalUnavailable {
            printToStandardError("gradflow: error: \(error.description)")
            throw ExitCode(1)
        }
        if status != 0 { throw ExitCode(status) }
    }
}
