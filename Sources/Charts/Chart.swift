import Foundation

/// A line chart: some named series of points over two axes, each linear or logarithmic.
///
/// A chart is only data; ``TerminalChart`` draws it in braille or ASCII characters and
/// ``SVGChart`` as an SVG picture. It is used for plots of a function and its derivatives, for
/// the error of finite differences against their step, and for a training run's loss curve.
public struct Chart: Sendable {
    public enum Scale: Sendable, Equatable {
        case linear, logarithmic
    }

    /// One line of the chart. Points whose coordinates are not finite (or not positive on a
    /// logarithmic axis) are gaps: the line stops there and starts again after them.
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]

        public init(name: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xScale: Scale
    public var yScale: Scale
    public var series: [Series]
    /// A vertical line to mark (the best step of a sweep), with its label.
    public var marker: (x: Double, label: String)?

    public init(title: String, xLabel: String, yLabel: String, xScale: Scale = .linear, yScale: Scale = .linear,
                series: [Series], marker: (x: Double, label: String)? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xScale = xScale
        self.yScale = yScale
        self.series = series
        self.marker = marker
    }

    /// Whether a coordinate can be drawn on an axis of this scale.
    static func drawable(_ value: Double, on scale: Scale) -> Bool {
        value.isFinite && (scale == .linear || value > 0)
    }

    /// The ranges the axes show: every drawable point, with a little room on a linear y axis.
    public var bounds: (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        var xs: [Double] = [], ys: [Double] = []
        for line in series {
            for point in line.points where Chart.drawable(point.x, on: xScale) && Chart.drawable(point.y, on: yScale) {
                xs.append(point.x)
                ys.append(point.y)
            }
        }
        let x = Chart.range(xs, scale: xScale, padding: 0)
        let y = Chart.range(ys, scale: yScale, padding: 0.05)
        return (x, y)
    }

    private static func range(_ values: [Double], scale: Scale, padding: Double) -> ClosedRange<Double> {
        guard var low = values.min(), var high = values.max() else {
            return scale == .linear ? -1...1 : 1...10
        }
        if scale == .logarithmic {
            if low == high { return low / 10...high * 10 }
            // A little room above and below, as on a linear axis, in decades.
            let room = Foundation.pow(high / low, padding)
            return low / room...high * room
        }
        if low == high {
            let room = Swift.max(Swift.abs(low) * 0.1, 1)
            return (low - room)...(high + room)
        }
        let room = (high - low) * padding
        low -= room
        high += room
        return low...high
    }

    /// Where `value` falls on an axis from `range.lowerBound` (0) to `range.upperBound` (1).
    static func fraction(_ value: Double, in range: ClosedRange<Double>, scale: Scale) -> Double {
        switch scale {
        case .linear:
            return (value - range.lowerBound) / (range.upperBound - range.lowerBound)
        case .logarithmic:
            let low = log10(range.lowerBound), high = log10(range.upperBound)
            return (log10(value) - low) / (high - low)
        }
    }
}
