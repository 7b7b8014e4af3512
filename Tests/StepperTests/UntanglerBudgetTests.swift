import GradFlow
import GraphExport
import SceneLanguage
import Testing
@testable import Stepper

/// The edge untangler on the scene that fights it hardest: 61 nodes each summing all earlier
/// ones, laid out by the plain layered layout (as the stepper draws it while Graphviz is slow).
/// It used to scan every placed edge's cells for every edge it could not route, and undo by
/// copying the whole drawing: the stepper's first frame never came (4 GB after 10 minutes).
/// Its cost is asserted in work units (cells and search states), never in time.
@Suite struct UntanglerBudgetTests {
    static func denseModel(_ options: StepperOptions = StepperOptions()) throws -> StepperModel {
        let graph = try Scene.parse(source: PathologicalSceneTests.denseScene, fileName: "dense.scene").graph
        return try Fixtures.model(graph, columns: 120, rows: 40, options: options)
    }

    @Test(arguments: Zoom.allCases)
    func everyStyleOfTheDenseWindowStaysWithinTheBudget(_ zoom: Zoom) throws {
        let model = try Self.denseModel()
        let items = FoldedItems(graph: model.graph, folded: [])
        let state = StepState(model: model)
        let window = GraphWindow(graph: model.graph, items: items, chunk: nil).withinEdgeBudget()
        for direction in [RankDirection.leftToRight, .topToBottom] {
            for tight in [false, true] {
                let style = LayoutStyle(zoom: zoom, direction: direction, tight: tight)
                let drawing = PlacedGraph(window: window, items: items, style: style, state: state,
                                          layout: { LayeredLayout.layout($0) })
                // One step past the budget at most (a path checked and held), never a runaway.
                #expect(drawing.untanglerWork <= EdgeUntangler.workBudget + EdgeUntangler.workBudget / 10,
                        "\(style): \(drawing.untanglerWork) units")
                // Edges the budget did not reach are still drawn, as the channel router routed them.
                for (index, cells) in drawing.edgeCells.enumerated() {
                    #expect(!cells.isEmpty || drawing.arrowheads[index] == nil, "\(style): edge \(index)")
                }
            }
        }
    }

    @Test func aSmallBudgetLeavesTheRestAsRouted() {
        // Three boxes in a column, each into [t] on the right along one shared row: the second and
        // third clash with the first; with no budget left they are drawn as they came.
        let boxes = [Rect(column: 0, row: 0, width: 3, height: 1), Rect(column: 0, row: 2, width: 3, height: 1),
                     Rect(column: 0, row: 4, width: 3, height: 1), Rect(column: 12, row: 2, width: 3, height: 1)]
        let edges = [(from: 0, to: 3), (from: 1, to: 3), (from: 2, to: 3)]
        func run(_ from: Int) -> [CellPoint] {
            var cells = [CellPoint(column: 3, row: boxes[from].row)]
            RoutedEdge.connect(from: cells[0], to: CellPoint(column: 6, row: boxes[from].row), verticalFirst: false, into: &cells)
            RoutedEdge.connect(from: cells.last!, to: CellPoint(column: 6, row: 2), verticalFirst: true, into: &cells)
            RoutedEdge.connect(from: cells.last!, to: CellPoint(column: 11, row: 2), verticalFirst: false, into: &cells)
            return cells
        }
        let given = edges.map { run($0.from) }
        let full = EdgeUntangler.untangle(boxes: boxes, edges: edges, cells: given, direction: .leftToRight)
        #expect(full.unchecked == 0)
        #expect(full.cells[1] != given[1], "with work to spare, the clashing edge is routed again")
        let starved = EdgeUntangler.untangle(boxes: boxes, edges: edges, cells: given, direction: .leftToRight, budget: 1)
        #expect(starved.unchecked == 2)
        #expect(starved.cells == given)
        #expect(starved.work <= 1 + given[0].count * 2)
    }

    /// A box with more incoming edges than cells beside it to end on: each edge past the
    /// fourth cannot be placed, and tearing up the four placed ones to try only puts them back.
    /// That was found out by re-routing them all, for every such edge (the step into a `sum` of
    /// 30,000 terms spent its whole budget so); now by counting the box's ports first.
    @Test func edgesPastABoxsPortsAreNotTornUpFor() {
        // [t], one cell wide and high (four ports), read by eight one-cell boxes in a column to
        // its left; the router gave no cells, so every edge is searched for.
        let target = Rect(column: 20, row: 8, width: 1, height: 1)
        let sources = (0..<8).map { Rect(column: 0, row: 2 * $0 + 1, width: 1, height: 1) }
        let edges = (0..<8).map { (from: $0, to: 8) }
        let untangled = EdgeUntangler.untangle(boxes: sources + [target], edges: edges, cells: edges.map { _ in [] },
                                               direction: .leftToRight)
        // Four edges placed, one on each side of [t]; the other four left over the others.
        #expect(untangled.tangled == 4)
        #expect(untangled.unchecked == 0)
        #expect(Set(untangled.cells.compactMap(\.last)).count >= 4)
        // Eight searches and the placing: 3,803 units. Each of the four tear-ups re-routed five
        // edges and put four back: 19,528.
        #expect(untangled.work < 8_000, "\(untangled.work) units")
    }

    /// What the benchmark's pathological row does: the first frame, then ten backward steps,
    /// each drawing the node receiving the adjoint.
    @Test func theDenseSceneDrawsItsFirstFrameAndSteps() throws {
        let view = StepperView.withLayeredLayout()
        let first = view.render(try Self.denseModel())
        #expect(first.grid.text.contains("of "), "no step counter")
        #expect(!first.drawnGraph.boxes.isEmpty)
        var model = try Self.denseModel(StepperOptions(phase: .backward))
        for _ in 0..<10 {
            model = update(model, .next)
            let node = try #require(model.currentNode)
            #expect(view.render(model).drawnGraph.box(showing: node) != nil, "step \(model.step)")
        }
    }
}
