import GradFlow

/// `detach`: the edge into a node whose op stops the gradient is drawn with a barrier glyph,
/// `╫` (`X` in ASCII) halfway along, as the exporter draws a ⊣ on the same edge.
extension GraphPane {
    static func drawGradientBarriers(_ drawing: PlacedGraph, graph: Graph, items: FoldedItems, origin: CellPoint,
                                     into grid: inout CellGrid, clip: Rect) {
        for (index, edge) in drawing.window.edges.enumerated() {
            guard case .node(let consumer) = items.item(drawing.window.members[edge.to]),
                  graph.ops[consumer].rule.stopsGradient else { continue }
            let cells = drawing.edgeCells[index]
            guard !cells.isEmpty else { continue }
            let cell = cells[cells.count / 2]
            grid.set(grid.charset == .ascii ? "X" : "╫", column: cell.column + origin.column, row: cell.row + origin.row,
                     role: .warning, clip: clip)
        }
    }
}
