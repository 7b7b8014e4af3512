import GradFlow
import Notation
import GraphExport

/// One drawn screen: the cells, and what a click on them means.
public struct Frame: Sendable {
    public var grid: CellGrid
    /// Boxes and rows that a click inspects; later entries lie on top.
    public var hits: [HitRegion]
    /// The zoom the graph pane chose (for `Z`, which toggles it).
    public var zoom: Zoom
    /// What the graph pane drew where (for tests).
    var drawnGraph = DrawnGraph()
    /// The inspector's lines as drawn, and how many did not fit (then the last row says so).
    var inspectorOverflow = 0
    /// Where the panes were drawn (the graph pane may have taken rows from the others).
    var layout: ScreenLayout?

    /// The node under a click at (`column`, `row`), if any.
    public func node(atColumn column: Int, row: Int) -> NodeID? {
        hits.last { $0.rect.contains(column: column, row: row) }?.node
    }
}

/// The view of model / update / view: draws a ``StepperModel`` into a ``CellGrid``.
///
/// A class only because it remembers graph layouts between frames (Graphviz is the expensive
/// part); what it draws depends on the model, and on which layout the frame before was drawn
/// in: the graph pane keeps that layout while it shows the step (see ``GraphPane/keptLayout``).
public final class StepperView {
    /// Internal for tests, which count the layouts it makes.
    let graphPane: GraphPane

    /// A view whose graph pane lays graphs out with Graphviz (in-process), falling back to a
    /// plain layered layout if Graphviz fails.
    public convenience init() {
        self.init(layout: StepperView.graphvizLayout)
    }

    /// A view with its own layout function (tests use the layered one to stay independent of
    /// the installed Graphviz).
    init(layout: @escaping LayoutFunction) {
        graphPane = GraphPane(layout: layout)
    }

    /// A view that never calls Graphviz: the plain layered layout.
    public static func withLayeredLayout() -> StepperView {
        StepperView(layout: { request in LayeredLayout.layout(request) })
    }

    /// Graphviz's dot layout, as the exporter draws it.
    @Sendable static func graphvizLayout(_ request: LayoutRequest) throws -> GraphLayout {
        try GraphvizLayout.layout(request)
    }

    /// Draws the model.
    ///
    /// - Complexity: O(visible cells) per step once the window around the current node is
    ///   laid out; a new window costs one Graphviz layout of at most a few hundred nodes.
    public func render(_ model: StepperModel) -> Frame {
        var grid = CellGrid(columns: model.columns, rows: model.rows, charset: model.charset)
        guard var layout = ScreenLayout(columns: model.columns, rows: model.rows) else {
            drawTooSmall(model, into: &grid)
            return Frame(grid: grid, hits: [], zoom: .compact)
        }
        let state = StepState(model: model)
        // The graph pane takes rows from the panes under it where the whole graph fits only so.
        let graphRows = graphPane.graphRows(model, state: state, standard: layout.graph, tallest: layout.tallestGraphRows)
        if graphRows != layout.graph.height, let taller = ScreenLayout(columns: model.columns, rows: model.rows, graphRows: graphRows) {
            layout = taller
        }
        drawTitle(model, into: &grid, rect: layout.title)

        let outcome = graphPane.draw(model, state: state, into: &grid, rect: layout.graph)
        var graphTitle = "graph"
        if let caption = outcome.caption { graphTitle += " · " + caption }
        if let label = outcome.stepLabel { graphTitle += " · " + label }
        let offscreen = outcome.offscreen.map { "off screen " + $0 + " · " } ?? ""
        let titleEnd = drawPaneTitle(graphTitle, right: offscreen + "\(outcome.zoom.rawValue) · z fit",
                                     focused: model.focus == .graph, into: &grid, rect: layout.graphTitle)
        drawOverview(model, visible: outcome.drawn.boxes.map(\.nodes), between: titleEnd, into: &grid)

        drawPaneTitle("trace", right: nil, focused: model.focus == .trace, into: &grid, rect: layout.traceTitle)
        let traceHits = TracePane.draw(model, state: state, into: &grid, rect: layout.trace)

        let inspector = Inspector(model: model, state: state).content()
        drawPaneTitle(inspector.title, right: nil, focused: false, into: &grid, rect: layout.inspectorTitle)
        // Wrapped to the pane; what does not fit is never cut silently: it is paged with `s`,
        // and the last row says so.
        let page = Self.page(of: inspector.lines.flatMap { wrap($0, width: layout.inspector.width, charset: grid.charset) },
                             rows: layout.inspector.height, page: model.inspectorPage)
        let (pieces, inspectorOverflow) = (page.lines, page.hidden)
        for (offset, piece) in pieces.enumerated() {
            grid.write(piece, column: layout.inspector.column, row: layout.inspector.row + offset, clip: layout.inspector)
        }
        if let divider = layout.divider {
            for row in divider.row..<divider.bottom {
                grid.set(row == divider.row ? "┬" : "│", column: divider.column, row: row, role: .frame)
            }
        }

        StatusBar.drawStatus(model, into: &grid, rect: layout.status)
        StatusBar.drawHints(model, stepPaneMore: inspectorOverflow > 0, into: &grid, rect: layout.hints)
        switch model.overlay {
        case .help?: Overlays.drawHelp(into: &grid, screen: grid.bounds)
        case .chooser(let chooser)?: Overlays.drawChooser(chooser, into: &grid, screen: grid.bounds)
        case .find?, nil: break
        }
        var frame = Frame(grid: grid, hits: model.overlay == nil ? traceHits + outcome.hits : [], zoom: outcome.zoom)
        frame.drawnGraph = outcome.drawn
        frame.inspectorOverflow = inspectorOverflow
        frame.layout = layout
        return frame
    }

