import Testing
@testable import Reports

/// Text tables whose cells are huge, and Markdown titles that would become links.
@Suite struct TableLimitTests {
    /// One cell of 10,000 characters used to pad every row to its width (a trace of a `sum` of
    /// 10,000 nodes was 1.28 GB of text).
    @Test func aHugeCellIsCutAndNoRowIsPaddedToIt() {
        let huge = String(repeating: "v", count: 10_000)
        let table = Table(title: "T", columns: [Table.Column("name"), Table.Column("expression")],
                          rows: [[.text("a"), .text(huge)], [.text("b"), .text("short")]])
        let lines = table.renderText().split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 100 }, "\(lines.map(\.count))")
        #expect(lines[3].hasSuffix("v…"))
        #expect(lines[4] == "b     short")
        #expect(lines.last == "Cells longer than 72 characters are cut short (…); --format csv or json has them whole.")
    }

    @Test func ordinaryTablesAreUnchanged() {
        let table = Table(title: "T", columns: [Table.Column("node"), Table.Column("value", alignment: .right)],
                          rows: [[.text("x1"), .text("2")], [.text("v1"), .text("0.6931")]])
        #expect(table.renderText() == "T\nnode   value\n────  ──────\nx1         2\nv1    0.6931\n")
    }

    @Test func markdownLinksAndImagesStayText() {
        #expect(Table.markdownEscaped("![x](http://example.com/a.png) [y](z)")
            == #"\!\[x\]\(http://example.com/a.png\) \[y\]\(z\)"#)
    }
}
