import Charts
import Foundation
import Testing
import TestSupport

/// Charts in the terminal and as SVG: where the dots land, the ticks, the legend, the styles.
@Suite struct ChartTests {
    /// A rising line from the bottom-left to the top-right corner.
    static let diagonal = Chart(title: "diagonal", xLabel: "x", yLabel: "y",
                                series: [.init(name: "y = x", points: (0...100).map { (x: Double($0), y: Double($0)) })])

    @Test func aDiagonalRunsFromCornerToCornerInBraille() {
        let lines = TerminalChart(width: 40, height: 12, usesColour: false, usesUnicode: true).render(Self.diagonal)
        // Title, 8 plot rows, the axis, the tick labels, the legend.
        #expect(lines.count == 12)
        let plotRows = Array(lines[1...8])
        let axisColumn = plotRows[0].firstIndex { $0 == "│" || $0 == "┤" }!
        func firstDot(_ row: String) -> Int? {
            row[row.index(after: axisColumn)...].firstIndex { $0 != " " }.map { row.distance(from: axisColumn, to: $0) }
        }
        // The top row's dots are at the right, the bottom row's at the left.
        #expect((firstDot(plotRows[0]) ?? 0) > 30)
        #expect((firstDot(plotRows[7]) ?? 99) <= 2)
        #expect(plotRows.allSatisfy { $0.unicodeScalars.allSatisfy { $0.value < 0x80 || (0x2500...0x28FF).contains($0.value) } })
        #expect(lines[9].contains("└"))
        #expect(lines[10].contains("100") && lines[10].contains("50"))
        #expect(lines[11].contains("━━━ y = x"))
    }

    /// A title wider than the chart ends at a word and says it goes on (it was cut mid-word).
    @Test func aLongTitleIsElidedAtAWord() {
        let chart = Chart(title: "Fitting a cubic to sin x on five points, gradient descent with momentum: loss per step",
                          xLabel: "step", yLabel: "loss", series: Self.diagonal.series)
        let title = TerminalChart(width: 40, height: 12, usesColour: false, usesUnicode: true).render(chart)[0]
        #expect(title == "Fitting a cubic to sin x on five…", "\(title)")
        let short = TerminalChart(width: 40, height: 12, usesColour: false, usesUnicode: true).render(Self.diagonal)[0]
        #expect(short.hasPrefix("diagonal"))
    }

    @Test func asciiFallbackUsesNoOtherCharacters() {
        let lines = TerminalChart(width: 40, height: 12, usesColour: false, usesUnicode: false).render(Self.diagonal)
        #expect(lines.allSatisfy { $0.unicodeScalars.allSatisfy { $0.isASCII } })
        #expect(lines[1].contains("*"))
    }

    @Test func colourWrapsEachSeriesInItsOwnANSIColour() {
        let chart = Chart(title: "two", xLabel: "", yLabel: "", series: [
            .init(name: "a", points: [(0, 0), (1, 1)]), .init(name: "b", points: [(0, 1), (1, 0)]),
        ])
        let coloured = TerminalChart(width: 40, height: 10, usesColour: true).render(chart).joined()
        #expect(coloured.contains("\u{1B}[34m") && coloured.contains("\u{1B}[31m"))
        let mono = TerminalChart(width: 40, height: 10, usesColour: false).render(chart).joined()
        #expect(!mono.contains("\u{1B}"))
        // In monochrome the second line is dashed, and the legend says so.
        #expect(mono.contains("━━━ a") && mono.contains("╍╍╍ b"))
    }

    @Test func linearTicksAreRoundNumbers() {
        let ticks = Ticks.ticks(for: -7...7, scale: .linear, target: 6)
        #expect(ticks.map(\.label) == ["-6", "-4", "-2", "0", "2", "4", "6"])
        let small = Ticks.ticks(for: 0...0.3, scale: .linear, target: 3)
        #expect(small.map(\.label) == ["0", "0.1", "0.2", "0.3"])
    }

    @Test func logarithmicTicksArePowersOfTen() {
        let ticks = Ticks.ticks(for: 1e-15...1e-1, scale: .logarithmic, target: 5)
        #expect(ticks.first?.label == "1e-15")
        #expect(ticks.allSatisfy { isClose(log10($0.value).rounded(), log10($0.value)) })
        #expect(ticks.count >= 4 && ticks.count <= 8)
    }

    @Test func gapsBreakTheLineInSVG() {
        let chart = Chart(title: "1/x", xLabel: "x", yLabel: "y", series: [
            .init(name: "1/x", points: [(-1, -1), (-0.5, -2), (0, .infinity), (0.5, 2), (1, 1)]),
        ])
        let svg = SVGChart().render(chart)
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.hasPrefix("<?xml") && svg.hasSuffix("</svg>\n"))
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func svgEscapesTitlesAndNames() {
        let chart = Chart(title: "a < b & \"c\"", xLabel: "x", yLabel: "y", series: [.init(name: "<f>", points: [(0, 0), (1, 1)])])
        let svg = SVGChart().render(chart)
        #expect(svg.contains("a &lt; b &amp; &quot;c&quot;") && svg.contains("&lt;f&gt;"))
    }

    @Test func aLossCurveUsesALogAxisOnlyWhenTheLossFallsFar() {
        #expect(Chart.lossCurve([1, 0.5, 0.001], lossName: "L", title: "t").yScale == .logarithmic)
        #expect(Chart.lossCurve([1, 0.5, 0.4], lossName: "L", title: "t").yScale == .linear)
        #expect(Chart.lossCurve([1, -0.5, 0.001], lossName: "L", title: "t").yScale == .linear)
    }
}
