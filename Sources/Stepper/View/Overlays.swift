/// What covers the panes: the key list (`?`) and the choosers (`o`, `i`).
enum Overlays {
    static func drawHelp(into grid: inout CellGrid, screen: Rect) {
        let keys = KeyTable.listing
        let keyWidth = keys.map { DisplayWidth.of(grid.charset.transliterate($0.keys)) }.max() ?? 0
        let actionWidth = keys.map { DisplayWidth.of(grid.charset.transliterate($0.action)) }.max() ?? 0
        let lines: [Line] = keys.map { [Span(pad($0.keys, keyWidth, grid.charset), .key), Span("  " + $0.action, .overlay)] }
        drawBox(title: "keys (any key closes)", lines: lines, width: keyWidth + 2 + actionWidth, into: &grid, screen: screen)
    }

    static func drawChooser(_ chooser: Chooser, into grid: inout CellGrid, screen: Rect) {
        let title = chooser.purpose == .output ? "differentiate which output?" : "seed which input (forward mode)?"
        let visible = max(1, min(chooser.entries.count, screen.height - 6))
        let top = max(0, min(chooser.selected - visible / 2, chooser.entries.count - visible))
        let entries = chooser.entries[top..<(top + visible)]
        let width = max(DisplayWidth.of(title), (entries.map { DisplayWidth.of(grid.charset.transliterate($0)) }.max() ?? 0) + 2)
        let lines: [Line] = entries.enumerated().map { offset, entry in
            let selected = top + offset == chooser.selected
            return [Span(pad((selected ? "▶ " : "  ") + entry, width, grid.charset), selected ? .selection : .overlay)]
        }
        drawBox(title: title, lines: lines + [[Span("↑↓ choose, Enter take, Esc cancel", .pending)]],
                width: width, into: &grid, screen: screen)
    }

    /// A bordered box centred on the screen, its lines clipped to fit.
    private static func drawBox(title: String, lines: [Line], width: Int, into grid: inout CellGrid, screen: Rect) {
        let boxWidth = min(screen.width - 2, max(width, DisplayWidth.of(title) + 2) + 4)
        let boxHeight = min(screen.height - 2, lines.count + 2)
        let box = Rect(column: screen.column + (screen.width - boxWidth) / 2, row: screen.row + (screen.height - boxHeight) / 2,
                       width: boxWidth, height: boxHeight)
        grid.fill(box, role: .overlay)
        for column in box.column..<box.right {
            grid.set("─", column: column, row: box.row, role: .overlay)
            grid.set("─", column: column, row: box.bottom - 1, role: .overlay)
        }
        for row in box.row..<box.bottom {
            grid.set("│", column: box.column, row: row, role: .overlay)
            grid.set("│", column: box.right - 1, row: row, role: .overlay)
        }
        grid.set("╭", column: box.column, row: box.row, role: .overlay)
        grid.set("╮", column: box.right - 1, row: box.row, role: .overlay)
        grid.set("╰", column: box.column, row: box.bottom - 1, role: .overlay)
        grid.set("╯", column: box.right - 1, row: box.bottom - 1, role: .overlay)
        grid.write(" " + title + " ", column: box.column + 2, row: box.row, role: .strong,
                   clip: Rect(column: box.column + 1, row: box.row, width: box.width - 2, height: 1))
        let inner = Rect(column: box.column + 2, row: box.row + 1, width: box.width - 4, height: box.height - 2)
        for (index, line) in lines.prefix(inner.height).enumerated() {
            grid.write(line, column: inner.column, row: inner.row + index, clip: inner)
        }
    }

    private static func pad(_ text: String, _ width: Int, _ charset: Charset) -> String {
        text + String(repeating: " ", count: max(0, width - DisplayWidth.of(charset.transliterate(text))))
    }
}
