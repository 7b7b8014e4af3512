import Reports
import Testing

/// A text table cell holding several lines (a matrix, one row per line) takes as many lines,
/// and the other cells of its row stay on the first.
@Suite struct MultilineCellTests {
    @Test func aMatrixCellSpansItsRows() {
        let table = Table(title: "T", columns: [.init("node"), .init("value"), .init("n", alignment: .right)],
                          rows: [[.math("W"), .math("[[0.1, -0.2],\n [0.4,  0.3]]"), .math("7")], [.math("b"), .math("[1, 2]"), .math("12")]])
        #expect(table.renderText() == """
            T
            node  value           n
            ────  ─────────────  ──
            W     [[0.1, -0.2],   7
                   [0.4,  0.3]]
            b     [1, 2]         12

            """)
    }
}
