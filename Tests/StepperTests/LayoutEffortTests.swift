import Foundation
import GradFlow
import GraphExport
import SceneLanguage
import Synchronization
import Testing
import TestSupport
@testable import Stepper

/// How many layouts a frame asks for. The graph pane tries up to 26 styles of a whole graph
/// for one that fits; each is a Graphviz layout, then routing and untangling. 61 nodes each
/// summing all earlier ones cannot fit any pane in any style (61 boxes in a row), and its
/// twenty-odd layouts (about 100 ms of Graphviz each) kept the screen blank for 1.5 s.
/// Asserted in layouts and gap crossings laid out, never in time.
@Suite struct LayoutEffortTests {
    /// A layout function that counts what it is asked for, then lays out as the plain layout does.
    final class Counting: Sendable {
        let requests = Mutex<[LayoutRequest]>([])
        var view: StepperView {
            StepperView(layout: { [self] request in
                requests.withLock { $0.append(request) }
                return LayeredLayout.layout(request)
            })
        }
        var crossings: Int {
            requests.withLock { list in
                list.reduce(0) { total, request in
                    total + EdgeBudget.crossings(edges: request.edges.map { (from: $0.from, to: $0.to) },
                                                 memberCount: request.sizes.count).reduce(0, +)
                }
            }
        }
    }

    @Test(arguments: [(80, 24), (120, 40), (200, 50)])
    func theDenseScenesFirstFrameIsOneLayout(columns: Int, rows: Int) throws {
        let graph = try Scene.parse(source: PathologicalSceneTests.denseScene, fileName: "dense.scene").graph
        let model = try Fixtures.model(graph, columns: columns, rows: rows)
        let counting = Counting()
        let view = counting.view
        let frame = view.render(model)
        // Every style was laid out: 14 layouts of about 1,500 gap crossings each.
        #expect(counting.requests.withLock { $0.count } == 1)
        #expect(counting.crossings <= GraphPane.hopelessCrossings)
        // And the frame still shows the graph, its title saying what was left out, and the
        // next step's box.
        #expect(frame.grid.line(1).contains("edges not drawn"), "\(frame.grid.line(1))")
        let next = update(model, .next)
        let node = try #require(next.currentNode)
        #expect(view.render(next).drawnGraph.box(showing: node) != nil)
        #expect(counting.requests.withLock { $0.count } == 1)
    }

    @Test func stepsThroughTheDenseSceneMakeNoMoreLayouts() throws {
        let graph = try Scene.parse(source: PathologicalSceneTests.denseScene, fileName: "dense.scene").graph
        var model = try Fixtures.model(graph, columns: 120, rows: 40, options: StepperOptions(phase: .backward))
        let counting = Counting()
        let view = counting.view
        _ = view.render(model)
        for _ in 0..<10 {
            model = update(model, .next)
            let node = try #require(model.currentNode)
            #expect(view.render(model).drawnGraph.box(showing: node) != nil, "step \(model.step)")
        }
        #expect(counting.requests.withLock { $0.count } == 1)
    }

    /// Stepping into `f = sum(v0 … v29999)` enters a window of `f`'s chunk with eight more of
    /// its operands, laid out in its two styles. The untangler spent its whole budget on each
    /// (305,631 units in all, 50 ms of a step that must take 16): edges into `f` past the cells
    /// beside it were each re-routed with everything blocking them, only to be put back. Now
    /// 65,531 units.
    @Test func steppingIntoAWideSumUntanglesWithinOneWindowBudgetPerStyle() throws {
        let terms = 30_000
        let graph = try Scene.parse(source: PathologicalSceneTests.wideSum(terms: terms), fileName: "wide.scene").graph
        let model = try Fixtures.model(graph, columns: 120, rows: 40, options: StepperOptions(step: terms + 1, phase: .forward))
        let view = Counting().view
        _ = view.render(model)
        let before = (layouts: view.graphPane.layoutsMade, work: view.graphPane.untanglerWork)
        let next = update(model, .next)
        let frame = view.render(next)
        let layouts = view.graphPane.layoutsMade - before.layouts, work = view.graphPane.untanglerWork - before.work
        // The window in the style of the step before, which shows the step (the pane keeps it,
        // see GraphPane.keptLayout); both styles when it does not.
        #expect((1...2).contains(layouts), "\(layouts) layouts")
        // A budget may be overrun by one step (a path checked and held).
        #expect(work <= layouts * (EdgeUntangler.windowWorkBudget + EdgeUntangler.windowWorkBudget / 10), "\(work) units")
        #expect(work < EdgeUntangler.workBudget, "\(work) units")
        // And the step still shows f and the edges from its operands in the window.
        let f = try #require(frame.drawnGraph.box(showing: graph.count - 1))
        #expect(frame.drawnGraph.edges.filter { $0.to == f.nodes }.count > 30)
    }

