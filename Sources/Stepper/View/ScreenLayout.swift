/// Where each pane goes on a screen of a given size.
///
/// Narrow screens stack the panes: graph, trace, inspector. Wide ones (110 columns and more)
/// put the trace and the inspector side by side under the graph, which leaves the graph more
/// rows. Each pane has a separator line above it that carries its title.
struct ScreenLayout: Equatable {
    /// The smallest screen the stepper draws on; below it, it says how large it must be.
    static let minimumColumns = 80
    static let minimumRows = 24
    static let sideBySideColumns = 110

    var title: Rect
    var graphTitle: Rect
    var graph: Rect
    var traceTitle: Rect
    var trace: Rect
    var inspectorTitle: Rect
    var inspector: Rect
    /// The vertical divider between trace and inspector when side by side.
    var divider: Rect?
    var status: Rect
    var hints: Rect

    init?(columns: Int, rows: Int) {
        guard columns >= Self.minimumColumns, rows >= Self.minimumRows else { return nil }
        func line(_ row: Int, _ column: Int = 0, _ width: Int = columns) -> Rect {
            Rect(column: column, row: row, width: width, height: 1)
        }
        title = line(0)
        status = line(rows - 2)
        hints = line(rows - 1)
        graphTitle = line(1)
        if columns >= Self.sideBySideColumns {
            // 5 fixed lines: title, graph separator, bottom separator, status, hints.
            let free = rows - 5
            let bottom = max(9, free * 2 / 5)
            let graphRows = free - bottom
            graph = Rect(column: 0, row: 2, width: columns, height: graphRows)
            let separator = 2 + graphRows
            let inspectorWidth = max(44, columns * 2 / 5)
            let traceWidth = columns - inspectorWidth - 1
            traceTitle = line(separator, 0, traceWidth)
            trace = Rect(column: 0, row: separator + 1, width: traceWidth, height: bottom)
            divider = Rect(column: traceWidth, row: separator, width: 1, height: bottom + 1)
            inspectorTitle = line(separator, traceWidth + 1, inspectorWidth)
            inspector = Rect(column: traceWidth + 1, row: separator + 1, width: inspectorWidth, height: bottom)
        } else {
            // 6 fixed lines: title, three separators, status, hints; the inspector keeps 4 rows.
            let inspectorRows = 4
            let free = rows - 6 - inspectorRows
            let traceRows = max(5, free * 3 / 8)
            let graphRows = free - traceRows
            graph = Rect(column: 0, row: 2, width: columns, height: graphRows)
            traceTitle = line(2 + graphRows)
            trace = Rect(column: 0, row: 3 + graphRows, width: columns, height: traceRows)
            inspectorTitle = line(3 + graphRows + traceRows)
            inspector = Rect(column: 0, row: 4 + graphRows + traceRows, width: columns, height: inspectorRows)
            divider = nil
        }
    }
}
