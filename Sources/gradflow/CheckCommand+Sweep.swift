import ArgumentParser
import Charts
import GradFlow
import GraphFile
import Reports
import SceneLanguage

/// `gradflow check FILE --sweep`: the error of finite differences against the step h.
struct SweepOptions: ParsableArguments {
    @Flag(help: "Plot the error of forward and central differences against h (1e-1 to 1e-15) instead of checking.")
    var sweep = false

    @Option(help: ArgumentHelp("With --sweep: the input to move (default: the first).", valueName: "input"))
    var wrt: String?

    @Option(help: ArgumentHelp("With --sweep: the output to differentiate (default: the first).", valueName: "name"))
    var output: String?

    @OptionGroup var chart: ChartOptions

    func validate() throws {
        if !sweep && (wrt != nil || output != nil || chart.outputFile != nil) {
            throw ValidationError("--wrt, --output and -o belong to --sweep")
        }
    }
}

extension CheckCommand {
    func runSweep(_ loaded: Scene) throws {
        if GraphFile.isGraphFile(path: scene.file) {
            throw invalidInput("--sweep traces the scene again at every step h; \(scene.file) is a graph file, which holds one recording")
        }
        guard let firstInput = loaded.inputs.first else {
            throw invalidInput("\(scene.file) has no input to move")
        }
        let input = try sweepOptions.wrt.map { try scene.find($0, among: loaded.inputs, option: "--wrt", kind: "input") }
            ?? firstInput
        let output = try sweepOptions.output.map { try scene.find($0, among: loaded.outputs, option: "--output", kind: "output") }
            ?? loaded.outputs[0]
        let automatic = loaded.graph.adjoints(from: output.node)[input.node]
        let x = loaded.graph.values[input.node]
        let limits = scene.limitOptions.limits, file = scene.file
        // A training scene's graph is its last step's, recorded with the inputs as that step found
        // them: the other inputs stay there (moving one alone used to put every other input back
        // at its declared value, so no h came near the AD value).
        let stepInputs = loaded.trainingStepInputs
        let measured = try DifferenceSweep(at: x, automatic: automatic) { moved in
            let inputValues = stepInputs.merging([input.name: moved]) { _, moved in moved }
            let scene = try reportingSceneErrors { () throws(SceneError) in
                try Scene.parse(source: loaded.source, fileName: file, limits: limits, inputValues: inputValues)
            }
            return scene.outputs.first { $0.name == output.name }.map { scene.graph.values[$0.node] } ?? .nan
        }
        let digits = NumberFormat.significant(2)
        var text = "Finite differences of ∂\(output.name)/∂\(input.name) at \(input.name) = \(NumberFormat.shortest.string(x)) "
        text += "against the AD value \(NumberFormat.shortest.string(automatic))\n"
        text += "error = |difference − AD| / max(1, |AD|); h is absolute; ε = 2.2e-16\n"
        let best = (forward: measured.bestForward, central: measured.bestCentral)
        if let forward = best.forward {
            text += "forward  (f(x+h) − f(x))/h:       best h ≈ \(digits.string(forward.step)), error \(digits.string(forward.error))   (theory: h ≈ √ε ≈ 1.5e-8)\n"
        }
        if let central = best.central {
            text += "central  (f(x+h) − f(x−h))/(2h):  best h ≈ \(digits.string(central.step)), error \(digits.string(central.error))   (theory: h ≈ ∛ε ≈ 6.1e-6)\n"
        }
        text += "Smaller h than the best loses digits to rounding: f(x+h) and f(x) agree in more digits than a double holds.\n"
        let picture = Chart(
            title: "error of finite differences for ∂\(output.name)/∂\(input.name)", xLabel: "step h", yLabel: "error",
            xScale: .logarithmic, yScale: .logarithmic,
            series: [
                Chart.Series(name: "forward", points: zip(measured.steps, measured.forwardErrors).map { (x: $0.0, y: $0.1) }),
                Chart.Series(name: "central", points: zip(measured.steps, measured.centralErrors).map { (x: $0.0, y: $0.1) }),
            ],
            marker: best.central.map { (x: $0.step, label: "best central h ≈ \(digits.string($0.step))") })
        try sweepOptions.chart.writePicture(picture, scene: scene.file)
        switch format {
        case .json:
            let document = JSONValue.object([
                ("output", .string(output.name)), ("input", .string(input.name)), ("at", .number(x)),
                ("automatic", .number(automatic)),
                ("steps", .array(measured.steps.map { .number($0) })),
                ("forwardErrors", .array(measured.forwardErrors.map { .number($0) })),
                ("centralErrors", .array(measured.centralErrors.map { .number($0) })),
                ("bestForwardStep", .number(best.forward?.step)), ("bestCentralStep", .number(best.central?.step)),
            ])
            writeToStandardOutput(document.serialized() + "\n")
        case .text:
            writeToStandardOutput(text + "\n" + sweepOptions.chart.terminal.render(picture).joined(separator: "\n") + "\n")
        }
    }
}
