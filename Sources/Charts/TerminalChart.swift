/// A ``Chart`` drawn with characters, for a terminal: braille dots (eight to a cell, so a line
/// is smooth) or, where the terminal cannot show them, plain ASCII; in colour, or in monochrome
/// with each line drawn in its own dash pattern.
public struct TerminalChart: Sendable {
    public var width: Int
    public var height: Int
    /// ANSI colours, one per line; off gives monochrome (dash patterns tell the lines apart).
    public var usesColour: Bool
    /// Braille and box-drawing characters; off gives ASCII only.
    public var usesUnicode: Bool

    public init(width: Int = 80, height: Int = 20, usesColour: Bool = false, usesUnicode: Bool = true) {
        self.width = Swift.max(width, 30)
        self.height = Swift.max(height, 8)
        self.usesColour = usesColour
        self.usesUnicode = usesUnicode
    }

    /// ANSI foreground colours: blue, red, green, magenta, cyan, yellow.
    static let colourCodes = [34, 31, 32, 35, 36, 33]
    /// Which dots of a line are drawn in monochrome: solid, dashed, dotted, dash-dot, …
    static let dashPatterns: [[Bool]] = [
        [true], [true, true, true, false, false], [true, false], [true, true, true, true, false, true, false],
        [true, true, false, false], [true, false, false],
    ]
    static let unicodeSwatches = ["━━━", "╍╍╍", "┈┈┈", "━╌━", "╌╌╌", "┄┄┄"]
    static let asciiMarks: [Character] = ["*", "+", "o", "x", "#", "@"]

    /// The chart as lines of text (with ANSI colour codes when ``usesColour``).
    public func render(_ chart: Chart) -> [String] {
        let bounds = chart.bounds
        let yTicks = Ticks.ticks(for: bounds.y, scale: chart.yScale, target: Swift.max(2, (height - 4) / 3))
        let labelWidth = Swift.max(yTicks.map(\.label.count).max() ?? 1, 1)
        let plotWidth = width - labelWidth - 2
        let plotHeight = height - 4
        let xTicks = Ticks.ticks(for: bounds.x, scale: chart.xScale, target: Swift.max(2, plotWidth / 12))
        var canvas = DotCanvas(columns: plotWidth, rows: plotHeight, dotsAcross: usesUnicode ? 2 : 1, dotsDown: usesUnicode ? 4 : 1)
        func dot(_ x: Double, _ y: Double) -> (Int, Int)? {
            guard Chart.drawable(x, on: chart.xScale), Chart.drawable(y, on: chart.yScale) else { return nil }
            let fx = Chart.fraction(x, in: bounds.x, scale: chart.xScale)
            let fy = Chart.fraction(y, in: bounds.y, scale: chart.yScale)
            guard fx.isFinite, fy.isFinite else { return nil }
            let column = Int((fx * Double(canvas.dotWidth - 1)).rounded())
            let row = Int(((1 - fy) * Double(canvas.dotHeight - 1)).rounded())
            return (Swift.min(Swift.max(column, 0), canvas.dotWidth - 1), Swift.min(Swift.max(row, 0), canvas.dotHeight - 1))
        }
        if let marker = chart.marker, Chart.drawable(marker.x, on: chart.xScale) {
            let fx = Chart.fraction(marker.x, in: bounds.x, scale: chart.xScale)
            if (0...1).contains(fx) {
                let column = Int((fx * Double(canvas.dotWidth - 1)).rounded())
                for row in stride(from: 0, to: canvas.dotHeight, by: 2) { canvas.set(column, row, series: -1) }
            }
        }
        for (index, series) in chart.series.enumerated() {
            let pattern = usesColour ? [true] : Self.dashPatterns[index % Self.dashPatterns.count]
            var previous: (Int, Int)?
            var travelled = 0
            for point in series.points {
                guard let current = dot(point.x, point.y) else {
                    previous = nil
                    continue
                }
                canvas.line(from: previous ?? current, to: current, series: index) { _ in
                    defer { travelled += 1 }
                    return pattern[travelled % pattern.count]
                }
                previous = current
            }
        }
        let showsLabel = !chart.yLabel.isEmpty && !chart.title.contains(chart.yLabel)
        var lines: [String] = [Self.elide(chart.title + (showsLabel ? "   (\(chart.yLabel))" : ""), to: width)]
        var tickRows: [Int: String] = [:]
        for tick in yTicks {
            let fy = Chart.fraction(tick.value, in: bounds.y, scale: chart.yScale)
            let row = Int(((1 - fy) * Double(canvas.dotHeight - 1)).rounded()) / canvas.dotsDown
            if (0..<plotHeight).contains(row) { tickRows[row] = tick.label }
        }
        for row in 0..<plotHeight {
            let label = tickRows[row].map { String(repeating: " ", count: labelWidth - $0.count) + $0 }
                ?? String(repeating: " ", count: labelWidth)
            let axis = tickRows[row] != nil ? (usesUnicode ? "┤" : "+") : (usesUnicode ? "│" : "|")
            lines.append(label + " " + axis + canvas.rowText(row, glyph: glyph(series:cell:)))
        }
        var axisLine = Array(repeating: usesUnicode ? "─" : "-", count: plotWidth)
        var tickLabels = Array(repeating: " ", count: plotWidth)
        var nextFree = 0
        for tick in xTicks {
            let fx = Chart.fraction(tick.value, in: bounds.x, scale: chart.xScale)
            let column = Int((fx * Double(canvas.dotWidth - 1)).rounded()) / canvas.dotsAcross
            guard (0..<plotWidth).contains(column) else { continue }
            axisLine[column] = usesUnicode ? "┬" : "+"
            // Centred under the tick, but kept inside the chart's width at either end.
            let start = Swift.max(0, Swift.min(column - tick.label.count / 2, plotWidth - tick.label.count))
            guard start >= nextFree, start + tick.label.count <= tickLabels.count else { continue }
            for (offset, character) in tick.label.enumerated() { tickLabels[start + offset] = String(character) }
            nextFree = start + tick.label.count + 1
        }
        let indent = String(repeating: " ", count: labelWidth + 1)
        lines.append(indent + (usesUnicode ? "└" : "+") + axisLine.joined())
        lines.append(indent + " " + tickLabels.joined().trimmingTrailingSpaces())
        lines.append(indent + " " + legend(chart))
        return lines
    }

