import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import GraphExport

/// Runs of same-shaped groups (the iterations of a loop, successive calls of one `fn`) and the
/// fold plan that draws each run as one `×N` box.
@Suite("Repeated structure")
struct RepeatedRunTests {
    static func scene(_ text: String) throws -> Graph {
        try Scene.parse(source: text, fileName: "test.scene").graph
    }

    /// The labels of a run's groups, for messages.
    static func labels(_ run: [Int], _ graph: Graph) -> [String] { run.map { graph.annotations.groups[$0].label } }

    @Test("the iterations of an RNN are one run, the first reading the starting state from before the loop")
    func recurrentLoop() throws {
        let graph = try Self.scene("""
            input w = 0.9, u = 0.5, b = 0.1
            h = 0
            for t in 1...50 { h = tanh(w * h + u * sin(t) + b) }
            output h
            """)
        let runs = RepeatedRuns(graph: graph)
        #expect(runs.runs.count == 1)
        #expect(runs.runs.first?.count == 50)
        let plan = FoldPlan(foldingOutermostGroupsOf: graph)
        #expect(plan.boxes.count == 1)
        let box = try #require(plan.boxes.first)
        #expect(box.label == "for t ×50")
        #expect(box.nodes == 4..<graph.count)
        // w, u and b are read by every step; the constant h = 0 only by the first.
        #expect(box.proxies.map(graph.label(of:)) == ["w", "u", "b"])
        #expect(box.outputs == [graph.count - 1])
        #expect(box.iteration(of: 4) == 0 && box.iteration(of: 4 + 5 * 16 + 2) == 16)
        #expect(box.label(atIteration: 16) == "for t 17/50")
        #expect(plan.drawnCount(in: graph) == 4 + 1 + 3)
    }

    /// Every tensor node has the op `.tensor`; what it computes must match too. Before this,
    /// two iterations taking `tanh` of a vector and two taking `exp` folded into one box `×4`.
    @Test("tensor iterations are alike only when they compute the same tensor op on the same shape")
    func tensorIterations() throws {
        let alike = try Self.scene("""
            input v = [0.1, 0.2]
            for i in 1...4 { v = tanh(v * 0.5) }
            l = sum(v)
            output l
            """)
        #expect(RepeatedRuns(graph: alike).runs.first?.count == 4)
        let alternating = try Self.scene("""
            input v = [0.1, 0.2]
            for i in 1...4 {
              if i < 3 { v = tanh(v * 0.5) } else { v = exp(v * 0.5) }
            }
            l = sum(v)
            output l
            """)
        #expect(RepeatedRuns(graph: alternating).runs.map(\.count) == [2, 2], "\(RepeatedRuns(graph: alternating).runs)")
    }

