/// Rows of plain values written as CSV, made on demand like ``Table``'s.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rowCount: Int
    /// Row `index`'s fields, one per header column.
    public var row: @Sendable (_ index: Int) -> [String]

    public init(header: [String], rowCount: Int, row: @escaping @Sendable (Int) -> [String]) {
        self.header = header
        self.rowCount = rowCount
        self.row = row
    }

    /// Writes the header and rows, comma-separated, a field quoted when it holds a comma, a
    /// quote, a line break or leading/trailing spaces (RFC 4180). Lines end with LF rather than
    /// RFC 4180's CRLF, so that shell tools (`cut`, `awk`) see clean last fields; spreadsheets
    /// accept both.
    /// - Complexity: O(fields) time, one row of memory.
    public func render<Output: TextOutputStream>(to output: inout Output) {
        func field(_ text: String) -> String {
            let needsQuotes = text.contains { ",\"\n\r".contains($0) }
                || text.first == " " || text.last == " "
            return needsQuotes ? "\"" + text.replacingAll("\"", with: "\"\"") + "\"" : text
        }
        output.write(header.map(field).joined(separator: ",") + "\n")
        for index in 0..<rowCount { output.write(row(index).map(field).joined(separator: ",") + "\n") }
    }

    /// The CSV text (see ``render(to:)``).
    public func render() -> String {
        var text = ""
        render(to: &text)
        return text
    }
}
