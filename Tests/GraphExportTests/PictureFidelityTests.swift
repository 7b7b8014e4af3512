import Foundation
import FoundationXML
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import GraphExport

/// What a class reads off a picture: each local derivative beside its own edge, notes that keep
/// their equations whole, function names that cannot be misread.
@Suite("Picture fidelity")
struct PictureFidelityTests {
    /// Softmax cross-entropy written out, where mid-edge labels ended up beside other edges.
    static let softmax = """
        title "Softmax cross-entropy, written out"
        input z1 = 2, z2 = 1, z3 = 0.1
        const t2 = 1
        m = max(max(z1, z2), z3)
        e1 = exp(z1 - m)
        e2 = exp(z2 - m)
        e3 = exp(z3 - m)
        s = e1 + e2 + e3
        p2 = e2 / s
        L = -t2 * ln(p2)
        output L
        """

    private func svg(_ source: String, folding: Folding = .automatic) throws -> XMLDocument {
        let scene = try Scene.parse(source: source, fileName: "test.scene")
        var options = ExportOptions()
        options.folding = folding
        let writer = DiagramWriter(timeline: Timeline(graph: scene.graph, mode: .reverse(output: scene.outputs[0].node)), options: options)
        let bytes = try Exporter.picture(writer, state: DiagramState(final: writer.timeline), format: .svg)
        return try XMLDocument(data: Data(bytes), options: [])
    }

    /// An attribute of an SVG element (through XPath: FoundationXML's `attribute(forName:)`
    /// finds nothing in a document with a default namespace).
    private func attribute(_ name: String, of element: XMLElement) -> String? {
        (try? element.nodes(forXPath: "@\(name)"))?.first?.stringValue
    }

    /// The points of an SVG path of cubic Béziers (`M x,y C x,y x,y x,y …`), sampled along each segment.
    private func samples(ofPath d: String) -> [(Double, Double)] {
        let numbers = d.split(whereSeparator: { !"0123456789.-e".contains($0) }).compactMap { Double($0) }
        var points: [(Double, Double)] = []
        for index in stride(from: 0, to: numbers.count - 1, by: 2) { points.append((numbers[index], numbers[index + 1])) }
        guard points.count >= 4 else { return points }
        var sampled: [(Double, Double)] = []
        for start in stride(from: 0, to: points.count - 3, by: 3) {
            let (p0, p1, p2, p3) = (points[start], points[start + 1], points[start + 2], points[start + 3])
            for step in 0...20 {
                let t = Double(step) / 20, u = 1 - t
                let x = u * u * u * p0.0 + 3 * u * u * t * p1.0 + 3 * u * t * t * p2.0 + t * t * t * p3.0
                let y = u * u * u * p0.1 + 3 * u * u * t * p1.1 + 3 * u * t * t * p2.1 + t * t * t * p3.1
                sampled.append((x, y))
            }
        }
        return sampled
    }

    @Test("every edge's local derivative is nearer its own edge than any other edge")
    func edgeLabelsSitOnTheirEdges() throws {
        let document = try svg(Self.softmax)
        let edges = try document.nodes(forXPath: "//*[local-name()='g'][@class='edge']").compactMap { $0 as? XMLElement }
        var curves: [String: [(Double, Double)]] = [:]
        var labels: [(edge: String, x: Double, y: Double, text: String)] = []
        for edge in edges {
            let title = edge.elements(forName: "title").first?.stringValue ?? ""
            guard let path = try edge.nodes(forXPath: ".//*[local-name()='path']").first as? XMLElement,
                  let d = attribute("d", of: path) else { continue }
            curves[title] = samples(ofPath: d)
            for case let text as XMLElement in try edge.nodes(forXPath: ".//*[local-name()='text']") {
                let x = Double(attribute("x", of: text) ?? "") ?? .nan
                let y = Double(attribute("y", of: text) ?? "") ?? .nan
                // The text's middle: its baseline is at y, and it is about 10 points tall.
                labels.append((title, x, y - 3.5, text.stringValue ?? ""))
            }
        }
        // One per operand slot: 23 in this scene (`L = -t2 * ln(p2)` negates t2 first).
        #expect(labels.count == 23, "\(labels.count) edge labels")
        for label in labels {
            func distance(to curve: [(Double, Double)]) -> Double {
                curve.map { ($0.0 - label.x) * ($0.0 - label.x) + ($0.1 - label.y) * ($0.1 - label.y) }.min().map(sqrt) ?? .infinity
            }
            let own = distance(to: curves[label.edge] ?? [])
            let nearestOther = curves.filter { $0.key != label.edge }.map { distance(to: $0.value) }.min() ?? .infinity
            #expect(own < nearestOther, "the label \(label.text) of \(label.edge) at (\(label.x), \(label.y)) is \(own) pt from its edge and \(nearestOther) pt from \(curves.filter { $0.key != label.edge }.min { distance(to: $0.value) < distance(to: $1.value) }?.key ?? "?")")
        }
    }

