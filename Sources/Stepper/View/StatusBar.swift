import GradFlow

/// The status line (phase, step k of N, the output, the mode, playing) and the key hints under
/// it, which follow the focus; the find prompt and one-off messages take the hints' place.
enum StatusBar {
    static func drawStatus(_ model: StepperModel, into grid: inout CellGrid, rect: Rect) {
        grid.fill(rect, role: .status)
        let phase = model.isAtEnd && model.step > 0 ? "DONE" : model.phase.rawValue.uppercased()
        var parts = [" \(phase)", "step \(model.step) of \(model.timeline.count)"]
        switch model.timeline.mode {
        case .reverse(let output):
            parts.append("output \(model.graph.label(of: output))")
            parts.append("reverse mode")
        case .forward:
            parts.append("forward mode, seed \(model.seededLabel ?? "")")
        }
        parts.append(precisionName(model.precision))
        if model.isPlaying { parts.append("▶ playing \(NumberFormat.shortest.string(model.speed))/s") }
        let separator = grid.charset == .unicode ? " │ " : " | "
        grid.write(parts.joined(separator: separator), column: rect.column, row: rect.row, role: .status, clip: rect)
        let focus = "focus: \(model.focus.rawValue) "
        let width = DisplayWidth.of(focus)
        if model.focus != .steps, rect.width > width + 60 {
            grid.write(focus, column: rect.right - width, row: rect.row, role: .status, clip: rect)
        }
    }

    static func precisionName(_ format: NumberFormat) -> String {
        switch format {
        case .significant(let digits): "\(digits) digits"
        case .shortest: "all digits"
        }
    }

    /// - Parameter stepPaneMore: whether the step pane has more lines than it shows (then the
    ///   first hint is `s more`).
    static func drawHints(_ model: StepperModel, stepPaneMore: Bool = false, into grid: inout CellGrid, rect: Rect) {
        if case .find(let query)? = model.overlay {
            // The end of what is typed, where the cursor is: at most what fits beside the keys.
            let room = max(1, rect.width - 44)
            let shown = query.count > room ? "…" + String(query.suffix(room - 1)) : query
            grid.write([Span(" find a node: ", .strong), Span(shown + "█", .overlay), Span("   "),
                        Span("Enter", .key), Span(" go  "), Span("Esc", .key), Span(" cancel")],
                       column: rect.column, row: rect.row, clip: rect)
            return
        }
        if let message = model.message {
            grid.write([Span(" " + message, .warning)], column: rect.column, row: rect.row, clip: rect)
            return
        }
        var line: Line = []
        if stepPaneMore { line += [Span(" s", .key), Span(" more ")] }
        for (key, action) in KeyTable.hints(model) {
            line.append(Span(" " + key, .key))
            line.append(Span(" " + action + " "))
        }
        grid.write(line, column: rect.column, row: rect.row, clip: rect)
    }
}
