import GradFlow
import Notation

extension GraphPane {
    /// Writes the local derivative of the current contribution beside its edge (`·0.2` over the
    /// edge's longest straight run), where the cells are free: the factor the adjoint is
    /// multiplied by on its way back along that edge.
    func drawLocalDerivative(_ drawing: PlacedGraph, model: StepperModel, items: FoldedItems, origin: CellPoint,
                             notation: Notation, into grid: inout CellGrid, clip: Rect) {
        guard case .contribute(let contribution)? = model.currentStep,
              let index = activeEdges(drawing, model: model, items: items).laidOut.first else { return }
        let label = (grid.charset == .unicode ? "·" : "*") + notation.number(contribution.localDerivative)
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
        for run in runs.sorted(by: { $0.end - $0.start > $1.end - $1.start }) {
            for row in [run.row - 1, run.row + 1] where row >= clip.row && row < clip.bottom {
                // Centred over the run, but never past the pane.
                let start = max(clip.column, min(clip.right - width, (run.start + run.end + 1 - width) / 2))
                let area = Rect(column: start - 1, row: row, width: width + 2, height: 1).intersection(clip)
                let free = (area.column..<area.right).allSatisfy { grid[$0, row].character == " " }
                if free, area.width >= width {
                    grid.write(label, column: start, row: row, role: .activeEdge, clip: clip)
                    return
                }
            }
        }
    }
}
