import Foundation

/// Tick positions and labels for an axis: round numbers (1, 2 or 5 times a power of ten) on a
/// linear axis, powers of ten on a logarithmic one.
public struct Tick: Sendable, Equatable {
    public var value: Double
    public var label: String
}

public enum Ticks {
    /// About `target` ticks inside `range`.
    public static func ticks(for range: ClosedRange<Double>, scale: Chart.Scale, target: Int = 5) -> [Tick] {
        switch scale {
        case .linear: linear(range, target: Swift.max(target, 2))
        case .logarithmic: logarithmic(range, target: Swift.max(target, 2))
        }
    }

    private static func linear(_ range: ClosedRange<Double>, target: Int) -> [Tick] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [Tick(value: range.lowerBound, label: label(range.lowerBound, step: 1))] }
        let rough = span / Double(target)
        let magnitude = pow(10, floor(log10(rough)))
        // The round step nearest the rough one (on a log scale), so 14 units in 6 ticks step by 2.
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.min { Swift.abs(log($0 / rough)) < Swift.abs(log($1 / rough)) }!
        var ticks: [Tick] = []
        var index = ceil(range.lowerBound / step - 1e-9)
        while index * step <= range.upperBound + step * 1e-9, ticks.count < 50 {
            var value = index * step
            if Swift.abs(value) < step * 1e-9 { value = 0 }
            ticks.append(Tick(value: value, label: label(value, step: step)))
            index += 1
        }
        return ticks
    }

    private static func logarithmic(_ range: ClosedRange<Double>, target: Int) -> [Tick] {
        let low = Int(ceil(log10(range.lowerBound) - 1e-9))
        let high = Int(floor(log10(range.upperBound) + 1e-9))
        guard low <= high else { return [] }
        let every = Swift.max(1, Int(ceil(Double(high - low + 1) / Double(target + 2))))
        return stride(from: low, through: high, by: 1).filter { ($0 - low) % every == 0 }.map { exponent in
            Tick(value: pow(10, Double(exponent)), label: exponent == 0 ? "1" : "1e\(exponent)")
        }
    }

    /// A tick's label: as many decimals as the step needs, and no more.
    static func label(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        let decimals = Swift.max(0, Int(-floor(log10(step) + 1e-9)))
        if Swift.abs(value) >= 1e6 || (value != 0 && Swift.abs(value) < 1e-4) {
            return String(format: "%.2g", value)
        }
        return String(format: "%.\(decimals)f", value)
    }
}
