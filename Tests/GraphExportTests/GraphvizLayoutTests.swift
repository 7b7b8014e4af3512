import GradFlow
import Testing
import TestSupport
@testable import GraphExport

/// The survey example through the Swift API: f = ln(x1) + x1·x2 − sin(x2).
private func surveyGraph() -> Graph {
    let tape = Tape()
    let x1 = tape.input(2, name: "x1"), x2 = tape.input(5, name: "x2")
    _ = log(x1) + x1 * x2 - sin(x2)
    return tape.graph
}

/// Whether `point` lies inside `box` grown by `slack` inches on every side.
private func contains(_ box: GraphLayout.NodeBox, _ point: GraphLayout.Point, slack: Double = 0.01) -> Bool {
    Swift.abs(point.x - box.x) <= box.width / 2 + slack && Swift.abs(point.y - box.y) <= box.height / 2 + slack
}

@Suite("Graphviz layout")
struct GraphvizLayoutTests {
    @Test("every node of the survey graph is laid out at its size, inside the bounding box")
    func nodesInsideBoundingBox() throws {
        let graph = surveyGraph()
        let layout = try GraphvizLayout.layout(of: graph) { _ in (width: 1.0, height: 0.5) }
        #expect(layout.nodes.map(\.node).sorted() == Array(graph.nodes))
        #expect(layout.width > 0 && layout.height > 0)
        for box in layout.nodes {
            #expect(isClose(box.width, 1.0, relative: 1e-6))
            #expect(isClose(box.height, 0.5, relative: 1e-6))
            #expect(box.x - box.width / 2 >= -1e-6 && box.x + box.width / 2 <= layout.width + 1e-6)
            #expect(box.y - box.height / 2 >= -1e-6 && box.y + box.height / 2 <= layout.height + 1e-6)
        }
    }

    @Test("each operand edge starts at the operand's box and ends at the consumer's box")
    func edgesJoinTheRightNodes() throws {
        let graph = surveyGraph()
        let layout = try GraphvizLayout.layout(of: graph) { _ in (width: 0.8, height: 0.4) }
        // Swift evaluates left to right: x1(0) x2(1) ln(2) ×(3) +(4) sin(5) −(6); eight edges.
        let expected = [(0, 2), (0, 3), (1, 3), (2, 4), (3, 4), (1, 5), (4, 6), (5, 6)]
            .map { "\($0.0)→\($0.1)" }.sorted()
        #expect(layout.edges.map { "\($0.from)→\($0.to)" }.sorted() == expected)
        let boxes = Dictionary(uniqueKeysWithValues: layout.nodes.map { ($0.node, $0) })
        for edge in layout.edges {
            let first = try #require(edge.points.first), last = try #require(edge.points.last)
            #expect(contains(try #require(boxes[edge.from]), first, slack: 0.05), "edge \(edge.from)→\(edge.to) starts off its operand")
            #expect(contains(try #require(boxes[edge.to]), last, slack: 0.1), "edge \(edge.from)→\(edge.to) ends off its consumer")
        }
    }

    @Test("left to right puts operands left of consumers; top to bottom puts them above")
    func rankDirection() throws {
        let graph = surveyGraph()
        let size: (NodeID) -> (width: Double, height: Double) = { _ in (width: 0.6, height: 0.3) }
        let across = try GraphvizLayout.layout(of: graph, nodeSize: size, rankDirection: .leftToRight)
        let down = try GraphvizLayout.layout(of: graph, nodeSize: size, rankDirection: .topToBottom)
        let x = Dictionary(uniqueKeysWithValues: across.nodes.map { ($0.node, $0.x) })
        let y = Dictionary(uniqueKeysWithValues: down.nodes.map { ($0.node, $0.y) })
        for node in graph.nodes {
            for operand in graph.operands(of: node) {
                #expect(x[operand]! < x[node]!)
                #expect(y[operand]! > y[node]!, "y grows upwards, so operands sit higher")
            }
        }
    }

    @Test("a subset keeps only its nodes and the edges among them; x·x gives two edges")
    func subsetAndRepeatedOperand() throws {
        let tape = Tape()
        let x = tape.input(3, name: "x")
        let square = x * x
        _ = sin(square) + x
        let layout = try GraphvizLayout.layout(of: tape.graph, nodes: [0, 1, 1]) { node in
            (width: node == 0 ? 1.5 : 0.5, height: 0.5)
        }
        #expect(layout.nodes.map(\.node).sorted() == [0, 1])
        #expect(layout.edges.count == 2)
        #expect(layout.edges.allSatisfy { $0.from == 0 && $0.to == 1 })
        let wide = try #require(layout.nodes.first { $0.node == 0 })
        #expect(isClose(wide.width, 1.5, relative: 1e-6))
    }

    @Test("unknown nodes and bad sizes are errors, not crashes")
    func invalidArguments() {
        let graph = surveyGraph()
        #expect(throws: LayoutError.unknownNode(99, nodeCount: graph.count)) {
            try GraphvizLayout.layout(of: graph, nodes: [0, 99]) { _ in (width: 1, height: 1) }
        }
        #expect(throws: LayoutError.invalidNodeSize(0, width: 0, height: 1)) {
            try GraphvizLayout.layout(of: graph, nodes: [0]) { _ in (width: 0, height: 1) }
        }
        #expect(throws: LayoutError.self) {
            try GraphvizLayout.layout(of: graph) { _ in (width: .nan, height: 1) }
        }
    }

    @Test("an empty selection lays out as an empty drawing")
    func emptySelection() throws {
        let layout = try GraphvizLayout.layout(of: surveyGraph(), nodes: []) { _ in (width: 1, height: 1) }
        #expect(layout.nodes.isEmpty && layout.edges.isEmpty)
    }

    @Test("Graphviz's syntax errors come back as a Swift error with its message")
    func graphvizErrorsAreCaptured() throws {
        let error = try #require(throws: GraphvizError.self) {
            try Graphviz.shared.perform { try $0.render(dot: "digraph { a -> }", format: "plain") }
        }
        #expect(error.messages.contains { $0.contains("syntax error") })
        // The context still works after a failure.
        let plain = try Graphviz.shared.perform { try $0.render(dot: "digraph { a -> b }", format: "plain") }
        #expect(String(decoding: plain, as: UTF8.self).hasPrefix("graph "))
    }

    @Test("concurrent layouts are serialised and all succeed")
    func concurrentLayouts() async throws {
        let graph = surveyGraph()
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { try GraphvizLayout.layout(of: graph) { _ in (width: 1, height: 0.5) }.nodes.count }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts == Array(repeating: graph.count, count: 8))
    }
}
