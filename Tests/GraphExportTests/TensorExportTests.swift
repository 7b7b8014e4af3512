import Foundation
import GradFlow
@testable import GraphExport
import SceneLanguage
import Testing
import TestSupport

/// Pictures of tensor scenes: matrices in the nodes, shapes on the edges, the rule on the edge
/// of the current contribution, read back from the SVG Graphviz draws.
@Suite("Pictures of tensor scenes")
struct TensorExportTests {
    static func writer(_ scene: String, options: ExportOptions = ExportOptions()) throws -> DiagramWriter {
        let loaded = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/tensors/\(scene).scene").path)
        let output = loaded.graph.reportedOutputs[0].node
        return DiagramWriter(timeline: Timeline(graph: loaded.graph, mode: .reverse(output: output)), options: options)
    }

    static func writer(source: String, options: ExportOptions = ExportOptions()) throws -> DiagramWriter {
        let graph = try Scene.parse(source: source, fileName: "test.scene").graph
        return DiagramWriter(timeline: Timeline(graph: graph, mode: .reverse(output: graph.reportedOutputs[0].node)), options: options)
    }

    static func svg(_ writer: DiagramWriter, _ state: DiagramState) throws -> SVGReader {
        try SVGReader(try Exporter.picture(writer, state: state, format: .svg))
    }

    /// The DOT name of the node called `name`.
    static func dotName(_ name: String, in writer: DiagramWriter) throws -> String {
        "n\(try #require(writer.graph.nodes.first { writer.graph.label(of: $0) == name }))"
    }

    /// The texts after `key` up to the next key in a node: a matrix's entries as drawn.
    static func entries(_ key: String, _ texts: [String]) -> [String] {
        guard let start = texts.firstIndex(of: key) else { return [] }
        return Array(texts[(start + 1)...].prefix { $0 != "value" && $0 != "grad" })
    }

    /// PyTorch's tutorial at the end: x = ones(2, 2) with its gradient 4.5 in each of four cells
    /// (hand-derived: out = mean(3 (x + 2)²), ∂out/∂x = 6 (x + 2) / 4 = 4.5), its shape in the
    /// node's title, and the edge x → y labelled with x's shape.
    @Test func theTutorialsMatricesAndShapes() throws {
        let writer = try Self.writer("two-by-two")
        let picture = try Self.svg(writer, DiagramState(final: writer.timeline))
        let x = try Self.dotName("x", in: writer), y = try Self.dotName("y", in: writer)
        let texts = try picture.texts(ofNode: x).filter { !$0.allSatisfy(\.isWhitespace) }
        #expect(texts.prefix(3) == ["x", "[2, 2]", "input"], "\(texts)")
        #expect(Self.entries("value", texts) == ["1", "1", "1", "1"])
        #expect(Self.entries("grad", texts) == ["4.5", "4.5", "4.5", "4.5"])
        #expect(Self.entries("value", try picture.texts(ofNode: y)) == ["3", "3", "3", "3"])
        let edge = try #require(try picture.groups(class: "edge")["\(x)->\(y)"])
        let edgeTexts = try edge.nodes(forXPath: ".//*[local-name()='text']").compactMap(\.stringValue)
        #expect(edgeTexts == ["[2, 2]"], "\(edgeTexts)")
    }

    /// The adjoint fills in: dashes before any contribution reaches y, then y's first arrival
    /// (ȳ += w̄ ⊙ y with w̄ = 3/4, y = 3: 2.25), then its second (4.5).
    @Test func theAdjointFillsInContributionByContribution() throws {
        let writer = try Self.writer("two-by-two")
        let timeline = writer.timeline
        let y = try #require(writer.graph.nodes.first { writer.graph.label(of: $0) == "y" })
        let arrivals = timeline.contributions(into: y)
        #expect(arrivals.count == 2, "y is read twice by y * y")
        let seed = try #require(timeline.seedStep)
        let expected: [(step: Int, grad: [String])] = [
            (seed, ["–", "–", "–", "–"]),
            (seed + 1 + arrivals[0], ["2.25", "2.25", "2.25", "2.25"]),
            (seed + 1 + arrivals[1], ["4.5", "4.5", "4.5", "4.5"]),
        ]
        for (step, grad) in expected {
            let picture = try Self.svg(writer, DiagramState(timeline: timeline, step: step))
            #expect(Self.entries("grad", try picture.texts(ofNode: "n\(y)")) == grad, "step \(step)")
        }
    }