    private func drawTitle(_ model: StepperModel, into grid: inout CellGrid, rect: Rect) {
        grid.fill(rect, role: .title)
        let title = model.graph.annotations.title ?? model.fileName
        var right = model.fileName
        if let bad = model.firstNonFiniteNode { right = "⚠ first non-finite: \(model.graph.label(of: bad))  " + right }
        let rightWidth = DisplayWidth.of(grid.charset.transliterate(right))
        let titleClip = Rect(column: rect.column, row: rect.row, width: rect.width - rightWidth - 2, height: 1)
        grid.write([Span(" gradflow ", .title), Span(title, .title)], column: rect.column, row: rect.row, clip: titleClip)
        grid.write(right, column: rect.right - rightWidth - 1, row: rect.row,
                   role: model.firstNonFiniteNode == nil ? .title : .warning, clip: rect)
    }

    /// Draws a pane's title line; returns the free stretch of it between the two texts.
    @discardableResult
    private func drawPaneTitle(_ title: String, right: String?, focused: Bool, into grid: inout CellGrid,
                               rect: Rect) -> Rect {
        let role: Role = focused ? .focusedFrame : .frame
        grid.fill(rect, with: focused ? "━" : "─", role: role)
        let text = focused ? " \(title) [focus] " : " \(title) "
        let start = grid.write(text, column: rect.column + 2, row: rect.row, role: role, clip: rect)
        var end = rect.right
        if let right {
            let width = DisplayWidth.of(grid.charset.transliterate(right)) + 2
            if rect.width > DisplayWidth.of(text) + width + 6 {
                grid.write(" \(right) ", column: rect.right - width - 2, row: rect.row, role: role, clip: rect)
                end = rect.right - width - 2
            }
        }
        return Rect(column: start, row: rect.row, width: max(0, end - start), height: 1)
    }

    /// When the graph is larger than the pane, the overview of which part is in view, in the
    /// free stretch of the graph pane's title (if there is room for it).
    private func drawOverview(_ model: StepperModel, visible: [Range<Int>], between free: Rect, into grid: inout CellGrid) {
        let label = " in view ", width = min(60, free.width - 2 - DisplayWidth.of(label) - 3)
        guard width >= 8, Overview.isNeeded(visible: visible, count: model.graph.count) else { return }
        let ends: (Character, Character) = grid.charset == .ascii ? ("[", "]") : ("▕", "▏")
        var column = grid.write(label, column: free.column + 1, row: free.row, role: .frame, clip: free)
        grid.set(ends.0, column: column, row: free.row, role: .frame, clip: free)
        column += 1
        for cell in Overview.bar(visible: visible, count: model.graph.count, current: model.currentNode, width: width,
                                 charset: grid.charset) {
            grid.set(cell.character, column: column, row: free.row, role: cell.role, clip: free)
            column += 1
        }
        grid.set(ends.1, column: column, row: free.row, role: .frame, clip: free)
        grid.set(" ", column: column + 1, row: free.row, role: .frame, clip: free)
    }

