/// A titled table of cells, the one shape every people-facing report is rendered from.
///
/// Reports build tables; ``ReportFormat`` decides how they are written (aligned text, a Markdown
/// table, a LaTeX `tabular`). Cells say whether they hold mathematics, so that LaTeX can
/// typeset `x̄1 += v̄2 · ∂v2/∂x1` as `\bar{x}_{1} \mathrel{+}= …` while text shows it as is.
///
/// Rows are made on demand by ``row``, not stored: the trace of a million-node scene is
/// written row by row to its output and never held whole in memory.
public struct Table: Sendable {
    /// One column: its header and how its cells line up.
    public struct Column: Sendable {
        public enum Alignment: Sendable { case left, right }
        public var header: String
        public var alignment: Alignment

        public init(_ header: String, alignment: Alignment = .left) {
            self.header = header
            self.alignment = alignment
        }
    }

    /// One cell: mathematics (names, operators, numbers) or plain words.
    public enum Cell: Sendable, Equatable {
        case math(String)
        case text(String)

        /// The cell as written in text and Markdown.
        public var plain: String {
            switch self {
            case .math(let text), .text(let text): text
            }
        }
    }

    /// The title shown above the table (e.g. "Forward primal trace").
    public var title: String
    public var columns: [Column]
    /// The number of rows.
    public var rowCount: Int
    /// Row `index`'s cells, one per column, made when the row is written.
    public var row: @Sendable (_ index: Int) -> [Cell]
    /// Lines shown under the table, such as the gradient it arrives at.
    public var footnotes: [Cell]

    /// A table whose rows are made on demand.
    public init(title: String, columns: [Column], rowCount: Int, footnotes: [Cell] = [], row: @escaping @Sendable (Int) -> [Cell]) {
        self.title = title
        self.columns = columns
        self.rowCount = rowCount
        self.row = row
        self.footnotes = footnotes
    }

    /// A table of rows already made.
    public init(title: String, columns: [Column], rows: [[Cell]] = [], footnotes: [Cell] = []) {
        self.init(title: title, columns: columns, rowCount: rows.count, footnotes: footnotes) { rows[$0] }
    }

    /// Every row (for tests and small tables).
    public var rows: [[Cell]] { (0..<rowCount).map(row) }
}

// MARK: Text and Markdown

extension Table {
    /// Writes the table as aligned plain text: a title, a header, a rule, the rows, the footnotes.
    ///
    /// Widths count characters (grapheme clusters), so `x̄1` is two columns wide, as a
    /// terminal shows it. A column is at most ``maximumTextColumnWidth`` wide: a longer cell
    /// (the expression of a `sum` of 10,000 terms) is cut with `…` and a footnote says where
    /// to read it whole, instead of padding every row to its width (1.28 GB of spaces). The rows
    /// are made twice (once to measure, once to write) so that memory stays constant however
    /// long the table.
    /// - Complexity: O(cells) time, O(columns) memory beyond one row.
    public func renderText<Output: TextOutputStream>(to output: inout Output) {
        let cap = Self.maximumTextColumnWidth
        var widths = columns.map { Swift.min(cap, $0.header.count) }
        var cut = false
        for index in 0..<rowCount {
            for (column, cell) in row(index).enumerated() {
                for line in Self.lines(of: cell.plain) {
                    let count = line.count
                    if count > cap { cut = true }
                    widths[column] = Swift.max(widths[column], Swift.min(cap, count))
                }
            }
        }
        func write(_ cells: [String]) {
            var text = ""
            for (index, cell) in cells.enumerated() {
                if index > 0 { text += "  " }
                let count = cell.count
                let shown = count > cap ? String(cell.prefix(cap - 1)) + "…" : cell
                let padding = String(repeating: " ", count: Swift.max(0, widths[index] - Swift.min(count, cap)))
                switch columns[index].alignment {
                case .left: text += shown + padding
                case .right: text += padding + shown
                }
            }
            while text.last == " " { text.removeLast() }
            output.write(text + "\n")
        }
        /// A row whose cells hold several lines (a matrix, one row per line) takes as many lines.
        func writeRow(_ cells: [String]) {
            let split = cells.map(Self.lines)
            let height = split.map(\.count).max() ?? 1
            if height == 1 { return write(cells) }
            for line in 0..<height { write(split.map { line < $0.count ? String($0[line]) : "" }) }
        }
        output.write(title + "\n")
        write(columns.map(\.header))
        output.write(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n")
        for index in 0..<rowCount { writeRow(row(index).map(\.plain)) }
        for footnote in footnotes { output.write(footnote.plain + "\n") }
        if cut {
            output.write("Cells longer than \(cap) characters are cut short (…); --format csv or json has them whole.\n")
        }
    }

    /// A cell's lines: one, unless it holds line breaks.
    private static func lines(of cell: String) -> [Substring] {
        // Byte test first: nearly every cell is one line.
        guard cell.utf8.contains(10) else { return [Substring(cell)] }
        return cell.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The widest a column of a text table is drawn.
    public static let maximumTextColumnWidth = 72

    /// The table as aligned plain text (see ``renderText(to:)``).
    public func renderText() -> String {
        var text = ""
        renderText(to: &text)
        return text
    }

    /// Writes the table as a GitHub-flavoured Markdown table under a bold title.
    ///
    /// Characters Markdown would read as markup (`|`, `*`, `_`, `` ` ``, `\`, `<`, `[`, `]`, `(`, `)`, `!`) are escaped,
    /// so a name like `x_1` is not turned into italics.
    public func renderMarkdown<Output: TextOutputStream>(to output: inout Output) {
        let escape = Table.markdownEscaped
        func line(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |\n" }
        output.write("**\(escape(title))**\n\n")
        output.write(line(columns.map { escape($0.header) }))
        output.write(line(columns.map { $0.alignment == .right ? "---:" : "---" }))
        for index in 0..<rowCount {
            output.write(line(row(index).map { $0.plain.isEmpty ? " " : escape($0.plain) }))
        }
        if !footnotes.isEmpty {
            output.write("\n")
            for footnote in footnotes { output.write(escape(footnote.plain) + "\n") }
        }
    }

    /// The table as Markdown (see ``renderMarkdown(to:)``).
    public func renderMarkdown() -> String {
        var text = ""
        renderMarkdown(to: &text)
        return text
    }

    /// `text` with a backslash before each character Markdown would read as markup or HTML.
    ///
    /// Scalar by scalar: in an adjoint such as `x̅_̅1̅` the `_` carries a combining overline, and
    /// as one character with it would not be recognised (and escaped) as an underscore.
    static func markdownEscaped(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            // `[ ] ( ) !` too: a title such as `![x](http://…)` must not become a live image or link.
            if "|*_`\\<[]()!".unicodeScalars.contains(scalar) { output.unicodeScalars.append("\\") }
            output.unicodeScalars.append(scalar)
        }
        return output
    }
}

extension String {
    /// The string with every occurrence of `target` replaced (no Foundation needed).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var output = ""
        for character in self {
            if character == target { output += replacement } else { output.append(character) }
        }
        return output
    }
}