    /// Each box is measured once per zoom, whatever the number of styles and windows it is in:
    /// sizing a box formats its adjoints (64 of them for a `sum` of thousands of terms).
    @Test func eachBoxIsMeasuredOncePerZoom() throws {
        let graph = try Scene.parse(source: PathologicalSceneTests.denseScene, fileName: "dense.scene").graph
        var model = try Fixtures.model(graph, columns: 120, rows: 40)
        let view = Counting().view
        _ = view.render(model)
        for _ in 0..<5 {
            model = update(model, .next)
            _ = view.render(model)
        }
        // 14 styles planned, each measuring its 61 boxes (and proxies), and the style laid out
        // measuring them again: over 900.
        #expect(view.graphPane.boxesMeasured <= graph.count * Zoom.allCases.count)
        #expect(view.graphPane.layoutsMade == 1)
    }

    /// Only styles that cannot fit are skipped, so the first style that fits is never missed:
    /// for every style of every lecture scene, Graphviz's drawing is at least as large as the
    /// bound says along its ranks.
    @Test func theBoundNeverExceedsADrawing() throws {
        let directory = repositoryRoot.appendingPathComponent("Scenes").path
        let files = LectureScreenTests.scenes
        #expect(files.count > 40)
        for file in files {
            let graph = try Scene.load(path: "\(directory)/\(file)").graph
            let model = try Fixtures.model(graph, columns: 120, rows: 40)
            let items = FoldedItems(graph: graph, folded: [])
            guard GraphWindow.chunk(of: 0, itemCount: items.count) == nil else { continue }
            let state = StepState(model: model)
            let pane = GraphPane(layout: StepperView.graphvizLayout)
            for style in GraphPane.candidateStyles(zoom: nil, wholeGraph: true) {
                let plan = pane.plan(model, state: state, items: items, chunk: nil, chunkSize: GraphWindow.chunkSize,
                                     stepItems: [], style: style)
                let drawing = pane.placement(model, state: state, items: items, chunk: nil, chunkSize: GraphWindow.chunkSize,
                                             stepItems: [], style: style)
                #expect(drawing.fallbackReason == nil)
                if plan.style.direction == .leftToRight {
                    #expect(plan.bound.columnsLeftToRight <= drawing.columns, "\(file) \(style)")
                } else {
                    #expect(plan.bound.rowsTopToBottom <= drawing.rows, "\(file) \(style)")
                }
            }
        }
    }

    @Test func aChainIsBoundedByItsBoxesInARow() throws {
        // Boxes a → b → c of widths 3, 5, 4 and heights 1, 3, 1; a → c too.
        let graph = try Scene.parse(source: "input a = 1\nb = exp(a)\nc = b + a\noutput c", fileName: "chain.scene").graph
        let window = GraphWindow(graph: graph, items: FoldedItems(graph: graph, folded: []), chunk: nil)
        #expect(window.members == [0, 1, 2] && window.edges.count == 3)
        let sizes = [(columns: 3, rows: 1), (columns: 5, rows: 3), (columns: 4, rows: 1)]
        let bound = DrawingBound(window: window, sizes: sizes)
        // Each box, and a cell between each two, along the path a, b, c.
        #expect(bound.columnsLeftToRight == 14)
        #expect(bound.rowsTopToBottom == 7)
        let across = LayoutStyle(zoom: .name, direction: .leftToRight)
        let down = LayoutStyle(zoom: .name, direction: .topToBottom)
        #expect(bound.cannotFit(across, columns: 13, rows: 100))
        #expect(!bound.cannotFit(across, columns: 14, rows: 1))
        // Top to bottom is hopeless only if left to right (the plain layout's way) is too.
        #expect(!bound.cannotFit(down, columns: 14, rows: 6))
        #expect(bound.cannotFit(down, columns: 13, rows: 6))
        #expect(!bound.cannotFit(down, columns: 13, rows: 7))
    }
}