    @Test("an unrolled loop reads left to right: no edge runs backwards between iterations")
    func unrolledLoopReadsInOrder() throws {
        // A lecture's RNN: each step's cell in its own cluster inside its iteration's cluster.
        // dot used to stack the iterations in any order (step 14 above step 1), so the edges
        // carrying h from one step to the next ran right to left.
        let rnn = """
            input w = 0.5, u = 1.2, b = 0.1
            fn cell(h, x) = tanh(w * h + u * x + b)
            h = 0
            for t in 1...12 {
                h = cell(h, sin(t))
            }
            loss = (h - 0.3)^2
            output loss
            """
        // Unrolled, as `--no-collapse` draws it (12 iterations fold by default).
        let document = try svg(rnn, folding: .never)
        var centre: [String: Double] = [:]
        for case let node as XMLElement in try document.nodes(forXPath: "//*[local-name()='g'][@class='node']") {
            let name = node.elements(forName: "title").first?.stringValue ?? ""
            guard let outline = try node.nodes(forXPath: ".//*[local-name()='path' or local-name()='polygon']").first as? XMLElement,
                  let points = attribute("d", of: outline) ?? attribute("points", of: outline) else { continue }
            let numbers = points.split(whereSeparator: { !"0123456789.-e".contains($0) }).compactMap { Double($0) }
            let xs = stride(from: 0, to: numbers.count - 1, by: 2).map { numbers[$0] }
            if let low = xs.min(), let high = xs.max() { centre[name] = (low + high) / 2 }
        }
        var backwards: [String] = []
        var checked = 0
        for case let edge as XMLElement in try document.nodes(forXPath: "//*[local-name()='g'][@class='edge']") {
            let title = edge.elements(forName: "title").first?.stringValue ?? ""
            let ends = title.components(separatedBy: "->")
            guard ends.count == 2, let tail = centre[ends[0]], let head = centre[ends[1]] else { continue }
            checked += 1
            if head <= tail { backwards.append(title) }
        }
        #expect(checked > 60, "\(checked) edges measured")
        #expect(backwards.isEmpty, "edges drawn right to left: \(backwards)")

        // Each step's box holds its own step: the boxes of the iterations stand side by side.
        // (With `u · sin(t)` ranked at the far left, each box stretched back to the inputs.)
        var spans: [(low: Double, high: Double)] = []
        for case let cluster as XMLElement in try document.nodes(forXPath: "//*[local-name()='g'][@class='cluster']") {
            let texts = try cluster.nodes(forXPath: ".//*[local-name()='text']").compactMap(\.stringValue)
            guard texts.contains(where: { $0.hasPrefix("for t = ") }),
                  let outline = try cluster.nodes(forXPath: ".//*[local-name()='path' or local-name()='polygon']").first as? XMLElement,
                  let points = attribute("d", of: outline) ?? attribute("points", of: outline) else { continue }
            let numbers = points.split(whereSeparator: { !"0123456789.-e".contains($0) }).compactMap { Double($0) }
            let xs = stride(from: 0, to: numbers.count - 1, by: 2).map { numbers[$0] }
            if let low = xs.min(), let high = xs.max() { spans.append((low, high)) }
        }
        #expect(spans.count == 12)
        spans.sort { $0.low < $1.low }
        for (left, right) in zip(spans, spans.dropFirst()) {
            #expect(right.low >= left.high - 1, "iteration boxes overlap: \(left) and \(right)")
        }
    }

