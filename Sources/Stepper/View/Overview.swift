/// The one-line overview in the graph pane's title when the graph is larger than the pane:
/// the whole graph in evaluation order, left to right, with the part in view filled:
/// `in view ▕░░░███░░░░░░▏`. Forward steps move it right, backward steps left.
enum Overview {
    /// The bar's cells, `width` of them, for a graph of `count` nodes of which the boxes of
    /// `visible` are drawn; the cell of `current` (the step's node) stands out.
    ///
    /// - Complexity: O(visible boxes + width).
    static func bar(visible: [Range<Int>], count: Int, current: Int?, width: Int, charset: Charset)
        -> [(character: Character, role: Role)]
    {
        guard width > 0, count > 0 else { return [] }
        func cell(of node: Int) -> Int { min(width - 1, node * width / count) }
        var inView = [Bool](repeating: false, count: width)
        for range in visible where !range.isEmpty {
            for index in cell(of: range.lowerBound)...cell(of: range.upperBound - 1) { inView[index] = true }
        }
        let full: Character = charset == .ascii ? "#" : "█", empty: Character = charset == .ascii ? "." : "░"
        var cells = inView.map { ($0 ? full : empty, $0 ? Role.strong : Role.pending) }
        if let current, (0..<count).contains(current) { cells[cell(of: current)].1 = .currentNode }
        return cells.map { (character: $0.0, role: $0.1) }
    }

    /// Whether the pane shows less than the whole graph.
    static func isNeeded(visible: [Range<Int>], count: Int) -> Bool {
        var shown = [Bool](repeating: false, count: count)
        for range in visible { for node in range where node < count { shown[node] = true } }
        return shown.contains(false)
    }
}
