import Escaping
import Foundation

/// A ``Chart`` as an SVG picture: axes with ticks and a light grid, one coloured line per
/// series (each also in its own dash pattern, so the picture reads in black and white), a
/// legend, the title and the axis labels.
public struct SVGChart: Sendable {
    public var width: Double
    public var height: Double

    public init(width: Double = 720, height: Double = 450) {
        self.width = width
        self.height = height
    }

    static let colours = ["#1f5fbf", "#c0392b", "#1e8449", "#8e44ad", "#117a8b", "#b9770e"]
    static let dashes = ["", "9 4", "2 3", "9 3 2 3", "5 5", "2 6"]

    public func render(_ chart: Chart) -> String {
        let bounds = chart.bounds
        let left = 78.0, right = 24.0, top = 44.0, bottom = 70.0 + 18.0 * Double((chart.series.count + 2) / 3)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ value: Double) -> Double { left + Chart.fraction(value, in: bounds.x, scale: chart.xScale) * plotWidth }
        func y(_ value: Double) -> Double { top + (1 - Chart.fraction(value, in: bounds.y, scale: chart.yScale)) * plotHeight }
        var svg = """
            <?xml version="1.0" encoding="UTF-8" standalone="no"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(n(width / 2))" y="26" font-size="17" text-anchor="middle">\(XMLText.escaped(chart.title))</text>

            """
        for tick in Ticks.ticks(for: bounds.y, scale: chart.yScale, target: 6) {
            let ty = y(tick.value)
            svg += "<line x1=\"\(n(left))\" y1=\"\(n(ty))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(ty))\" stroke=\"#e4e4e4\"/>\n"
            svg += "<text x=\"\(n(left - 8))\" y=\"\(n(ty + 4))\" font-size=\"12\" text-anchor=\"end\">\(XMLText.escaped(tick.label))</text>\n"
        }
        for tick in Ticks.ticks(for: bounds.x, scale: chart.xScale, target: 8) {
            let tx = x(tick.value)
            svg += "<line x1=\"\(n(tx))\" y1=\"\(n(top))\" x2=\"\(n(tx))\" y2=\"\(n(top + plotHeight))\" stroke=\"#e4e4e4\"/>\n"
            svg += "<text x=\"\(n(tx))\" y=\"\(n(top + plotHeight + 18))\" font-size=\"12\" text-anchor=\"middle\">\(XMLText.escaped(tick.label))</text>\n"
        }
        if chart.yScale == .linear, bounds.y.contains(0) {
            svg += "<line x1=\"\(n(left))\" y1=\"\(n(y(0)))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(y(0)))\" stroke=\"#9a9a9a\"/>\n"
        }
        svg += "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(plotWidth))\" height=\"\(n(plotHeight))\" fill=\"none\" stroke=\"#333\"/>\n"
        if let marker = chart.marker, Chart.drawable(marker.x, on: chart.xScale), bounds.x.contains(marker.x) {
            svg += "<line x1=\"\(n(x(marker.x)))\" y1=\"\(n(top))\" x2=\"\(n(x(marker.x)))\" y2=\"\(n(top + plotHeight))\" stroke=\"#555\" stroke-dasharray=\"3 3\"/>\n"
        }
        for (index, series) in chart.series.enumerated() {
            var runs: [[String]] = [[]]
            for point in series.points {
                guard Chart.drawable(point.x, on: chart.xScale), Chart.drawable(point.y, on: chart.yScale) else {
                    if !runs[runs.count - 1].isEmpty { runs.append([]) }
                    continue
                }
                runs[runs.count - 1].append("\(n(x(point.x))),\(n(y(point.y)))")
            }
            for run in runs where !run.isEmpty {
                svg += "<polyline fill=\"none\" stroke=\"\(Self.colours[index % Self.colours.count])\" stroke-width=\"2\" stroke-linejoin=\"round\""
                let dash = Self.dashes[index % Self.dashes.count]
                if !dash.isEmpty { svg += " stroke-dasharray=\"\(dash)\"" }
                svg += " points=\"\(run.joined(separator: " "))\"/>\n"
            }
        }
        svg += "<text x=\"\(n(left + plotWidth / 2))\" y=\"\(n(top + plotHeight + 40))\" font-size=\"13\" text-anchor=\"middle\">\(XMLText.escaped(chart.xLabel))</text>\n"
        svg += "<text transform=\"translate(18 \(n(top + plotHeight / 2))) rotate(-90)\" font-size=\"13\" text-anchor=\"middle\">\(XMLText.escaped(chart.yLabel))</text>\n"
        var entries = chart.series.enumerated().map { (index, series) in (index, series.name) }
        if let marker = chart.marker { entries.append((-1, marker.label)) }
        for (position, entry) in entries.enumerated() {
            let ex = left + Double(position % 3) * (plotWidth / 3)
            let ey = top + plotHeight + 62 + Double(position / 3) * 18
            let stroke = entry.0 < 0 ? "#555" : Self.colours[entry.0 % Self.colours.count]
            let dash = entry.0 < 0 ? "3 3" : Self.dashes[entry.0 % Self.dashes.count]
            svg += "<line x1=\"\(n(ex))\" y1=\"\(n(ey - 4))\" x2=\"\(n(ex + 30))\" y2=\"\(n(ey - 4))\" stroke=\"\(stroke)\" stroke-width=\"2\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>\n"
            svg += "<text x=\"\(n(ex + 38))\" y=\"\(n(ey))\" font-size=\"13\">\(XMLText.escaped(entry.1))</text>\n"
        }
        return svg + "</svg>\n"
    }

    private func n(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}