    @Test("function names are set in a serif face, where ln cannot read as In")
    func functionNamesInSerif() throws {
        let document = try svg(Self.softmax)
        let texts = try document.nodes(forXPath: "//*[local-name()='text']").compactMap { $0 as? XMLElement }
        func family(of word: String) -> String? {
            texts.first { $0.stringValue == word }.flatMap { attribute("font-family", of: $0) }
        }
        #expect(family(of: "ln") == "DejaVu Serif")
        #expect(family(of: "exp") == "DejaVu Serif")
        #expect(family(of: "max") == "DejaVu Serif")
        // Symbols and names stay in the sans-serif face.
        #expect(family(of: "÷") == "DejaVu Sans")
        #expect(family(of: "p2") == "DejaVu Sans")
    }

    @Test("notes wrap at spaces between terms, never inside an equation")
    func notesKeepEquationsWhole() throws {
        let lines = NodeLabels.wrap("product rule: the sum of the two = 2 + 3 = 5 as the survey's table shows", width: 30)
        #expect(lines.contains { $0.hasSuffix("= 2 + 3 = 5") || $0.contains("= 2 + 3 = 5 ") }, "\(lines)")
        for line in lines {
            let words = line.split(separator: " ")
            #expect(!["=", "+", "−", "-", "·", "×"].contains(String(words.first ?? "")), "a line starts with an operator: \(lines)")
            #expect(!["=", "+", "−", "-", "·", "×"].contains(String(words.last ?? "")), "a line ends with an operator: \(lines)")
        }
        // Plain prose still wraps at about the width.
        #expect(NodeLabels.wrap("each input receives the other's value in the product rule", width: 30).allSatisfy { $0.count <= 30 })
        // An equation too long for two lines breaks before its = signs only.
        let long = NodeLabels.wrap("x̄1 = v̄1 · 0.5 + v̄2 · 5 = 1 · 0.5 + 1 · 5 = 0.5 + 5 = 5.5", width: 20)
        #expect(long == ["x̄1", "= v̄1 · 0.5 + v̄2 · 5", "= 1 · 0.5 + 1 · 5", "= 0.5 + 5 = 5.5"], "\(long)")
    }

    @Test("a note in a picture keeps its worked sum on one line")
    func noteInAPicture() throws {
        let document = try svg("input a = 2, b = 3\ns = a + b\nnote s \"the sum rule: s = 2 + 3 = 5, each input's gradient 1\"\noutput s\n")
        let texts = try document.nodes(forXPath: "//*[local-name()='g'][@class='node']//*[local-name()='text']").compactMap(\.stringValue)
        #expect(texts.contains { $0.contains("s = 2 + 3 = 5") }, "\(texts)")
    }

    @Test("one folded group is '1 group folded into a box'")
    func oneGroupFoldedIsSingular() {
        var options = ExportOptions()
        options.folding = .always
        let writer = DiagramWriter(timeline: Fixtures.reverse(Fixtures.neuron(grouped: true)), options: options)
        #expect(writer.foldedGroupCount == 1)
        let dot = writer.dot(for: DiagramState(final: writer.timeline))
        #expect(dot.contains("1 group folded into a box") && !dot.contains("1 groups"))
        #expect(DiagramWriter.foldedGroupsPhrase(groups: 3, boxes: 3) == "3 groups folded into boxes")
        #expect(DiagramWriter.foldedGroupsPhrase(groups: 50, boxes: 1) == "50 groups folded into 1 box")
    }
}
