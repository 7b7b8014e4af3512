import ArgumentParser
import Charts
import Foundation
import GraphExport
import SceneLanguage

/// `export --train-step K` and `export --loss-curve`, for a scene with a `train` block.
struct TrainingExportOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("For a training scene: draw step K's graph (1 to the number of steps; default: the last).", valueName: "K"))
    var trainStep: Int?

    @Flag(help: "For a training scene: draw the loss curve (-o .svg, .png or .pdf) instead of a graph.")
    var lossCurve = false

    func validate() throws {
        if let trainStep, trainStep < 1 { throw ValidationError("--train-step must be 1 or more") }
        if trainStep != nil && lossCurve { throw ValidationError("--train-step draws one step's graph; --loss-curve the whole run: choose one") }
    }

    /// The scene to draw: `loaded`, or its graph at step ``trainStep``.
    func scene(_ loaded: Scene, file: String, limits: SceneLimits) throws -> Scene {
        guard let step = trainStep else { return loaded }
        guard let run = loaded.training else {
            throw invalidInput("--train-step: \(file) has no `train` block")
        }
        guard step <= run.steps else {
            throw invalidInput("--train-step: \(file) trains for \(run.steps) steps; choose 1 to \(run.steps)")
        }
        return try reportingSceneErrors { () throws(SceneError) in try loaded.atTrainingStep(step, limits: limits) }
    }

    /// Writes the loss curve of `loaded`'s training run to `file` in `format`.
    func writeLossCurve(_ loaded: Scene, sceneFile: String, to file: String, format: ExportFormat) throws {
        guard let run = loaded.training else {
            throw invalidInput("--loss-curve: \(sceneFile) has no `train` block")
        }
        guard [.svg, .png, .pdf].contains(format) else {
            throw invalidInput("--loss-curve draws a picture; end -o in .svg, .png or .pdf")
        }
        let title = (loaded.title.map { $0 + ": " } ?? "") + "\(run.lossName) per step"
        let drawer = SVGChart()
        let chart = Chart.lossCurve(run.losses, lossName: run.lossName, title: title)
        do {
            let bytes = try ChartPicture.render(svg: drawer.render(chart), width: drawer.width, height: drawer.height, format: format)
            try AtomicFile.write(bytes, to: file)
        } catch {
            throw invalidInput("\(error)")
        }
    }
}