    /// At each backward step exactly one edge carries a rule, the current contribution's, in the
    /// highlight colour; the caption's step line gives the same rule.
    @Test func theCurrentEdgeCarriesItsRule() throws {
        let writer = try Self.writer("attention-head-tensors")
        let timeline = writer.timeline
        let seed = try #require(timeline.seedStep)
        // In the forward pass no edge carries a rule, though the edges into the node being
        // evaluated are drawn as current.
        for step in [3, seed - 1] {
            let picture = try Self.svg(writer, DiagramState(timeline: timeline, step: step))
            for (title, edge) in try picture.groups(class: "edge") {
                let texts = try edge.nodes(forXPath: ".//*[local-name()='text']").compactMap(\.stringValue)
                #expect(!texts.contains { $0.contains("+=") }, "step \(step): \(title) \(texts)")
            }
        }
        for step in [seed + 1, seed + 5, timeline.count] {
            let picture = try Self.svg(writer, DiagramState(timeline: timeline, step: step))
            let contribution = timeline.tensorContribution(step - seed - 1)
            var withRules: [String] = []
            for (title, edge) in try picture.groups(class: "edge") {
                let texts = try edge.nodes(forXPath: ".//*[local-name()='text']").compactMap(\.stringValue)
                if texts.contains(where: { $0.contains("+=") }) { withRules.append(title) }
            }
            #expect(withRules == ["n\(contribution.to)->n\(contribution.from)"], "step \(step)")
            let rule = writer.notation.tensorUpdate(of: contribution.from, operand: contribution.operandIndex, in: writer.graph)
            #expect(writer.stepLine(for: DiagramState(timeline: timeline, step: step))?.contains(" · backward: " + rule) == true)
        }
    }

    /// The softmax's rule at its step names its operand: S̄ += Ā ⊙ A − A (Ā · A).
    @Test func theAttentionSoftmaxStepNamesItsRule() throws {
        let writer = try Self.writer("attention-head-tensors")
        let timeline = writer.timeline
        let a = try #require(writer.graph.nodes.first { writer.graph.label(of: $0) == "A" })
        let index = try #require((0..<timeline.contributionCount).first { timeline.tensorContribution($0).from == a })
        let line = try #require(writer.stepLine(for: DiagramState(timeline: timeline, step: timeline.seedStep! + 1 + index)))
        #expect(line.contains("softmax") || line.contains("Ā"), "\(line)")
    }

