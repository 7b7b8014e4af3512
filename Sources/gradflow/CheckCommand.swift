import ArgumentParser
import GraphFile
import Reports
import SceneLanguage

/// `gradflow check FILE`: automatic derivatives against finite differences and each other.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every gradient against central finite differences and forward mode.",
        discussion: """
            For each output and input, the reverse-mode derivative is compared with forward mode \
            (the same derivative by the other sweep) and with central differences \
            (f(x + h) − f(x − h)) / 2h, h = ∛ε · max(1, |x|) ≈ 6.06e-6 · max(1, |x|), for which \
            the scene is traced again with the input moved (so an `if` is decided again there).

            Error = |a − b| / max(1, |a|, |b|): relative for large derivatives, absolute below 1. \
            A derivative passes when its central-difference error is within --tolerance \
            (default 1e-6) plus the rounding noise of the difference, and its forward-mode error \
            is within 1e-9. A NaN or infinite gradient fails.

            Where the central difference crosses a kink (relu or abs at 0, max or min of equal \
            arguments) or a branch that switches between x − h and x + h, it mixes two slopes: \
            the gradient is then compared with one-sided differences on the side where nothing \
            changes, and a point where the function is not differentiable is reported with its \
            left and right slopes and the one AD gives, not as a failure. An input that sets a \
            `repeat` count or a `randn` seed cannot be moved by h; its derivatives are checked \
            against forward mode only.

            A graph file (.json) has no source to trace again: its recorded ops are evaluated \
            again at x ± h instead (every branch stays as it was recorded), and each local \
            derivative it records is compared with gradflow's rule for its op at the recorded \
            values.

            Exit status: 0 when every derivative agrees, 1 when one disagrees, 2 for an invalid \
            scene.

            Examples:
              gradflow check Scenes/survey.scene
              gradflow check Scenes/neuron.scene --format json
              gradflow check my.scene --tolerance 1e-4
              gradflow check Scenes/survey.scene --sweep --wrt x1 -o sweep.svg

            --sweep instead measures forward and central differences against the AD value for \
            steps h from 1e-1 to 1e-15 and plots their error on log–log axes: truncation error \
            falls with h until rounding error, growing as ε/h, takes over. It says where the \
            best h lies for each.
            """)

    @OptionGroup var scene: SceneOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Largest error allowed against central differences.", valueName: "x"))
    var tolerance: Double = GradientCheck.Tolerances().centralDifference

    @Option(help: "How to write the check.")
    var format: TextOrJSON = .text

    @OptionGroup var sweepOptions: SweepOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Which elements of a tensor input with more than \(TensorGradientCheck.sampleSize) are checked (a sample chosen by this seed).", valueName: "n"))
    var seed: UInt64 = 1

    func validate() throws {
        guard tolerance > 0, tolerance.isFinite else { throw ValidationError("--tolerance must be a positive number") }
    }

    func run() throws {
        let loaded = try scene.load(warningAboutRules: false)
        if loaded.graph.hasTensors {
            if sweepOptions.sweep { throw invalidInput("\(scene.file): --sweep does not take tensor scenes yet; check without it") }
            return try checkTensors(loaded)
        }
        if sweepOptions.sweep { return try runSweep(loaded) }
        let computation = Computation(graph: loaded.graph)
        var tolerances = GradientCheck.Tolerances()
        tolerances.centralDifference = tolerance
        if GraphFile.isGraphFile(path: scene.file) { return try checkGraphFile(loaded, tolerances: tolerances) }
        let check = try GradientCheck(computation, tolerances: tolerances) { inputValues in
            try retracedOutputValues(of: loaded, inputValues: inputValues)
        }
        warnIfNotFinite(computation, source: scene.file)
        writeToStandardOutput(check.render(format.reportFormat))
        if !check.passed { throw CommandExit.disagreement }
    }

    /// The element-by-element check of a scene with tensors.
    private func checkTensors(_ loaded: Scene) throws {
        let computation = Computation(graph: loaded.graph)
        let limits = scene.limitOptions.limits
        let isGraphFile = GraphFile.isGraphFile(path: scene.file)
        // A training scene's graph is its last step's, recorded with the inputs as that step
        // found them: the moved element is moved from there, the other inputs stay there
        // (without them, the moved step would start from the declared initial weights).
        let stepInputs = loaded.trainingStepInputs
        let check = TensorGradientCheck(computation, tolerance: tolerance, seed: seed) { overrides in
            // A graph file has no scene to trace again: its recorded ops are evaluated again instead.
            if isGraphFile { return GraphFile.outputValues(of: loaded, moving: overrides) }
            let moving = stepInputs.merging(overrides) { _, moved in moved }
            guard let moved = try? Scene.parse(source: loaded.source, fileName: loaded.fileName, limits: limits, inputValues: moving) else { return nil }
            return loaded.outputs.map { output in moved.outputs.first { $0.name == output.name }.map { moved.graph.values[$0.node] } ?? .nan }
        }
        warnIfNotFinite(computation, source: scene.file)
        writeToStandardOutput(check.render(format.reportFormat))
        if !check.passed { throw CommandExit.disagreement }
    }

    /// The outputs' values with the inputs set to `inputValues`, by tracing the scene again.
    private func retracedOutputValues(of loaded: Scene, inputValues: [Double]) throws -> GradientCheck.Evaluation {
        var overrides: [String: Double] = [:]
        for (input, value) in zip(loaded.inputs, inputValues) { overrides[input.name] = value }
        let limits = scene.limitOptions.limits
        let moved: Scene
        do throws(SceneError) {
            moved = try Scene.parse(source: loaded.source, fileName: loaded.fileName, limits: limits, inputValues: overrides)
        } catch {
            // A count or seed that is no longer whole: this input cannot be moved by h.
            return .failed(error.diagnostics.first?.message ?? error.description)
        }
        let outputs = loaded.outputs.map { output in
            moved.outputs.first { $0.name == output.name }.map { moved.graph.values[$0.node] } ?? .nan
        }
        // The constants count too: both branches of an `if` may record `x * c` with different `c`.
        let sameGraph = moved.graph.ops == loaded.graph.ops && moved.graph.operandStorage == loaded.graph.operandStorage
            && moved.graph.parameters.elementsEqual(loaded.graph.parameters) { $0.bitPattern == $1.bitPattern }
        return GradientCheck.Evaluation(outputs: outputs, traceChanged: !sameGraph, values: sameGraph ? Array(moved.graph.values) : nil)
    }
}
