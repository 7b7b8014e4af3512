import GradFlow
import Notation

extension GraphPane {
    /// Writes the local derivative of the current contribution beside its edge (`·0.2` over the
    /// edge's longest straight run), where the cells are free: the factor the adjoint is
    /// multiplied by on its way back along that edge.
    ///
    /// - Returns: for a contribution whose edge has no free cells beside it (or is drawn apart
    ///   from the layout), the label for the pane's title instead: `t9 → v1 ·0.8337`.
    /// What the current contribution's edge carries: its local derivative (`·0.2`), or for a
    /// tensor step the vector–Jacobian product it passes back (`w̄ ⊙ y`, `z̄ · xᵀ`).
    static func stepEdgeLabel(_ model: StepperModel, notation: Notation) -> String? {
        guard case .contribute(let contribution)? = model.currentStep, let index = model.contributionIndex else { return nil }
        if model.timeline.isTensorStep(index) {
            let rule = notation.tensorUpdate(of: contribution.from, operand: contribution.operandIndex, in: model.graph)
            // The rule's right-hand side: what the receiving adjoint gets.
            guard let range = rule.range(of: notation.accumulates) else { return rule }
            return String(rule[range.upperBound...])
        }
        return (notation.charset == .unicode ? "·" : "*") + notation.number(contribution.localDerivative)
    }

    func drawLocalDerivative(_ drawing: PlacedGraph, model: StepperModel, items: FoldedItems, origin: CellPoint,
                             notation: Notation, into grid: inout CellGrid, clip: Rect) -> String? {
        guard case .contribute(let contribution)? = model.currentStep,
              let label = GraphPane.stepEdgeLabel(model, notation: notation) else { return nil }
        let titleLabel = "\(model.graph.label(of: contribution.from)) → \(model.graph.label(of: contribution.to)) \(label)"
        guard let index = activeEdges(drawing, model: model, items: items).laidOut.first else { return titleLabel }
        let width = DisplayWidth.of(grid.charset.transliterate(label))
        let cells = drawing.edgeCells[index].map { CellPoint(column: $0.column + origin.column, row: $0.row + origin.row) }
        // Horizontal runs of the edge inside the pane, longest first.
        var runs: [(row: Int, start: Int, end: Int)] = []
        for cell in cells where clip.contains(column: cell.column, row: cell.row) {
            if let last = runs.last, last.row == cell.row, last.end + 1 == cell.column {
                runs[runs.count - 1].end = cell.column
            } else {
                runs.append((cell.row, cell.column, cell.column))
            }
        }
        // Where the label may go, best first: centred over or under the edge's longest
        // straight runs; then beside any of its cells, nearest the arrowhead first.
        var places: [(column: Int, row: Int)] = []
        for run in runs.sorted(by: { $0.end - $0.start > $1.end - $1.start }) {
            for row in [run.row - 1, run.row + 1] {
                places.append((max(clip.column, min(clip.right - width, (run.start + run.end + 1 - width) / 2)), row))
            }
        }
        for cell in cells.reversed() where clip.contains(column: cell.column, row: cell.row) {
            places += [(cell.column + 1, cell.row), (cell.column - width, cell.row),
                       (cell.column - width / 2, cell.row - 1), (cell.column - width / 2, cell.row + 1),
                       (cell.column + 1, cell.row - 1), (cell.column + 1, cell.row + 1),
                       (cell.column - width, cell.row - 1), (cell.column - width, cell.row + 1)]
        }
        // A box's blank inside is not free: a box widened for its many edges has room there,
        // and a label in it would read as the box's value.
        let boxesInView = drawing.boxes.map { $0.offsetBy(columns: origin.column, rows: origin.row) }
            .filter { !$0.intersection(clip).isEmpty }
        for place in places where place.row >= clip.row && place.row < clip.bottom
            && place.column >= clip.column && place.column + width <= clip.right {
            // Free cells under the label, and a blank beside it where the pane goes on.
            let area = Rect(column: place.column - 1, row: place.row, width: width + 2, height: 1).intersection(clip)
            if (area.column..<area.right).allSatisfy({ grid[$0, place.row].character == " " }),
               boxesInView.allSatisfy({ $0.intersection(area).isEmpty }) {
                grid.write(label, column: place.column, row: place.row, role: .activeEdge, clip: clip)
                return nil
            }
        }
        return titleLabel
    }
}
