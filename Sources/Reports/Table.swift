/// A titled table of cells, the one shape every people-facing report is rendered from.
///
/// Reports build tables; ``ReportFormat`` decides how they are written (aligned text, a Markdown
/// table, a LaTeX `tabular`, CSV). Cells say whether they hold mathematics, so that LaTeX can
/// typeset `x̄1 += v̄2 · ∂v2/∂x1` as `\bar{x}_{1} \mathrel{+}= …` while text shows it as is.
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
    /// Rows of cells; every row has one cell per column.
    public var rows: [[Cell]]
    /// Lines shown under the table, such as the gradient it arrives at.
    public var footnotes: [Cell]

    public init(title: String, columns: [Column], rows: [[Cell]] = [], footnotes: [Cell] = []) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.footnotes = footnotes
    }
}

// MARK: Text and Markdown

extension Table {
    /// The table as aligned plain text: a title, a header, a rule, the rows, the footnotes.
    ///
    /// Widths count characters (grapheme clusters), so `x̄1` is two columns wide, as a
    /// terminal shows it.
    /// - Complexity: O(cells).
    public func renderText() -> String {
        let header = columns.map(\.header)
        let body = rows.map { $0.map(\.plain) }
        var widths = header.map(\.count)
        for row in body {
            for (index, cell) in row.enumerated() { widths[index] = Swift.max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (index, cell) in cells.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                let isLast = index == cells.count - 1
                switch columns[index].alignment {
                case .left: parts.append(isLast ? cell : cell + padding)
                case .right: parts.append(padding + cell)
                }
            }
            var text = parts.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        var lines = [title, line(header), widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")]
        lines += body.map(line)
        lines += footnotes.map(\.plain)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table as a GitHub-flavoured Markdown table under a bold title.
    ///
    /// Characters Markdown would read as markup (`|`, `*`, `_`, `` ` ``, `\`) are escaped, so a
    /// name like `x_1` is not turned into italics.
    public func renderMarkdown() -> String {
        let escape = Table.markdownEscaped
        func line(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }
        var lines = ["**\(escape(title))**", ""]
        lines.append(line(columns.map { escape($0.header) }))
        lines.append(line(columns.map { $0.alignment == .right ? "---:" : "---" }))
        for row in rows { lines.append(line(row.map { $0.plain.isEmpty ? " " : escape($0.plain) })) }
        if !footnotes.isEmpty {
            lines.append("")
            lines += footnotes.map { escape($0.plain) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` with a backslash before each character Markdown would read as markup or HTML.
    static func markdownEscaped(_ text: String) -> String {
        var output = ""
        for character in text {
            if "|*_`\\<".contains(character) { output.append("\\") }
            output.append(character)
        }
        return output
    }
}

// MARK: CSV

/// Rows of plain values written as RFC 4180 CSV.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// The header and rows, comma-separated, a field quoted when it holds a comma, a quote, a
    /// line break or leading/trailing spaces. Lines end with LF rather than RFC 4180's CRLF, so
    /// that shell tools (`cut`, `awk`) see clean last fields; spreadsheets accept both.
    public func render() -> String {
        func field(_ text: String) -> String {
            let needsQuotes = text.contains { ",\"\n\r".contains($0) }
                || text.first == " " || text.last == " "
            return needsQuotes ? "\"" + text.replacingAll("\"", with: "\"\"") + "\"" : text
        }
        return ([header] + rows).map { $0.map(field).joined(separator: ",") + "\n" }.joined()
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