    /// Every frame has one size: the edge labels and the matrices keep theirs at every step,
    /// with mid-edge labels (left to right) and external ones (top to bottom).
    @Test(arguments: [RankDirection.leftToRight, .topToBottom])
    func framesKeepTheirSize(direction: RankDirection) throws {
        var options = ExportOptions()
        options.rankDirection = direction
        let writer = try Self.writer("two-by-two", options: options)
        let steps = Exporter.frameSteps(of: writer)
        #expect(steps.count == writer.timeline.count)
        let width = writer.stepLineWidth(forSteps: steps)
        var sizes = Set<String>()
        for step in steps {
            let svg = try SVGReader(try Exporter.frame(writer, step: step, format: .svg, stepLineWidth: width))
            sizes.insert(try #require(svg.document.rootElement()).attribute(forName: "viewBox")?.stringValue ?? "")
        }
        #expect(sizes.count == 1, "\(sizes)")
    }

    /// A tensor larger than 4×4 is its shape and a summary, not 64 cells.
    @Test func aLargeTensorIsSummarised() throws {
        let writer = try Self.writer(source: "input W = randn(1, 8, 8)\nl = sum(tanh(W))\noutput l")
        let texts = try Self.svg(writer, DiagramState(final: writer.timeline)).texts(ofNode: "n0")
        let value = Self.entries("value", texts)
        #expect(value.count == 2, "\(texts)")
        #expect(value.first?.hasPrefix("[8, 8]: ") == true)
        #expect(value.last?.hasPrefix("min ") == true)
    }

    /// `--collapse` on a graph of scalars and tensors: a function called twice folds into one
    /// box per call, which lists its tensor output on one line, and the picture renders.
    @Test func foldingAMixedGraph() throws {
        var options = ExportOptions()
        options.folding = .always
        let source = """
            input W = [[0.5, -0.2], [0.1, 0.3]]
            input s = 2
            fn layer(h) {
              return tanh(W @ h) * s
            }
            x = [1, -1]
            h1 = layer(x)
            h2 = layer(h1)
            l = sum(h2)
            output l
            """
        let writer = try Self.writer(source: source, options: options)
        #expect(writer.isFolding)
        #expect(writer.foldedGroupCount == 2)
        let picture = try Self.svg(writer, DiagramState(final: writer.timeline))
        let boxes = try picture.groups(class: "node").filter { $0.key.hasPrefix("g") }
        #expect(boxes.count >= 1)
        let boxTexts = try boxes.values.flatMap { try $0.nodes(forXPath: ".//*[local-name()='text']").compactMap(\.stringValue) }
        #expect(boxTexts.contains { $0.hasPrefix("[") }, "a box lists its tensor output: \(boxTexts)")
        let w = try Self.dotName("W", in: writer)
        #expect(Self.entries("grad", try picture.texts(ofNode: w)).count == 4)
    }

    /// The deck in a browser (Debian's headless Chromium) opens a backward step of the tutorial
    /// from the address: its caption names the step and the rule, and the frame shown draws
    /// y's adjoint as it stands then (2.25 after y's first arrival, by hand as above).
    @Test func theDeckOpensATensorStepInABrowser() throws {
        let writer = try Self.writer("two-by-two")
        let timeline = writer.timeline
        let y = try #require(writer.graph.nodes.first { writer.graph.label(of: $0) == "y" })
        let step = timeline.seedStep! + 1 + timeline.contributions(into: y)[0]
        let url = URL(fileURLWithPath: try temporaryDirectory() + "/tutorial.html")
        try Data(try Exporter.player(writer).utf8).write(to: url)
        let browser = try HeadlessBrowser(width: 1280, height: 720)
        defer { browser.close() }
        try browser.open(URL(string: url.absoluteString + "#step=\(step)")!)
        let header = try browser.evaluate(#"document.getElementById("where").textContent"#) as? String
        #expect(header == "step \(step) of \(timeline.count)")
        let texts = try browser.evaluate(#"""
            Array.from(document.querySelectorAll(".frame.shown svg text")).map(t => t.textContent)
            """#) as? [Any] ?? []
        let strings = texts.compactMap { $0 as? String }
        #expect(strings.contains { $0.hasPrefix("step \(step) of \(timeline.count) · backward: ȳ += ") }, "\(strings)")
        #expect(strings.filter { $0 == "2.25" }.count == 4, "\(strings)")
    }

    /// The HTML deck holds one frame per step, the tensor steps among them.
    @Test func theDeckHoldsEveryTensorStep() throws {
        let writer = try Self.writer("two-by-two")
        let page = try Exporter.player(writer)
        #expect(page.components(separatedBy: "<section class=\"frame\"").count - 1 == writer.timeline.count + 1)
        #expect(page.contains("x̄ += ȳ"), "the last step's rule is in the deck")
    }
}
