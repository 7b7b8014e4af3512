/// A bound on the edges a window lays out and routes, so that a graph whose nodes each read
/// all earlier ones (61 nodes, 1,830 edges) is drawn at once rather than in minutes.
///
/// Routing costs grow with the number of gaps between ranks that edges cross: every crossing is
/// a piece of an edge in a gap, every piece a track that widens its gap, and every edge runs
/// across the widened gaps it passes. Sixty nodes summing all earlier ones cross 37,820 gaps,
/// and routing them filled 22 million cells (26 s per frame in a debug build). Lecture graphs
/// cross a few hundred. Past the budget, the longest edges (the least legible in a drawing
/// anyway) are left out of the layout, and the pane's title counts them; the current step's
/// edge is drawn whatever the budget (``GraphPane/activeEdges(_:model:items:)``).
enum EdgeBudget {
    /// The most gap crossings laid out: far above any lecture scene, far below a dense graph.
    static let gapCrossings = 1_500

    /// Rank crossings of each edge, ranked as a layered layout ranks them: a member one rank
    /// after its highest operand; a proxy (drawn beside its one consumer) one rank before it.
    ///
    /// - Complexity: O(boxes + edges log edges).
    static func crossings(edges: [(from: Int, to: Int)], memberCount: Int) -> [Int] {
        var rank = [Int](repeating: 0, count: memberCount)
        // Members come in evaluation order, so an edge's operand is final before its consumer.
        for edge in edges.sorted(by: { $0.to < $1.to }) where edge.to < memberCount && edge.from < memberCount {
            rank[edge.to] = max(rank[edge.to], rank[edge.from] + 1)
        }
        return edges.map { edge in
            edge.from < memberCount && edge.to < memberCount ? max(1, rank[edge.to] - rank[edge.from]) : 1
        }
    }

    /// The positions (in `edges`) of the edges kept: shortest first until the budget is spent.
    static func kept(edges: [(from: Int, to: Int)], memberCount: Int, budget: Int = gapCrossings) -> [Int] {
        let spans = crossings(edges: edges, memberCount: memberCount)
        guard spans.reduce(0, +) > budget else { return Array(edges.indices) }
        var spent = 0
        var kept: [Int] = []
        for index in edges.indices.sorted(by: { (spans[$0], $0) < (spans[$1], $1) }) {
            guard spent + spans[index] <= budget else { break }
            spent += spans[index]
            kept.append(index)
        }
        return kept.sorted()
    }
}

extension GraphWindow {
    /// This window without the edges past ``EdgeBudget/gapCrossings``; ``omittedEdges`` counts them.
    func withinEdgeBudget(_ budget: Int = EdgeBudget.gapCrossings) -> GraphWindow {
        let kept = EdgeBudget.kept(edges: edges, memberCount: members.count, budget: budget)
        guard kept.count < edges.count else { return self }
        var window = self
        window.omittedEdges += edges.count - kept.count
        window.edges = kept.map { edges[$0] }
        return window
    }
}
