import GraphExport

/// The least size a window's drawing can have, known before it is laid out: a cheap test that
/// a style cannot fit the pane, so that the pane does not ask Graphviz for it.
///
/// Along a path of edges every box sits in a rank of its own (Graphviz ranks each consumer
/// after its operands; so does ``LayeredLayout``), the ranks follow one another without
/// overlapping, and the channel router only ever widens the gaps between them. So a drawing
/// made left to right is at least as wide as the boxes of its widest path side by side with
/// a cell between each, and one made top to bottom at least as tall as its tallest path. With
/// bands (see ``Bands``) each band is laid out on its own: the bound is the largest band's.
///
/// 61 nodes each summing all earlier ones make one path through all 61 boxes: no style can
/// fit a terminal, and each one laid out costs Graphviz about 100 ms.
struct DrawingBound: Equatable {
    /// The fewest columns of a drawing made left to right.
    var columnsLeftToRight: Int
    /// The fewest rows of a drawing made top to bottom.
    var rowsTopToBottom: Int

    /// - Complexity: O(boxes + edges).
    init(window: GraphWindow, sizes: [(columns: Int, rows: Int)]) {
        // Longest paths by box extent, ending at each box; operands (members in evaluation
        // order, proxies with no operands) come before their consumers.
        var columns = sizes.map(\.columns), rows = sizes.map(\.rows)
        var incoming = [[Int]](repeating: [], count: sizes.count)
        for edge in window.edges
        where window.bandOfBox[edge.from] == window.bandOfBox[edge.to] && !window.isStepOnly(edge) {
            incoming[edge.to].append(edge.from)
        }
        let order = Array(window.members.count..<sizes.count) + Array(0..<window.members.count)
        for box in order {
            for operand in incoming[box] {
                columns[box] = max(columns[box], columns[operand] + 1 + sizes[box].columns)
                rows[box] = max(rows[box], rows[operand] + 1 + sizes[box].rows)
            }
        }
        columnsLeftToRight = columns.max() ?? 0
        rowsTopToBottom = rows.max() ?? 0
    }

    /// Whether no drawing of `style` can fit a pane of `columns` × `rows`. A layout that falls
    /// back to ``LayeredLayout`` runs left to right whatever the style says, so a top-to-bottom
    /// style is hopeless only when neither direction fits.
    func cannotFit(_ style: LayoutStyle, columns: Int, rows: Int) -> Bool {
        let across = columnsLeftToRight > columns
        return style.direction == .leftToRight ? across : across && rowsTopToBottom > rows
    }
}
