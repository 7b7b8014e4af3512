import Foundation
import GradFlow
import GraphExport
import Notation
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// The graph pane: edges that reach their boxes, large graphs laid out by windows, folds.
@Suite struct GraphPaneTests {
    @Test(arguments: ["survey", "neuron", "xy-sin", "function", "loop", "two-outputs", "used-twice", "tanh-derivatives"])
    func everyEdgeLeavesItsOperandAndEntersItsConsumer(scene: String) throws {
        let graph = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/\(scene).scene").path).graph
        let model = try StepperModel(graph: graph, fileName: scene, columns: 120, rows: 40)
        let items = FoldedItems(graph: graph, folded: [])
        let window = GraphWindow(graph: graph, items: items, chunk: GraphWindow.chunk(of: 0, itemCount: items.count))
        for style in GraphPane.candidateStyles(zoom: nil, wholeGraph: true) {
            let zoom = style.zoom
            let placed = PlacedGraph(window: window, items: items, style: style, state: StepState(model: model),
                                     layout: StepperView.graphvizLayout)
            #expect(placed.fallbackReason == nil)
            for (index, edge) in window.edges.enumerated() {
                let cells = placed.edgeCells[index]
                let source = placed.boxes[edge.from], target = placed.boxes[edge.to]
                guard let first = cells.first, let last = cells.last else { continue }  // boxes touching
                #expect(RoutedEdge.neighbour(of: first, in: source) != nil, "\(scene) \(zoom) edge \(index) leaves its box")
                #expect(RoutedEdge.neighbour(of: last, in: target) != nil, "\(scene) \(zoom) edge \(index) enters its box")
                #expect(placed.arrowheads[index]?.cell == last)
                // Consecutive cells share a side: the line is unbroken.
                for (a, b) in zip(cells, cells.dropFirst()) { #expect(a.isNeighbour(of: b)) }
            }
            // No two boxes overlap.
            for (i, a) in placed.boxes.enumerated() {
                for b in placed.boxes[(i + 1)...] { #expect(a.intersection(b).isEmpty, "\(scene) \(zoom)") }
            }
        }
    }

    @Test func aHundredThousandNodesAreDrawnByWindows() throws {
        let graph = Fixtures.chain(iterations: 25_000)
        #expect(graph.count == 100_002)
        let view = StepperView()
        var model = try Fixtures.model(graph, columns: 120, rows: 40, options: StepperOptions(phase: .backward))
        var frame = view.render(model)
        #expect(frame.grid.text.contains("of 100002"))
        for _ in 0..<20 {
            model = update(model, .next)
            frame = view.render(model)
        }
        // The contribution being shown is in the graph pane, and in the inspector.
        guard case .contribute(let step)? = model.currentStep else { Issue.record("not a contribution"); return }
        #expect(frame.hits.contains { $0.node == step.from })
        #expect(frame.grid.text.contains("+= " + Notation(charset: .unicode, format: .significant(4)).adjoint(graph.label(of: step.from))))
    }

    @Test func windowsStaySmall() {
        let graph = Fixtures.chain(iterations: 25_000)
        let items = FoldedItems(graph: graph, folded: [])
        for chunk in [0, 17, 2_499] {
            let window = GraphWindow(graph: graph, items: items, chunk: chunk, stepItems: [0, 1])
            #expect(window.members.count <= GraphWindow.chunkSize + GraphWindow.contextLimit + 2)
            #expect(window.members == window.members.sorted())
            // Items only there for the step carry no edges of their own into the layout (their
            // edges are routed around it).
            let positions = Set([0, 1].compactMap { binarySearch(window.members, $0) })
            #expect(!window.edges.contains { positions.contains($0.from) && !window.isStepOnly($0) } || chunk == 0)
        }
        #expect(GraphWindow.chunk(of: 5, itemCount: 100) == nil)
    }

    @Test func aFoldedLoopKeepsTheStepsIterationOpenBetweenTwoBoxes() throws {
        let graph = Fixtures.chain(iterations: 3)
        // The three bodies have one shape: folding the second folds all three into one box.
        let folded = FoldedItems(graph: graph, folded: [1])
        // x, w, and one box `repeat ×3` for nodes 2–13.
        #expect(folded.count == 2 + 1)
        #expect(folded.item(2) == .box(0))
        #expect(folded.index(of: 2) == 2 && folded.index(of: 7) == 2 && folded.index(of: 13) == 2)
        #expect(folded.representative(of: .box(0), in: graph) == 13)
        #expect(folded.box(.box(0))?.label == "repeat ×3")

        let view = StepperView.withLayeredLayout()
        var model = try Fixtures.model(graph, columns: 120, rows: 40, options: StepperOptions(step: 8))
        model = update(model, .toggleFold)
        #expect(model.folded == [1])
        // Step 8 evaluates node 7, in the second iteration: it is drawn open, between a box for
        // the first iteration and one for the third.
        let frame = view.render(model)
        let text = frame.grid.text
        #expect(text.contains("▸ repeat 1") && text.contains("▸ repeat 3"), "\(text)")
        #expect(frame.drawnGraph.boxes.contains { $0.nodes == 7..<8 }, "\(text)")
        #expect(frame.drawnGraph.boxes.contains { $0.nodes == 2..<6 } && frame.drawnGraph.boxes.contains { $0.nodes == 10..<14 })
        // While w is evaluated, before the loop, the box is `repeat ×3`.
        model = update(model, .goTo(step: 2))
        #expect(view.render(model).grid.text.contains("▸ repeat ×3"))
    }

    @Test func aRunsSharedInputsAreProxiesBesideItsBox() throws {
        let graph = Fixtures.chain(iterations: 3)
        let items = FoldedItems(graph: graph, folded: [0])
        let window = GraphWindow(graph: graph, items: items, chunk: nil)
        // x and w are read by the run alone: drawn once, wired into the box, as export draws them.
        #expect(window.members == [0, 1, 2])
        #expect(window.proxies.isEmpty)
        #expect(window.edges.contains { $0.from == 0 && $0.to == 2 } && window.edges.contains { $0.from == 1 && $0.to == 2 })
    }

    /// A run of five with its middle iteration open (the step is in it): x and w are read by the
    /// two boxes and by the open nodes, so each box gets a proxy of both beside it, and the
    /// open nodes read the originals; no copy of x or w stands apart, wired to nothing.
    @Test func aRunSplitAroundTheStepHasItsSharedInputsBesideEachBox() throws {
        let graph = Fixtures.chain(iterations: 5)
        let items = FoldedItems(graph: graph, folded: [0], opening: [2])
        // x, w, `repeat 1–2`, the four nodes of the third iteration, `repeat 4–5`.
        #expect(items.count == 2 + 1 + 4 + 1)
        #expect(items.box(items.item(2))?.label == "repeat 1–2" && items.box(items.item(7))?.label == "repeat 4–5")
        #expect(items.box(items.item(7))?.label(atIteration: 1) == "repeat 5/5")
        let window = GraphWindow(graph: graph, items: items, chunk: nil)
        let boxes = [2, 7]
        #expect(Set(window.proxies.filter { boxes.contains(window.members[$0.consumer]) }.map { "\($0.item)@\(window.members[$0.consumer])" })
            == ["0@2", "1@2", "0@7", "1@7"])
        var linked = Set<Int>()
        for edge in window.edges { linked.formUnion([edge.from, edge.to]) }
        #expect(window.members.indices.allSatisfy(linked.contains), "every box is wired to another")
    }
}

/// What a box says about its op.
@Suite struct NodeCardTests {
    /// `x ^ 2` was shown as `^` alone (the op's bare symbol): the exponent is part of the op.
    @Test func aConstantExponentIsShownWithItsOp() throws {
        let graph = try Scene.parse(source: "input x = 3\ny = x ^ 2\nz = y * 0.5\noutput z", fileName: "square.scene").graph
        let items = FoldedItems(graph: graph, folded: [])
        let symbols = (0..<graph.count).map { NodeCard(item: items.item($0), items: items, graph: graph).symbol }
        #expect(symbols.contains("^2"))
        #expect(symbols.contains("× 0.5"))
        let model = try StepperModel(graph: graph, fileName: "square.scene", columns: 120, rows: 40)
        let screen = StepperView().render(model).grid.text
        #expect(screen.contains(/│ y +\^2 │/))
    }
}

/// The one-line overview in the graph pane's title.
@Suite struct OverviewTests {
    @Test func theBarFillsThePartInView() {
        let bar = Overview.bar(visible: [0..<3, 4..<5], count: 10, current: 4, width: 10, charset: .unicode)
        #expect(String(bar.map(\.character)) == "███░█░░░░░")
        #expect(bar[4].role == .currentNode && bar[0].role == .strong && bar[9].role == .pending)
        // Fewer cells than nodes: a cell is filled when any of its nodes is in view.
        #expect(String(Overview.bar(visible: [99..<100], count: 100, current: nil, width: 4, charset: .ascii)
            .map(\.character)) == "...#")
        #expect(Overview.isNeeded(visible: [0..<4, 5..<10], count: 10))
        #expect(!Overview.isNeeded(visible: [0..<4, 4..<10], count: 10))
    }

    @Test func aGraphLargerThanThePaneSaysWhichPartIsInView() throws {
        var unfolded = StepperOptions()
        unfolded.folding = .never
        let large = try Fixtures.model(Fixtures.chain(iterations: 500), columns: 120, rows: 40, options: unfolded)
        let title = StepperView().render(large).grid.line(1)
        #expect(title.contains("in view ▕█") && title.contains("░▏"), "\(title)")
        // A graph drawn whole needs no overview.
        let small = try Fixtures.model(Fixtures.survey, columns: 120, rows: 40)
        #expect(!StepperView().render(small).grid.line(1).contains("in view"))
    }
}