    /// `━━━ f   ╍╍╍ f′   (x)`: a swatch per line, in its colour or dash pattern, and the x label.
    func legend(_ chart: Chart) -> String {
        var parts: [String] = []
        for (index, series) in chart.series.enumerated() {
            let swatch = usesUnicode
                ? (usesColour ? "━━━" : Self.unicodeSwatches[index % Self.unicodeSwatches.count])
                : String(repeating: Self.asciiMarks[index % Self.asciiMarks.count], count: 3)
            parts.append(coloured(swatch, series: index) + " " + series.name)
        }
        if let marker = chart.marker { parts.append((usesUnicode ? "┊ " : ": ") + marker.label) }
        if !chart.xLabel.isEmpty { parts.append("x axis: " + chart.xLabel) }
        return parts.joined(separator: "   ")
    }

    /// The character for one cell: its braille dots (or an ASCII mark), in the series' colour.
    func glyph(series: Int, cell: UInt8) -> String {
        guard cell != 0 else { return " " }
        let text: String
        if usesUnicode {
            text = String(UnicodeScalar(0x2800 + UInt32(cell))!)
        } else {
            text = series < 0 ? ":" : String(Self.asciiMarks[series % Self.asciiMarks.count])
        }
        return series < 0 ? text : coloured(text, series: series)
    }

    func coloured(_ text: String, series: Int) -> String {
        guard usesColour else { return text }
        return "\u{1B}[\(Self.colourCodes[series % Self.colourCodes.count])m" + text + "\u{1B}[0m"
    }

    /// A title longer than the chart is cut at a space and ends with `…` (it was cut mid-word,
    /// `…: loss pe`), so a reader sees that something is missing.
    static func elide(_ text: String, to width: Int) -> String {
        guard text.count > width, width > 1 else { return text }
        let kept = text.prefix(width - 1)
        let atSpace = kept.lastIndex(of: " ").map { kept[..<$0] } ?? kept
        let cut = atSpace.count >= width / 2 ? atSpace : kept
        return String(cut).trimmingTrailingSpaces() + "…"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

/// A grid of cells, each `dotsAcross` × `dotsDown` dots (2 × 4 for braille), remembering which
/// series drew last in each cell.
struct DotCanvas {
    let columns: Int, rows: Int, dotsAcross: Int, dotsDown: Int
    var cells: [UInt8]
    var owners: [Int]

    init(columns: Int, rows: Int, dotsAcross: Int, dotsDown: Int) {
        self.columns = Swift.max(columns, 1)
        self.rows = Swift.max(rows, 1)
        self.dotsAcross = dotsAcross
        self.dotsDown = dotsDown
        cells = Array(repeating: 0, count: self.columns * self.rows)
        owners = Array(repeating: -1, count: self.columns * self.rows)
    }

    var dotWidth: Int { columns * dotsAcross }
    var dotHeight: Int { rows * dotsDown }

    /// Braille's bit for the dot at (column, row) inside a cell.
    private static let brailleBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    mutating func set(_ x: Int, _ y: Int, series: Int) {
        guard (0..<dotWidth).contains(x), (0..<dotHeight).contains(y) else { return }
        let index = (y / dotsDown) * columns + x / dotsAcross
        let bit = dotsAcross == 2 ? Self.brailleBits[x % 2][y % 4] : 1
        cells[index] |= bit
        if series >= 0 || owners[index] < 0 { owners[index] = series }
    }

    /// Draws the dots from `start` to `end` (Bresenham), each one only if `draws` says so.
    mutating func line(from start: (Int, Int), to end: (Int, Int), series: Int, draws: (Int) -> Bool) {
        var (x, y) = start
        let dx = Swift.abs(end.0 - x), dy = -Swift.abs(end.1 - y)
        let sx = x < end.0 ? 1 : -1, sy = y < end.1 ? 1 : -1
        var error = dx + dy
        var step = 0
        while true {
            if draws(step) { set(x, y, series: series) }
            step += 1
            if x == end.0 && y == end.1 { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += sx }
            if doubled <= dx { error += dx; y += sy }
        }
    }

    func rowText(_ row: Int, glyph: (Int, UInt8) -> String) -> String {
        var text = ""
        for column in 0..<columns {
            let index = row * columns + column
            text += glyph(owners[index], cells[index])
        }
        return text
    }
}
