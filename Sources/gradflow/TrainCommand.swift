import ArgumentParser
import Charts
import GradFlow
import Reports
import SceneLanguage

/// `gradflow train FILE`: run a scene's `train` block and show how the loss fell.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Run a scene's training loop: the loss of every step as a table and a plot, and the inputs it ends with.",
        discussion: """
            A scene trains with a block such as

              train 300 steps, lr 0.5, momentum 0.9 {
                  loss = mean(err(0, 0, 0), err(0, 1, 1), err(1, 0, 1), err(1, 1, 0))
                  minimize loss
              }

            Each step records the body afresh with the inputs as they are, sweeps back from the \
            loss, and moves every input against its gradient outside the graph \
            (velocity = momentum · velocity + gradient; input −= lr · velocity). Only the \
            numbers of each step are kept, so memory does not grow with the number of steps.

            Examples:
              gradflow train Scenes/train-xor.scene
              gradflow train Scenes/train-xor.scene --format csv > losses.csv
              gradflow train Scenes/train-xor.scene -o loss.svg
              gradflow step Scenes/train-xor.scene        (the last step's graph, t/T to move)
              gradflow export Scenes/train-xor.scene --train-step 1 -o first.svg
            """)

    @OptionGroup var scene: SceneOptions

    @Option(help: ArgumentHelp("How to write the run: as tables and a plot, or every step's loss and inputs for a program.", valueName: "format"))
    var format: TrainFormat = .text

    @Option(parsing: .unconditional, help: ArgumentHelp("Show every Nth step in the text table (default: about 20 rows).", valueName: "N"))
    var every: Int?

    @Flag(help: "Leave out the terminal plot of the loss.")
    var noPlot = false

    @OptionGroup var chart: ChartOptions

    @OptionGroup var precision: PrecisionOption

    func validate() throws {
        if let every, every < 1 { throw ValidationError("--every must be at least 1") }
    }

    func run() throws {
        let loaded = try scene.load()
        guard let run = loaded.training else {
            throw invalidInput("\(scene.file) has no `train` block; add one such as `train 100 steps, lr 0.1 { …; minimize loss }`")
        }
        if let step = run.losses.firstIndex(where: { !$0.isFinite }) {
            // Once, at the first step: every later step inherits the NaN or the infinity.
            printToStandardError("\(scene.file): warning: `\(run.lossName)` is \(NumberFormat.shortest.string(run.losses[step])) "
                + "at step \(step + 1) of \(run.steps), the first step whose loss is not finite; a smaller learning rate may keep it finite")
        }
        let report = TrainingReport(run, title: loaded.title)
        let curve = Chart.lossCurve(run.losses, lossName: run.lossName, title: (loaded.title.map { $0 + ": " } ?? "") + "\(run.lossName) per step")
        try chart.writePicture(curve, scene: scene.file)
        switch format {
        case .csv: writeToStandardOutput(report.csv())
        case .json: writeToStandardOutput(report.json())
        case .text:
            var text = report.text(every: every ?? report.defaultEvery, format: .significant(precision.precision ?? 6))
            // The report's first line is the scene's title: the plot under it needs only its own.
            var terminalCurve = curve
            terminalCurve.title = "\(run.lossName) per step"
            if !noPlot { text += "\n" + chart.terminal.render(terminalCurve).joined(separator: "\n") + "\n" }
            writeToStandardOutput(text)
        }
    }
}

enum TrainFormat: String, ExpressibleByArgument, CaseIterable {
    case text, csv, json
}
