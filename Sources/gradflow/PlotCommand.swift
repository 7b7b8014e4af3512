import ArgumentParser
import Charts
import Foundation
import GradFlow
import GraphFile
import Reports
import SceneLanguage

/// `gradflow plot 'tanh(x)' --over -7:7 --derivatives 4`: a function and its derivatives.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Plot a function and its derivatives, computed by differentiating its graph again.",
        discussion: """
            The function is an expression in one variable (x unless --wrt names another), or a \
            scene file, plotted as a function of one input (--wrt; the others keep their \
            values) and one output (--output; the first by default). The k-th derivative is \
            grad applied k times, nodes appended to the graph and differentiated again, exactly \
            as grad(grad(y, x), x) in a scene; never a finite difference. The scene is traced \
            afresh at every sample, so each `if` is decided there.

            In the terminal: braille dots (ASCII under a non-UTF-8 locale or with --ascii), axes \
            with ticks, a legend; each line in its own colour, or in monochrome (NO_COLOR, \
            --color never, or output to a file) in its own dash pattern. With -o, also an SVG, \
            PNG or PDF picture.

            Examples:
              gradflow plot 'tanh(x)' --over -7:7 --derivatives 4
              gradflow plot 'tanh(x)' --over -7:7 --derivatives 4 -o tanh.png
              gradflow plot 'exp(-t^2 / 2) * sin(w * t)' --wrt t --at w=3 --over -4:4 --derivatives 1
              gradflow plot Scenes/neuron.scene --wrt b --over -3:3 --derivatives 2
              gradflow plot 'sigmoid(x)' --derivatives 2 --format csv > sigmoid.csv
            """)

    @Argument(help: ArgumentHelp("An expression such as 'tanh(x)', or a scene file.", valueName: "expression-or-file"))
    var subject: String

    @Option(parsing: .unconditional, help: ArgumentHelp("The interval to plot over (default: -5:5, or the input's value ± 5 for a scene).", valueName: "A:B"))
    var over: PlotInterval?

    @Option(parsing: .unconditional, help: ArgumentHelp("How many derivatives to plot besides the function (0–8).", valueName: "K"))
    var derivatives = 0

    @Option(help: ArgumentHelp("The variable: the expression's free name (default x) or the scene's input (default: its only one).", valueName: "name"))
    var wrt: String?

    @Option(help: ArgumentHelp("For a scene: the output to plot (default: the first).", valueName: "name"))
    var output: String?

    @Option(name: .customLong("at"), parsing: .singleValue,
            help: ArgumentHelp("For an expression: values of its other names, held fixed, as NAME=VALUE.", valueName: "name=value,…"))
    var assignments: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("Points sampled over the interval (2–100000).", valueName: "N"))
    var samples = 401

    @Option(help: ArgumentHelp("How to write the plot: drawn as text, or the numbers at every sample for a program.", valueName: "format"))
    var format: TrainFormat = .text

    @OptionGroup var chart: ChartOptions

    @OptionGroup var limitOptions: SceneLimitOptions

    func validate() throws {
        guard (0...8).contains(derivatives) else { throw ValidationError("--derivatives must be between 0 and 8") }
        guard (2...100_000).contains(samples) else { throw ValidationError("--samples must be between 2 and 100000") }
        if isScene && !assignments.isEmpty { throw ValidationError("--at is for an expression; a scene's inputs keep their declared values") }
        if !isScene && output != nil { throw ValidationError("--output is for a scene; an expression has one value") }
    }

    /// Whether the subject is a scene file rather than an expression.
    var isScene: Bool {
        subject.hasSuffix(".scene") || FileManager.default.fileExists(atPath: subject)
    }

    func run() throws {
        let plotted = isScene ? try sceneFunction() : try expressionFunction()
        let interval = over?.range ?? (plotted.centre - 5)...(plotted.centre + 5)
        let limits = limitOptions.limits
        let sampled: DerivativeSamples
        do {
            sampled = try DerivativeSamples.sample(
                over: interval, count: samples, derivatives: derivatives, nodeLimit: limits.maxNodes, trace: plotted.trace)
        } catch let error as DerivativeSamples.Failure {
            throw invalidInput(error.description)
        }
        let names = (0...derivatives).map { Self.derivativeName(plotted.name, order: $0, variable: plotted.variable) }
        func picture(_ names: [String]) -> Chart {
            let series = names.indices.map { order in
                Chart.Series(name: order == 0 ? "\(names[0]) = \(plotted.formula)" : names[order],
                             points: zip(sampled.xs, sampled.values[order]).map { (x: $0.0, y: $0.1) })
            }
            let title = derivatives == 0 ? plotted.formula
                : "\(plotted.formula) and its \(derivatives == 1 ? "derivative" : "first \(derivatives) derivatives")"
            return Chart(title: title, xLabel: plotted.variable, yLabel: "", series: series)
        }
        try chart.writePicture(picture(names), scene: isScene ? subject : nil)
        switch format {
        case .text:
            let terminal = chart.terminal
            let shown = terminal.usesUnicode ? names
                : (0...derivatives).map { Self.derivativeName(plotted.name, order: $0, variable: plotted.variable, ascii: true) }
            writeToStandardOutput(terminal.render(picture(shown)).joined(separator: "\n") + "\n")
        case .csv:
            let table = CSVTable(header: [plotted.variable] + names, rowCount: sampled.xs.count) { index in
                [NumberFormat.shortest.string(sampled.xs[index])] + sampled.values.map { NumberFormat.shortest.string($0[index]) }
            }
            writeToStandardOutput(table.render())
        case .json:
            let document = JSONValue.object([
                ("variable", .string(plotted.variable)),
                ("x", .array(sampled.xs.map { .number($0) })),
                ("derivatives", .array(sampled.values.map { .array($0.map { .number($0) }) })),
            ])
            writeToStandardOutput(document.serialized() + "\n")
        }
    }

    /// `f`, `f′`, `f″`, `f‴`, then `f⁽⁴⁾` …, each followed by `(x)`.
    static func derivativeName(_ name: String, order: Int, variable: String, ascii: Bool = false) -> String {
        if ascii { return name + (order < 4 ? String(repeating: "'", count: order) : "^(\(order))") + "(\(variable))" }
        let marks = ["", "′", "″", "‴"]
        let superscripts: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let mark = order < marks.count ? marks[order]
            : "⁽" + String(String(order).map { superscripts[Int(String($0))!] }) + "⁾"
        return "\(name)\(mark)(\(variable))"
    }

    /// What is plotted: how to trace it at a value of its variable, and how to name it.
    struct Plotted {
        var name: String
        var formula: String
        var variable: String
        var centre: Double
        var trace: (Double) throws -> DerivativeSamples.Point
    }

    private func expressionFunction() throws -> Plotted {
        let variable = wrt ?? "x"
        let fixed = try parseFixedValues()
        if fixed.contains(where: { $0.name == variable }) {
            throw invalidInput("--at: `\(variable)` is the variable plotted; it takes every value of --over")
        }
        let text = subject, limits = limitOptions.limits
        func trace(_ x: Double) throws -> DerivativeSamples.Point {
            let scene = try reportingSceneErrors { () throws(SceneError) in
                try Scene.expression(text, values: [(variable, x)] + fixed, limits: limits)
            }
            return DerivativeSamples.Point(graph: scene.graph, output: scene.outputs[0].node, input: scene.inputs[0].node)
        }
        // A bad expression is reported once, before any sampling; so is a tensor, whose
        // derivatives the scalar sweeps of `plot` would read as 0 (`sum(x * [1, 2])` had f′ = 0).
        let first = try reportingSceneErrors { () throws(SceneError) in
            try Scene.expression(text, values: [(variable, 0)] + fixed, limits: limits)
        }
        if first.graph.hasTensors {
            throw invalidInput("<expression>: `gradflow plot` plots a scalar expression, and this one holds tensors; `gradflow eval` evaluates it, and a scene file with a scalar input can be plotted (see docs/tensors.md)")
        }
        return Plotted(name: "f", formula: subject, variable: variable, centre: 0, trace: trace)
    }

    private func sceneFunction() throws -> Plotted {
        let limits = limitOptions.limits
        let file = subject
        if GraphFile.isGraphFile(path: file) {
            throw invalidInput("plot traces the scene again at every sample; \(file) is a graph file, which holds one recording")
        }
        let loaded = try reportingSceneErrors { () throws(SceneError) in try Scene.load(path: file, limits: limits) }
        let options = try SceneOptions.parse([file])
        let input: NamedNode
        if let wrt {
            input = try options.find(wrt, among: loaded.inputs, option: "--wrt", kind: "input")
        } else if loaded.inputs.count == 1 {
            input = loaded.inputs[0]
        } else {
            throw invalidInput("\(file) has \(loaded.inputs.count) inputs (\(SceneOptions.list(loaded.inputs.map(\.name)))); say which to plot against with --wrt")
        }
        if loaded.graph.isTensor(input.node) {
            throw invalidInput("--wrt: `\(input.name)` is a tensor input of shape \(Tensor.describe(loaded.graph.shape(of: input.node))); plot against a scalar input")
        }
        let plottedOutput = try output.map { try options.find($0, among: loaded.outputs, option: "--output", kind: "output") }
            ?? loaded.outputs[0]
        // A training scene is plotted at its last step, as every other command shows it: the
        // other inputs keep the values that step started from, not their declared ones.
        let stepInputs = loaded.trainingStepInputs
        func trace(_ x: Double) throws -> DerivativeSamples.Point {
            let inputValues = stepInputs.merging([input.name: x]) { _, moved in moved }
            let scene = try reportingSceneErrors { () throws(SceneError) in
                try Scene.parse(source: loaded.source, fileName: file, limits: limits, inputValues: inputValues)
            }
            guard let node = scene.outputs.first(where: { $0.name == plottedOutput.name })?.node,
                  let inputNode = scene.inputs.first(where: { $0.name == input.name })?.node else {
                throw invalidInput("tracing \(file) at \(input.name) = \(x) did not give the output `\(plottedOutput.name)`")
            }
            return DerivativeSamples.Point(graph: scene.graph, output: node, input: inputNode)
        }
        return Plotted(name: plottedOutput.name, formula: plottedOutput.name, variable: input.name,
                       centre: loaded.graph.values[input.node], trace: trace)
    }

    /// `--at w=3,b=1`: the expression's other names, in order.
    private func parseFixedValues() throws -> [(name: String, value: Double)] {
        var values: [(name: String, value: Double)] = []
        for assignment in assignments.flatMap({ $0.split(separator: ",") }) {
            let parts = assignment.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = Double(parts[1].trimmingCharacters(in: .whitespaces)), value.isFinite else {
                throw invalidInput("--at: expected NAME=VALUE with a finite number, found `\(assignment)`")
            }
            values.append((parts[0].trimmingCharacters(in: .whitespaces), value))
        }
        return values
    }
}

/// `-7:7`: the interval a plot covers.
struct PlotInterval: ExpressibleByArgument {
    var range: ClosedRange<Double>

    init?(argument: String) {
        // Split at the colon that separates two numbers (either may carry a sign or exponent).
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let low = Double(parts[0]), let high = Double(parts[1]),
              low.isFinite, high.isFinite, low < high else { return nil }
        range = low...high
    }
}
