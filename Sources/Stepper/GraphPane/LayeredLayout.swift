import GradFlow
import GraphExport

/// A plain layered layout, used only when Graphviz cannot lay a graph out, so that the stepper
/// still draws something sensible instead of failing.
///
/// Each node's rank is one more than its highest operand's; ranks are columns from left to
/// right (the request's direction is not followed), nodes stacked top to bottom within a rank in evaluation order; edges are single
/// Bézier pieces from the right side of the operand to the left side of the consumer.
enum LayeredLayout {
    static let rankSeparation = 0.5
    static let nodeSeparation = 0.25

    /// - Complexity: O(nodes + operands).
    static func layout(_ request: LayoutRequest) -> GraphLayout {
        let count = request.sizes.count
        var operands = [[Int]](repeating: [], count: count)
        for edge in request.edges { operands[edge.to].append(edge.from) }
        func nodeSize(_ node: Int) -> (width: Double, height: Double) {
            (request.sizes[node].width, request.sizes[node].height)
        }
        // Boxes come in evaluation order, so every operand comes before its consumer.
        var rank = [Int](repeating: 0, count: count)
        for node in 0..<count {
            rank[node] = operands[node].map { rank[$0] + 1 }.max() ?? 0
        }
        let rankCount = (rank.max() ?? -1) + 1
        var rankWidth = [Double](repeating: 0, count: rankCount)
        var rankHeight = [Double](repeating: 0, count: rankCount)
        for node in 0..<count {
            let size = nodeSize(node)
            rankWidth[rank[node]] = max(rankWidth[rank[node]], size.width)
            rankHeight[rank[node]] += size.height + (rankHeight[rank[node]] > 0 ? nodeSeparation : 0)
        }
        let height = rankHeight.max() ?? 0
        var rankLeft = [Double](repeating: 0, count: rankCount)
        for index in rankLeft.indices.dropFirst() {
            rankLeft[index] = rankLeft[index - 1] + rankWidth[index - 1] + rankSeparation
        }
        let width = (rankLeft.last ?? 0) + (rankWidth.last ?? 0)
        var nextTop = [Double](repeating: height, count: rankCount)
        var boxes: [GraphLayout.NodeBox] = []
        for node in 0..<count {
            let size = nodeSize(node), column = rank[node]
            let centreY = nextTop[column] - size.height / 2
            nextTop[column] -= size.height + nodeSeparation
            boxes.append(GraphLayout.NodeBox(node: node, x: rankLeft[column] + rankWidth[column] / 2,
                                             y: centreY, width: size.width, height: size.height))
        }
        var edges: [GraphLayout.EdgePath] = []
        for node in 0..<count {
            for operand in Set(operands[node]).sorted() {
                let from = boxes[operand], to = boxes[node]
                let start = GraphLayout.Point(x: from.x + from.width / 2, y: from.y)
                let end = GraphLayout.Point(x: to.x - to.width / 2, y: to.y)
                let middle = (start.x + end.x) / 2
                edges.append(GraphLayout.EdgePath(from: operand, to: node, points: [
                    start, GraphLayout.Point(x: middle, y: start.y), GraphLayout.Point(x: middle, y: end.y), end,
                ]))
            }
        }
        return GraphLayout(width: width, height: height, nodes: boxes, edges: edges)
    }
}
