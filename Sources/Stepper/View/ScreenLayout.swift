/// Where each pane goes on a screen of a given size.
///
/// Narrow screens stack the panes: graph, trace, inspector. Wide ones (110 columns and more)
/// put the trace and the inspector side by side under the graph, which leaves the graph more
/// rows. Each pane has a separator line above it that carries its title.
///
/// The graph pane may take rows from the panes under it (down to ``minimumBottomRows`` on a
/// wide screen, from the trace down to ``minimumTraceRows`` on a narrow one) when the whole
/// graph fits only so (see ``GraphPane/graphRows``): two units of a dense layer at 200×50 are
/// 34 rows tall, drawn top to bottom with names only.
struct ScreenLayout: Equatable {
    /// The smallest screen the stepper draws on; below it, it says how large it must be.
    static let minimumColumns = 80
    static let minimumRows = 24
    static let sideBySideColumns = 110
    /// The fewest rows left under the graph pane of a wide screen for the trace and the
    /// inspector side by side: their usual share on a short screen, and all a graph that takes
    /// more than its usual share leaves them.
    static let minimumBottomRows = 9
    /// The fewest rows of a narrow screen's trace pane (stacked under the graph) when the graph
    /// takes more than its usual share: the header, the current row and one on either side. At
    /// 80×24 this gives a graph of twelve nodes with three fan-outs the tenth row it needs.
    static let minimumTraceRows = 4

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

    /// The most rows the graph pane can have on this screen, taken from the trace and the
    /// inspector (on a narrow screen, from the trace alone).
    let tallestGraphRows: Int

    /// - Parameter graphRows: the graph pane's rows, if not the default (kept between the
    ///   default and ``tallestGraphRows``).
    init?(columns: Int, rows: Int, graphRows wanted: Int? = nil) {
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
            let standardBottom = max(Self.minimumBottomRows, free * 2 / 5)
            tallestGraphRows = free - Self.minimumBottomRows
            let graphRows = min(tallestGraphRows, max(free - standardBottom, wanted ?? 0))
            let bottom = free - graphRows
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
            let standardTrace = max(5, free * 3 / 8)
            // The trace keeps its header and the rows before and after the current one.
            tallestGraphRows = free - Self.minimumTraceRows
            let graphRows = min(tallestGraphRows, max(free - standardTrace, wanted ?? 0))
            let traceRows = free - graphRows
            graph = Rect(column: 0, row: 2, width: columns, height: graphRows)
            traceTitle = line(2 + graphRows)
            trace = Rect(column: 0, row: 3 + graphRows, width: columns, height: traceRows)
            inspectorTitle = line(3 + graphRows + traceRows)
            inspector = Rect(column: 0, row: 4 + graphRows + traceRows, width: columns, height: inspectorRows)
            divider = nil
        }
    }
}
