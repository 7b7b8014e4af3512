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

            Keys: → l space next, ← h back, [ ] phase, Home g / End G first / last step, \
            p play, + - speed, Tab focus, arrows pan, z fit, / find, o output, m mode, \
            i input, f fold, d digits, ? all keys, q quit.

            Examples:
              gradflow step Scenes/survey.scene
              gradflow step Scenes/survey.scene --phase backward --step 6
              gradflow step Scenes/survey.scene --mode forward --wrt x1

            Needs an interactive terminal of at least 80×24. Without one, use \
            'gradflow trace FILE' (text) or 'gradflow export FILE -o graph.svg' (pictures).
            """)

    @Argument(help: ArgumentHelp("The scene file, e.g. Scenes/survey.scene.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Open at step K (within --phase when given).", valueName: "K"))
    var step: Int?

    @Option(help: ArgumentHelp("Open at a phase: forward, seed, backward (seed first, then contributions), end.",
                               valueName: "phase"))
    var phase: StartPhase?

    @Option(help: ArgumentHelp("The output to differentiate, for scenes with several.", valueName: "name"))
    var output: String?

    @Option(help: ArgumentHelp("reverse (backpropagation) or forward (tangents).", valueName: "mode"))
    var mode: Differentiation = .reverse

    @Option(help: ArgumentHelp("The input whose tangents forward mode follows (default: the first).",
                               valueName: "input"))
    var wrt: String?

    @Option(help: ArgumentHelp("auto, dark, light or mono (auto is mono when NO_COLOR is set).", valueName: "theme"))
    var theme: ThemeName = .automatic

    @Option(help: ArgumentHelp("Significant digits of the numbers shown (1-17), or 'all'.", valueName: "N"))
    var precision: String = "4"

    @Option(help: ArgumentHelp("The most nodes the scene may record.", valueName: "N"))
    var maxNodes: Int = SceneLimits.standard.maxNodes

    func validate() throws {
        guard numberFormat != nil else { throw ValidationError("--precision takes 1 to 17 digits, or 'all'") }
        guard maxNodes >= 1 else { throw ValidationError("--max-nodes must be at least 1") }
    }

    private var numberFormat: NumberFormat? {
        if precision == "all" { return .shortest }
        guard let digits = Int(precision), (1...17).contains(digits) else { return nil }
        return .significant(digits)
    }

    func run() throws {
        // Refuse at once, before tracing a possibly large scene, when there is no screen to use.
        do {
            try StepperApp.checkTerminal()
        } catch let error as TerminalUnavailable {
            throw Self.fail(error.description)
        }
        var limits = SceneLimits.standard
        limits.maxNodes = maxNodes
        let scene: Scene
        do {
            scene = try Scene.load(path: file, limits: limits)
        } catch {
            Self.printError(error.description)
            throw ExitCode(2)
        }
        let options = StepperOptions(step: step, phase: phase, output: output, mode: mode, wrt: wrt,
                                     theme: theme, precision: numberFormat ?? .significant(4))
        let status: Int32
        do {
            status = try StepperApp.run(graph: scene.graph, fileName: (file as NSString).lastPathComponent, options: options)
        } catch let error as StepperSetupError {
            throw Self.fail(error.message, status: 2)
        } catch let error as TerminalUnavailable {
            throw Self.fail(error.description)
        }
        if status != 0 { throw ExitCode(status) }
    }

    private static func fail(_ message: String, status: Int32 = 1) -> ExitCode {
        printError("gradflow step: error: \(message)")
        return ExitCode(status)
    }

    private static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}
