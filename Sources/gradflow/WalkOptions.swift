import ArgumentParser
import GradFlow

/// `--step`, `--phase`, `--output`, `--mode`, `--wrt`: which walk to show and where in it.
///
/// Used as `@OptionGroup var walk: WalkOptions` by `step` and `export`; the rules and messages
/// are the engine's ``WalkChoice``, so both commands answer the same options the same way.
struct WalkOptions: ParsableArguments {
    // Unconditional, so that `--step -1` is a value (out of range), not a missing one.
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "The step to show: 0 is before anything, 1…N evaluate the nodes, then the seed, then one step per contribution (with --phase: counted within it from 1).",
        valueName: "K"))
    var step: Int?

    @Option(help: ArgumentHelp(
        "Count --step within this phase (the backward phase's step 1 is the seed); alone, its first step (end: the last).",
        valueName: "phase"))
    var phase: WalkChoice.Phase?

    @Option(help: ArgumentHelp("The output gradients are taken of (default: the first).", valueName: "name"))
    var output: String?

    @Option(help: ArgumentHelp("Gradients by backpropagation (reverse, the default) or tangents (forward, the default with --wrt).",
                               valueName: "mode"))
    var mode: Differentiation?

    @Option(help: ArgumentHelp("The input whose tangents forward mode carries, or one element of a tensor input, as W[0, 1] (implies --mode forward; default: the first input, its first element).",
                               valueName: "input"))
    var wrt: String?

    /// The options as the engine's choice.
    var choice: WalkChoice { WalkChoice(mode: mode, output: output, wrt: wrt, phase: phase, step: step) }

    /// Whether any of the options was given.
    var isGiven: Bool { choice != WalkChoice() }

    func validate() throws {
        do {
            try choice.checkOptions()
        } catch {
            throw ValidationError(error.message)
        }
    }
}

extension Differentiation: ExpressibleByArgument {}
extension WalkChoice.Phase: ExpressibleByArgument {}
