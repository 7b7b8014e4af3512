extension Chart {
    /// A training run's loss against its step, on a logarithmic loss axis when the loss has
    /// fallen (or risen) by more than a factor of 50 and stayed positive.
    public static func lossCurve(_ losses: [Double], lossName: String, title: String) -> Chart {
        let points = losses.enumerated().map { (x: Double($0.offset + 1), y: $0.element) }
        let finite = losses.filter(\.isFinite)
        let positive = !finite.isEmpty && finite.allSatisfy { $0 > 0 }
        let spread = positive ? (finite.max()! / finite.min()!) : 1
        return Chart(
            title: title, xLabel: "step", yLabel: lossName, xScale: .linear,
            yScale: positive && spread > 50 ? .logarithmic : .linear,
            series: [Series(name: lossName, points: points)])
    }
}