    private func drawTooSmall(_ model: StepperModel, into grid: inout CellGrid) {
        let lines = [
            "gradflow step needs a terminal of at least \(ScreenLayout.minimumColumns)×\(ScreenLayout.minimumRows);",
            "this one is \(model.columns)×\(model.rows). Enlarge the window,",
            "or press q to quit.",
        ]
        let top = max(0, (model.rows - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            let width = DisplayWidth.of(grid.charset.transliterate(line))
            grid.write(line, column: max(0, (model.columns - width) / 2), row: top + index, role: .warning)
        }
    }

    /// Where a line that is too long breaks: after a list's comma (`∂L/∂w = 0.5, ∂L/∂b = 1`
    /// keeps each entry whole, rather than leaving `∂L/∂b =` at a line's end and its number on
    /// the next) when one falls in the second half of the line, else at the last space.
    private func breakingSpace(in characters: [(Character, Role)], from start: Int, to end: Int, limit: Int) -> Int? {
        let spaces = characters[start..<end].indices.filter { characters[$0].0 == " " && $0 > start }
        let afterComma = spaces.last { $0 > start + limit / 2 && characters[$0 - 1].0 == "," }
        return afterComma ?? spaces.last
    }

    /// Page `page` (counted round: after the last comes the first) of `lines` in `rows` rows:
    /// when they do not all fit, a page holds `rows - 1` of them and a last row saying how many
    /// more there are and that `s` shows them. `hidden` counts the lines not on the page.
    static func page(of lines: [Line], rows: Int, page: Int) -> (lines: [Line], hidden: Int) {
        guard lines.count > rows, rows > 1 else { return (lines, 0) }
        let perPage = rows - 1
        let pages = (lines.count + perPage - 1) / perPage
        let start = (page % pages) * perPage
        let end = min(lines.count, start + perPage)
        let after = lines.count - end
        var footer: Line = [Span(start > 0 ? "lines \(start + 1)–\(end) of \(lines.count) · " : "", .pending)]
        footer += after > 0
            ? [Span("… \(after) more line\(after == 1 ? "" : "s"): ", .pending), Span("s", .key), Span(" shows them", .pending)]
            : [Span("s", .key), Span(" goes back to the top", .pending)]
        return (Array(lines[start..<end]) + [footer], lines.count - (end - start))
    }

    /// Splits a line into lines at most `width` columns wide, at spaces where it can; later
    /// lines are indented by two columns.
    func wrap(_ line: Line, width: Int, charset: Charset) -> [Line] {
        guard width > 8, line.width(charset) > width else { return [line] }
        var characters: [(Character, Role)] = []
        for span in line { for character in charset.transliterate(span.text) { characters.append((character, span.role)) } }
        var lines: [Line] = []
        var start = 0
        while start < characters.count {
            let limit = lines.isEmpty ? width : width - 2
            var end = start, used = 0
            while end < characters.count, used + DisplayWidth.of(characters[end].0) <= limit {
                used += DisplayWidth.of(characters[end].0)
                end += 1
            }
            if end < characters.count, let space = breakingSpace(in: characters, from: start, to: end, limit: limit) {
                end = space + 1
            }
            var piece: Line = lines.isEmpty ? [] : [Span("  ")]
            for (character, role) in characters[start..<end] {
                if piece.last?.role == role { piece[piece.count - 1].text.append(character) } else { piece.append(Span(String(character), role)) }
            }
            lines.append(piece)
            start = end
            while start < characters.count, characters[start].0 == " " { start += 1 }
        }
        return lines
    }
}
