import Charts
import GradFlow
import SceneLanguage

/// A training scene in the stepper: which step's graph is shown, and the loss curve drawn in a
/// strip under the panes with that step marked.
///
/// `<` and `>` move to the previous or next training step's graph, `{` and `}` ten steps, and
/// the walk (forward, then backward) can be stepped as for any scene. Each move records that
/// step's graph again from the run's numbers (``Scene/atTrainingStep(_:limits:)``); the run
/// itself is not repeated.
public struct TrainingSession: Sendable {
    public let scene: Scene
    public let run: TrainingRun
    /// The training step (1-based) whose graph is shown.
    public private(set) var step: Int

    /// Rows of the screen the strip takes: a title line and the curve.
    public static let stripRows = 9

    /// A session on `scene`'s recorded step, or nil for a scene that does not train.
    public init?(scene: Scene) {
        guard let run = scene.training else { return nil }
        self.scene = scene
        self.run = run
        step = scene.trainingStep ?? run.steps
    }

    /// The training step `delta` steps on (back when negative), kept within the run.
    public func step(movedBy delta: Int) -> Int {
        Swift.min(Swift.max(step + delta, 1), run.steps)
    }

    /// The graph of training step `target`, which becomes the session's step.
    public mutating func move(to target: Int) throws(SceneError) -> Graph {
        let recorded = try scene.atTrainingStep(target)
        step = target
        return recorded.graph
    }

    /// The strip: which step is shown and its loss, the keys, and the loss curve of the whole
    /// run with a dotted line at this step.
    public func draw(into grid: inout CellGrid, rect: Rect) {
        guard rect.height >= 3, rect.width >= 30 else { return }
        let loss = NumberFormat.significant(4).string(run.losses[step - 1])
        let rule = grid.charset == .ascii ? "-" : "─"
        let title = "\(rule)\(rule) training step \(step) of \(run.steps) · \(run.lossName) \(loss) · < > step  { } ×10 "
        let end = grid.write(title, column: rect.column, row: rect.row, role: .frame, clip: rect)
        if end < rect.right {
            _ = grid.write(String(repeating: rule, count: rect.right - end), column: end, row: rect.row, role: .frame, clip: rect)
        }
        var chart = Chart.lossCurve(run.losses, lossName: run.lossName, title: "")
        chart.marker = (x: Double(step), label: "step \(step)")
        let drawer = TerminalChart(width: rect.width, height: rect.height, usesColour: false, usesUnicode: grid.charset != .ascii)
        // The chart's own title line is dropped: the strip's title says what it shows.
        for (offset, line) in drawer.render(chart).dropFirst().prefix(rect.height - 1).enumerated() {
            _ = grid.write(line, column: rect.column, row: rect.row + 1 + offset, role: .text, clip: rect)
        }
    }
}
