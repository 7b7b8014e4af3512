/// The driver's side of a ``TrainingSession``: the rows the strip takes from the screen, the
/// frame with the strip under the panes, and a key that moves to another step's graph.
///
/// Everything else of the stepper is unchanged: the model is built for the step's graph and
/// the panes are drawn as for any scene, in the rows above the strip.
struct TrainingStrip {
    var session: TrainingSession?

    /// Screens lower than this show no strip: the panes need the rows more, and the strip must
    /// never push them under the stepper's own minimum (at 80×24 a training scene is stepped as
    /// any scene is, with `<` `>` `{` `}` still moving between steps).
    static let minimumScreenRows = ScreenLayout.minimumRows + TrainingSession.stripRows

    /// The rows the panes get on a screen of `rows`.
    func paneRows(_ rows: Int) -> Int {
        guard session != nil, rows >= Self.minimumScreenRows else { return rows }
        return rows - TrainingSession.stripRows
    }

    /// The panes' frame with the strip drawn in the rows under it.
    func composed(_ panes: CellGrid, screenRows: Int) -> CellGrid {
        guard let session, screenRows > panes.rows else { return panes }
        var full = CellGrid(columns: panes.columns, rows: screenRows, charset: panes.charset)
        for row in 0..<panes.rows {
            for column in 0..<panes.columns { full[column, row] = panes[column, row] }
        }
        session.draw(into: &full, rect: Rect(column: 0, row: panes.rows, width: panes.columns, height: screenRows - panes.rows))
        return full
    }

    /// For `<` `>` `{` `}` (``Message/trainingStep(_:)``, from the key table): the model of the
    /// step's graph asked for, at the same point of the walk (or its end, if the graph is
    /// shorter); nil when nothing moves (no training, or already at the first or last step).
    mutating func move(by delta: Int, from model: StepperModel, fileName: String, options: StepperOptions,
                       charset: Charset, columns: Int, rows: Int) -> StepperModel? {
        guard var session else { return nil }
        let target = session.step(movedBy: delta)
        guard target != session.step,
              let graph = try? session.move(to: target) else { return nil }
        var reopened = options
        reopened.walk.step = nil
        reopened.walk.phase = nil
        guard var moved = try? StepperModel(graph: graph, fileName: fileName, options: reopened, charset: charset) else { return nil }
        self.session = session
        moved = update(moved, .resize(columns: columns, rows: rows))
        return update(moved, .goTo(step: Swift.min(model.step, moved.timeline.count)))
    }
}
