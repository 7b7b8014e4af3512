import Foundation
import GradFlow
import Testing
import TestSupport
@testable import GraphExport

@Suite("Atomic files")
struct AtomicFileTests {
    @Test("a file is written whole and replaces the old one, leaving no temporary file")
    func writesAndReplaces() throws {
        let directory = try temporaryDirectory()
        let path = directory + "/picture.svg"
        try AtomicFile.write("old", to: path)
        try AtomicFile.write("new contents", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new contents")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["picture.svg"])
    }

    @Test("an unwritable path is one clear error and leaves nothing behind")
    func unwritablePaths() throws {
        let directory = try temporaryDirectory()
        try AtomicFile.write("a file, not a directory", to: directory + "/plain")
        for path in [directory + "/missing/picture.svg", directory + "/plain/picture.svg", directory] {
            let error = try #require(throws: FileWriteError.self) { try AtomicFile.write("x", to: path) }
            #expect(error.description.hasPrefix("cannot write '\(path)': "))
            #expect(!error.description.contains("\n"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["plain"])
    }
}

@Suite("Folding large graphs")
struct FoldingTests {
    /// `calls` calls of a two-node function `square(x)` chained on one input, as a scene's
    /// `repeat` would record them: each call a group.
    static func chainOfCalls(_ calls: Int) -> Graph {
        var graph = Graph()
        var previous = graph.appendLeaf(.input, value: 0.5, name: "x")
        for call in 0..<calls {
            let first = graph.count
            let squared = graph.append(.multiply, previous, previous)
            previous = graph.append(.sin, squared)
            graph.annotations.names[squared] = "sq\(call)"
            graph.annotations.names[previous] = "y\(call)"
            graph.annotations.groups.append(.init(label: "square(#\(call + 1))", parent: nil, nodes: first..<graph.count))
            graph.annotations.groupOfNode[squared] = call
            graph.annotations.groupOfNode[previous] = call
        }
        graph.annotations.outputs = [.init(name: "y", node: previous)]
        return graph
    }

    @Test("above the limit same-shaped calls become one box ×N, showing the last call's output")
    func foldsAboveTheLimit() throws {
        var options = ExportOptions()
        options.folding = .above(10)
        let graph = Self.chainOfCalls(8)  // 17 nodes
        let writer = DiagramWriter(timeline: Fixtures.reverse(graph), options: options)
        #expect(writer.isFolding && writer.foldedGroupCount == 8 && writer.foldedBoxCount == 1 && writer.drawnCount == 2)
        let dot = writer.dot(for: DiagramState(final: writer.timeline))
        #expect(dot.contains("  n0 -> g0 ["))
        #expect(!dot.contains("n1 ") && !dot.contains("cluster"))
        let svg = try SVGReader(try Exporter.picture(writer, state: DiagramState(final: writer.timeline), format: .svg))
        let box = try svg.texts(ofNode: "g0")
        #expect(box.first == "square ×8" && box.contains("y7"), "\(box)")
        #expect(box.contains("8 × 2 nodes folded"))
        // The box shows y7's value: sin(y6²) iterated from x = 0.5.
        var y = 0.5
        for _ in 0..<8 { y = Foundation.sin(y * y) }
        let value = try #require(box.firstIndex(of: "value").map { box[$0 + 1] })
        #expect(isClose(Double(value) ?? .nan, y, relative: 1e-3))
        #expect(writer.legend.contains("8 groups folded into 1 box"))
    }

    @Test("calls of other shapes stay one box each, joined in a chain")
    func unlikeCallsStaySeparate() throws {
        var graph = Self.chainOfCalls(3)
        // A fourth call of another shape (cos instead of sin).
        let first = graph.count
        let last = graph.annotations.outputs[0].node
        let squared = graph.append(.multiply, last, last)
        let result = graph.append(.cos, squared)
        graph.annotations.groups.append(.init(label: "other(#4)", parent: nil, nodes: first..<graph.count))
        graph.annotations.outputs = [.init(name: "y", node: result)]
        var options = ExportOptions()
        options.folding = .always
        let writer = DiagramWriter(timeline: Fixtures.reverse(graph), options: options)
        #expect(writer.foldedBoxCount == 2 && writer.foldedGroupCount == 4)
        let dot = writer.dot(for: DiagramState(final: writer.timeline))
        #expect(dot.contains("  g0 -> g1 [") && dot.contains("square ×3") && dot.contains("other(#4)"))
    }

    @Test("at or below the limit, or with folding off, groups are clusters")
    func staysUnfolded() {
        let graph = Self.chainOfCalls(3)
        var options = ExportOptions()
        options.folding = .never
        #expect(!DiagramWriter(timeline: Fixtures.reverse(graph), options: options).isFolding)
        options.folding = .automatic
        #expect(!DiagramWriter(timeline: Fixtures.reverse(graph), options: options).isFolding)
        options.folding = .always
        #expect(DiagramWriter(timeline: Fixtures.reverse(graph), options: options).isFolding)
    }

    @Test("more boxes than Graphviz can take is an error for pictures, not for DOT")
    func refusesToHangGraphviz() throws {
        var options = ExportOptions()
        options.folding = .never
        var graph = Graph()
        var previous = graph.appendLeaf(.input, value: 1, name: "x")
        for _ in 0..<Exporter.renderLimit { previous = graph.append(.sin, previous) }
        graph.annotations.outputs = [.init(name: "y", node: previous)]
        let writer = DiagramWriter(timeline: Fixtures.reverse(graph), options: options)
        let state = DiagramState(final: writer.timeline)
        #expect(throws: ExportError.tooLargeToRender(boxes: Exporter.renderLimit + 1, limit: Exporter.renderLimit)) {
            try Exporter.picture(writer, state: state, format: .svg)
        }
        #expect(try Exporter.picture(writer, state: state, format: .dot).count > 100_000)
    }

    @Test("a frame sequence has one frame per step")
    func oneFramePerStep() throws {
        let writer = DiagramWriter(timeline: Fixtures.reverse(Fixtures.xySin()))
        // 5 forward steps, the seed, 6 contributions (z→a, z→b, b→x, a→x, a→y).
        #expect(Exporter.frameSteps(of: writer) == 1...11)
        let page = try Exporter.player(writer)
        #expect(page.components(separatedBy: "<section class=\"frame\"").count - 1 == 12)
    }
}
