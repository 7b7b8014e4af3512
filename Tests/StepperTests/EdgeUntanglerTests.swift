import GraphExport
import Testing
@testable import Stepper

/// The edge untangler: edges from different boxes never run along the same cells nor meet
/// where one turns, arrows end beside their boxes, crossings are kept as crossings.
@Suite struct EdgeUntanglerTests {
    /// Cells from `start` through each corner in turn, 4-connected.
    private func path(_ corners: (Int, Int)...) -> [CellPoint] {
        var cells = [CellPoint(column: corners[0].0, row: corners[0].1)]
        for corner in corners.dropFirst() {
            RoutedEdge.connect(from: cells.last!, to: CellPoint(column: corner.0, row: corner.1),
                               verticalFirst: cells.last!.column == corner.0, into: &cells)
        }
        return cells
    }

    /// The links (pairs of neighbouring cells) of a path, as comparable keys.
    private func links(_ cells: [CellPoint]) -> Set<[Int]> {
        Set(zip(cells, cells.dropFirst()).map { a, b in
            [min(a.column, b.column), min(a.row, b.row), a.column == b.column ? 1 : 0]
        })
    }

    @Test func twoEdgesIntoOneBoxAlongOneRowAreParted() {
        // [a] above, [b] below, both into [t] on the right; the router gave both the same last
        // run into the same cell beside [t] (`┬─┴─▶`), the merge the screens used to show.
        let boxes = [Rect(column: 0, row: 0, width: 3, height: 1), Rect(column: 0, row: 4, width: 3, height: 1),
                     Rect(column: 12, row: 2, width: 3, height: 1)]
        let edges = [(from: 0, to: 2), (from: 1, to: 2)]
        let given = [path((3, 0), (6, 0), (6, 2), (11, 2)), path((3, 4), (6, 4), (6, 2), (11, 2))]
        #expect(!links(given[0]).isDisjoint(with: links(given[1])))
        let result = EdgeUntangler.untangle(boxes: boxes, edges: edges, cells: given, direction: .leftToRight)
        #expect(result.cells[0] == given[0], "the first edge, apart from everything, is kept as routed")
        #expect(links(result.cells[0]).isDisjoint(with: links(result.cells[1])))
        #expect(Set(result.cells[0]).isDisjoint(with: Set(result.cells[1])), "they do not even cross")
        for (index, edge) in edges.enumerated() {
            let cells = result.cells[index]
            #expect(RoutedEdge.neighbour(of: cells.first!, in: boxes[edge.from]) != nil)
            #expect(RoutedEdge.neighbour(of: cells.last!, in: boxes[edge.to]) != nil)
            for (a, b) in zip(cells, cells.dropFirst()) { #expect(a.isNeighbour(of: b)) }
            // The arrowhead is the last cell and points into the box.
            let head = result.arrowheads[index]!
            #expect(head.cell == cells.last!)
            let into: CellPoint = switch head.direction {
            case .right: CellPoint(column: head.cell.column + 1, row: head.cell.row)
            case .left: CellPoint(column: head.cell.column - 1, row: head.cell.row)
            case .down: CellPoint(column: head.cell.column, row: head.cell.row + 1)
            case .up: CellPoint(column: head.cell.column, row: head.cell.row - 1)
            }
            #expect(boxes[edge.to].contains(column: into.column, row: into.row))
        }
    }

    @Test func aCrossingIsKeptAndAFanOutSharesItsTrunk() {
        // [a] → [t] straight along row 2; [c] above → [d] below crossing it on column 8;
        // [a] → [u] sharing [a]'s first cells (a trunk) before it branches down.
        let boxes = [Rect(column: 0, row: 2, width: 3, height: 1), Rect(column: 14, row: 2, width: 3, height: 1),
                     Rect(column: 7, row: 0, width: 3, height: 1), Rect(column: 7, row: 5, width: 3, height: 1),
                     Rect(column: 14, row: 6, width: 3, height: 1)]
        let edges = [(from: 0, to: 1), (from: 2, to: 3), (from: 0, to: 4)]
        let given = [path((3, 2), (13, 2)), path((8, 1), (8, 4)), path((3, 2), (5, 2), (5, 6), (13, 6))]
        let result = EdgeUntangler.untangle(boxes: boxes, edges: edges, cells: given, direction: .leftToRight)
        #expect(result.cells == given)
    }

    @Test func anEdgeWithoutCellsIsRoutedToItsBox() {
        // The step's edge from an item added only for the step comes with no cells at all.
        let boxes = [Rect(column: 0, row: 0, width: 3, height: 1), Rect(column: 10, row: 3, width: 3, height: 1),
                     Rect(column: 0, row: 3, width: 3, height: 1)]
        let edges = [(from: 2, to: 1), (from: 0, to: 1)]
        let given = [path((3, 3), (9, 3)), []]
        let result = EdgeUntangler.untangle(boxes: boxes, edges: edges, cells: given, direction: .leftToRight)
        #expect(result.cells[0] == given[0])
        let routed = result.cells[1]
        #expect(RoutedEdge.neighbour(of: routed.first!, in: boxes[0]) != nil)
        #expect(RoutedEdge.neighbour(of: routed.last!, in: boxes[1]) != nil)
        #expect(links(routed).isDisjoint(with: links(given[0])))
    }

    @Test func aLittleLoopIsSeenWhereverItTurns() {
        let box = Rect(column: 10, row: 6, width: 3, height: 1), far = Rect(column: 0, row: 0, width: 3, height: 1)
        // Down out of the box, two cells left, up: `╰─╯` beside it.
        #expect(EdgeUntangler.hooks(path((10, 7), (8, 7), (8, 1)), from: box, to: far))
        // The same turned on its side, far from any box: right, down two rows, back left.
        #expect(EdgeUntangler.hooks(path((13, 6), (15, 6), (15, 8), (2, 8)), from: box, to: far))
        // A staircase and a wide detour are not loops.
        #expect(!EdgeUntangler.hooks(path((13, 6), (15, 6), (15, 3), (20, 3)), from: box, to: far))
        #expect(!EdgeUntangler.hooks(path((10, 7), (5, 7), (5, 1)), from: box, to: far))
    }

    @Test func aRouteThatLoopsBesideItsBoxIsRoutedAgain() {
        // [s] feeds [t], above and behind it. The route left [s] downwards and hooked back up
        // round its corner (`╰─╯` under [s]): the little loop tanh-derivatives.scene showed.
        let boxes = [Rect(column: 10, row: 6, width: 3, height: 1), Rect(column: 0, row: 0, width: 3, height: 1)]
        let given = [path((10, 7), (8, 7), (8, 0), (3, 0))]
        #expect(EdgeUntangler.hooks(given[0], from: boxes[0], to: boxes[1]))
        let result = EdgeUntangler.untangle(boxes: boxes, edges: [(from: 0, to: 1)], cells: given, direction: .leftToRight)
        let cells = result.cells[0]
        #expect(!EdgeUntangler.hooks(cells, from: boxes[0], to: boxes[1]), "\(cells)")
        #expect(RoutedEdge.neighbour(of: cells.first!, in: boxes[0]) != nil)
        #expect(RoutedEdge.neighbour(of: cells.last!, in: boxes[1]) != nil)
    }
}