    @Test("the iteration under way is drawn open between the run's boxes; before the loop the run is one box")
    func iterationUnderWay() throws {
        let graph = try Self.scene("""
            input w = 0.9
            h = 0
            for t in 1...12 { h = tanh(w * h + sin(t)) }
            output h
            """)
        let timeline = Fixtures.reverse(graph)
        let writer = DiagramWriter(timeline: timeline, options: .always)
        // Step k evaluates node k − 1: w, h, then three nodes per iteration (w · h, + sin t,
        // tanh) from node 2. Step 33 evaluates node 32, in the eleventh iteration.
        #expect(graph.count == 2 + 3 * 12)
        let inside = writer.dot(for: DiagramState(timeline: timeline, step: 2 + 3 * 10 + 1))
        #expect(inside.contains("<b>for t 1–10</b>") && inside.contains("  n32 ["), "iteration 11's nodes are drawn")
        // Iteration 12 alone after it: a single iteration is named as the scene names it.
        #expect(inside.contains("<b>for t = 12</b>") && !inside.contains("for t ×12"))
        // The iteration's own result, h₁₂ (node 34), is a box of its own, whose value is not known yet.
        #expect(inside.contains("  n34 [") && inside.contains(">h₁₂<"))
        #expect(writer.dot(for: DiagramState(timeline: timeline, step: 1)).contains("<b>for t ×12</b>"))
        #expect(writer.dot(for: DiagramState(final: timeline)).contains("<b>for t ×12</b>"))
        // Backward, w receiving from the third iteration: iterations 1–2 and 4–12 are boxes.
        let intoW = try #require((1...timeline.count).first { step in
            if case .contribute(let c) = timeline.step(step), c.to == 0, c.from < 2 + 3 * 3 { return true }
            return false
        })
        let backward = writer.dot(for: DiagramState(timeline: timeline, step: intoW))
        #expect(backward.contains("<b>for t 1–2</b>") && backward.contains("<b>for t 4–12</b>"))
    }

    @Test("a loop whose last iteration takes the other branch: a run of the others, then the last alone")
    func lastIterationDiffers() throws {
        let graph = try Self.scene("""
            input x = 0.8
            acc = 0
            for k in 1...6 {
                if k < 6 { acc = acc + x * k } else { acc = acc - x^2 }
            }
            output acc
            """)
        let plan = FoldPlan(foldingOutermostGroupsOf: graph)
        #expect(plan.boxes.map(\.label) == ["for k ×5", "for k = 6"])
        #expect(plan.boxes.map(\.iterations) == [5, 1])
        // x is read by every one of the five; the single group gets no proxy.
        #expect(plan.boxes[0].proxies.map(graph.label(of:)) == ["x"] && plan.boxes[1].proxies.isEmpty)
        let dot = DiagramWriter(timeline: Fixtures.reverse(graph), options: .always).dot(for: DiagramState(final: Fixtures.reverse(graph)))
        #expect(dot.contains("  g0 -> g1 ["))
        #expect(dot.contains("  p0_0 -> g0 [") && dot.contains("  n0 -> g1 ["))
        #expect(!dot.contains("  n0 -> g0 ["), "x reaches the run through its proxy only")
    }

    @Test("same ops with other wiring are not the same shape")
    func otherWiringBreaksTheRun() throws {
        // Each iteration reads the previous one, except the third, which reads the first
        // iteration's result (two back): same ops, other wiring.
        var graph = Graph()
        let x = graph.appendLeaf(.input, value: 0.5, name: "x")
        var outputs: [NodeID] = []
        for iteration in 0..<4 {
            let first = graph.count
            let previous = iteration == 0 ? x : iteration == 2 ? outputs[0] : outputs[iteration - 1]
            outputs.append(graph.append(.sin, graph.append(.multiply, previous, x)))
            graph.annotations.groups.append(.init(label: "step(\(iteration))", parent: nil, nodes: first..<graph.count))
        }
        let runs = RepeatedRuns(graph: graph)
        // The third cannot join the first two; it starts a run of its own, whose starting value
        // (read from before it) is the first iteration's result.
        #expect(runs.runs.map { Self.labels($0, graph) } == [["step(0)", "step(1)"], ["step(2)", "step(3)"]])
        // Operands in the other order are other wiring too.
        var swapped = Graph()
        let y = swapped.appendLeaf(.input, value: 0.5, name: "y")
        let a = swapped.append(.multiply, y, swapped.appendLeaf(.constant, value: 2))
        swapped.annotations.groups.append(.init(label: "f(1)", parent: nil, nodes: 1..<3))
        _ = swapped.append(.multiply, swapped.appendLeaf(.constant, value: 3), a)
        swapped.annotations.groups.append(.init(label: "f(2)", parent: nil, nodes: 3..<5))
        #expect(RepeatedRuns(graph: swapped).runs.isEmpty)
    }

    @Test("other values and other constant parameters keep the shape; other ops do not")
    func valuesMayDiffer() throws {
        let graph = try Self.scene("""
            input x = 1
            fn layer(h, s) = tanh(h * s + 0.5)
            y = layer(layer(layer(x, 0.1), 0.2), 0.3)
            z = exp(y)
            z = z * 2
            output z
            """)
        let plan = FoldPlan(foldingOutermostGroupsOf: graph)
        #expect(plan.boxes.map(\.label) == ["layer ×3"])
        let ops = try Self.scene("input x = 1\nfn f(h) = sin(h)\nfn g(h) = cos(h)\ny = g(f(x))\noutput y\n")
        #expect(RepeatedRuns(graph: ops).runs.isEmpty)
    }

    @Test("calls with a node between them are not folded together")
    func onlyAdjacentGroups() throws {
        let graph = try Self.scene("input x = 1\nfn f(h) = sin(h) * 2\na = f(x)\nb = a + 1\nc = f(b)\noutput c\n")
        #expect(RepeatedRuns(graph: graph).runs.isEmpty)
        #expect(FoldPlan(foldingOutermostGroupsOf: graph).boxes.map(\.label) == ["f(x)", "f(b)"])
    }

    @Test("runs are found inside groups too, and folding one group of a run folds the run")
    func nestedRunsAndUnits() throws {
        let graph = try Self.scene("""
            input x = 1, w = 2
            fn layer(h) = tanh(w * h)
            fn net(h) = layer(layer(layer(h)))
            y = net(x)
            output y
            """)
        let runs = RepeatedRuns(graph: graph)
        #expect(runs.runs.count == 1, "\(runs.runs.map { Self.labels($0, graph) })")
        let run = try #require(runs.runs.first)
        #expect(run.count == 3)
        let inner = FoldPlan(graph: graph, folding: [run[1]])
        #expect(inner.boxes.map(\.label) == ["layer ×3"])
        #expect(inner.boxes[0].proxies.map(graph.label(of:)) == ["w"])
        // The call of net folded too: its box hides the run inside it.
        let outer = FoldPlan(graph: graph, folding: [run[1], 0])
        #expect(outer.boxes.map(\.label) == ["net(x)"])
        #expect(outer.box(of: graph.count - 1) == 0 && outer.box(of: 0) == nil)
    }

    @Test("labels: a function's name, repeat, and the loop variable")
    func runNames() throws {
        #expect(FoldPlan(foldingOutermostGroupsOf: try Self.scene("input x = 1\nv = x\nrepeat 4 { v = sin(v) }\noutput v\n"))
            .boxes.map(\.label) == ["repeat ×4"])
        #expect(FoldPlan(foldingOutermostGroupsOf: try Self.scene("input x = 1\nv = x\nfor i in 1...3 { v = v * i }\noutput v\n"))
            .boxes.map(\.label) == ["for i ×3"])
    }

    @Test("groups from a graph file with ranges that overlap or run past the end fold without a crash")
    func hostileGroups() {
        var graph = Graph()
        let x = graph.appendLeaf(.input, value: 1, name: "x")
        var previous = x
        for _ in 0..<6 { previous = graph.append(.sin, previous) }
        graph.annotations.groups = [
            .init(label: "a", parent: nil, nodes: 1..<3), .init(label: "a", parent: nil, nodes: 3..<5),
            .init(label: "a", parent: 5, nodes: 2..<40), .init(label: "b", parent: nil, nodes: 5..<5),
            .init(label: "c", parent: 0, nodes: 5..<7), .init(label: "d", parent: nil, nodes: 100..<200),
        ]
        let plan = FoldPlan(graph: graph, folding: Set(graph.annotations.groups.indices))
        var covered = 0
        for box in plan.boxes { covered += box.nodes.count }
        #expect(covered <= graph.count)
        #expect(plan.drawnCount(in: graph) >= 1)
    }
}

extension ExportOptions {
    /// Every group folded.
    static var always: ExportOptions {
        var options = ExportOptions()
        options.folding = .always
        return options
    }
}
