import Testing
@testable import Stepper

/// The cell grid, widths and the ASCII fallback.
@Suite struct CanvasTests {
    @Test func combiningMarksShareTheirBaseCharactersCell() {
        var grid = CellGrid(columns: 10, rows: 1)
        let end = grid.write("x̄1 = 5", column: 0, row: 0, role: .text)
        #expect(end == 6)
        #expect(grid[0, 0].character == "x̄")
        #expect(grid.line(0) == "x̄1 = 5")
    }

    @Test func wideCharactersTakeTwoCellsAndAreNeverSplit() {
        var grid = CellGrid(columns: 5, rows: 1)
        grid.write("a漢b", column: 0, row: 0, role: .text)
        #expect(grid[1, 0].character == "漢")
        #expect(grid[2, 0].isContinuation)
        #expect(grid.line(0) == "a漢b")
        // Overwriting half of it blanks the other half.
        grid.write("z", column: 2, row: 0, role: .text)
        #expect(grid.line(0) == "a zb")
        // A wide character that would straddle the right edge is left out.
        var narrow = CellGrid(columns: 2, rows: 1)
        narrow.write("a漢", column: 0, row: 0, role: .text)
        #expect(narrow.line(0) == "a")
    }

    @Test func writesAreClipped() {
        var grid = CellGrid(columns: 10, rows: 2)
        let clip = Rect(column: 2, row: 0, width: 3, height: 1)
        grid.write("abcdef", column: 0, row: 0, role: .text, clip: clip)
        grid.write("never", column: 0, row: 1, role: .text, clip: clip)
        #expect(grid.line(0) == "  cde")
        #expect(grid.line(1) == "")
        // Negative positions and positions past the grid are ignored, not a crash.
        grid.write("x", column: -5, row: -1, role: .text)
        grid.set("y", column: 99, row: 99, role: .text)
    }

    @Test func displayWidths() {
        #expect(DisplayWidth.of("x̄1") == 2)
        #expect(DisplayWidth.of("∂v2/∂x1") == 7)
        #expect(DisplayWidth.of("漢字") == 4)
        #expect(DisplayWidth.of("θ") == 1)
        #expect(DisplayWidth.of("\u{0}") == 0)
    }

    @Test func asciiSpellsSignsAndReplacesTheRest() {
        #expect(Charset.ascii.transliterate("x1 · x2 − 3 × y → ∂f/∂x") == "x1 * x2 - 3 * y -> df/dx")
        #expect(Charset.ascii.transliterate("╭─┤├─╯ ▶") == "+-++-+ >")
        #expect(Charset.ascii.transliterate("v₂ θ x̄") == "v_2 ? x")
        #expect(Charset.unicode.transliterate("θ → x̄") == "θ → x̄")
        var grid = CellGrid(columns: 10, rows: 1, charset: .ascii)
        grid.write("θ·漢", column: 0, row: 0, role: .text)
        #expect(grid.cells.allSatisfy { $0.character.isASCII })
    }

    @Test func edgeGlyphsJoinLines() {
        #expect(EdgeRouting.glyph(for: [.left, .right], charset: .unicode) == "─")
        #expect(EdgeRouting.glyph(for: [.up, .right], charset: .unicode) == "╰")
        #expect(EdgeRouting.glyph(for: [.up, .down, .right], charset: .unicode) == "├")
        #expect(EdgeRouting.glyph(for: [.up, .down, .left, .right], charset: .unicode) == "┼")
        #expect(EdgeRouting.glyph(for: [.up, .right], charset: .ascii) == "+")
        #expect(EdgeRouting.glyph(for: [.up, .down], charset: .ascii) == "|")
    }
}
