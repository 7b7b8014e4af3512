import Foundation
import GradFlow
import Testing
import TestSupport
@testable import GraphExport

/// The numbers in the pictures, read back from the SVG, against the published values.
@Suite("Pictures show the walk's state")
struct DiagramStateTests {
    let survey = Fixtures.survey()

    private func svg(_ writer: DiagramWriter, _ state: DiagramState) throws -> SVGReader {
        try SVGReader(try Exporter.picture(writer, state: state, format: .svg))
    }

    @Test("the final survey picture shows f = 11.65 and the gradient (5.5, 1.716) of Baydin et al.")
    func finalSurvey() throws {
        let writer = DiagramWriter(timeline: Fixtures.reverse(survey))
        let picture = try svg(writer, DiagramState(final: writer.timeline))
        #expect(try picture.number("value", ofNode: "n6") == "11.65")
        #expect(try picture.number("grad", ofNode: "n0") == "5.5")
        #expect(try picture.number("grad", ofNode: "n1") == "1.716")
        #expect(try picture.number("value", ofNode: "n4") == "-0.9589")
        // Names and ops are drawn; the note is on the page.
        #expect(try picture.texts(ofNode: "n3").prefix(2) == ["v2", "×"])
        #expect(try picture.texts(ofNode: "note3").joined(separator: " ").contains("product rule"))
    }

    @Test("--precision 17 shows the exact doubles the examples list")
    func fullPrecision() throws {
        var options = ExportOptions()
        options.precision = 17
        let writer = DiagramWriter(timeline: Fixtures.reverse(survey), options: options)
        let picture = try svg(writer, DiagramState(final: writer.timeline))
        // Published: f = 11.652071455223084, ∂f/∂x2 = x1 − cos(x2) = 1.7163378145367738.
        let valueText = try picture.number("value", ofNode: "n6") ?? ""
        let value = try #require(Double(valueText))
        #expect(isClose(value, 11.652071455223084, relative: 1e-15))
        let gradientText = try picture.number("grad", ofNode: "n1") ?? ""
        let gradient = try #require(Double(gradientText))
        #expect(isClose(gradient, 2 - Foundation.cos(5.0), relative: 1e-15))
    }

    @Test("x1's adjoint is 5 after v2's contribution, 5.5 after v1's, and unknown before")
    func adjointGrowsStepByStep() throws {
        let writer = DiagramWriter(timeline: Fixtures.reverse(survey))
        // 7 forward steps, the seed at 8, contributions from 9: f→v4, f→v3, v4→v1, v4→v2, v3→x2,
        // v2→x1 (step 14), v2→x2, v1→x1 (step 16).
        let before = try svg(writer, DiagramState(timeline: writer.timeline, step: 13))
        #expect(try before.number("grad", ofNode: "n0") == "–")
        let middle = try svg(writer, DiagramState(timeline: writer.timeline, step: 14))
        #expect(try middle.number("grad", ofNode: "n0") == "5")
        let after = try svg(writer, DiagramState(timeline: writer.timeline, step: 16))
        #expect(try after.number("grad", ofNode: "n0") == "5.5")
        // x2: −cos 5 = −0.2837 from v3 first, then + x1 = 2 from v2.
        #expect(try middle.number("grad", ofNode: "n1") == "-0.2837")
        #expect(try after.number("grad", ofNode: "n1") == "1.716")
    }

    @Test("a backward step names both its ends: at step 14, v2 passes its adjoint back to x1")
    func stepEnds() throws {
        let timeline = Fixtures.reverse(survey)
        // Counted by hand above: step 14 is v2 → x1; v2 is n3 and x1 is n0.
        let contribution = DiagramState(timeline: timeline, step: 14)
        #expect(contribution.partnerNode == 3)
        #expect(contribution.currentNode == 0)
        // A forward step and the seed have no partner.
        #expect(DiagramState(timeline: timeline, step: 3).partnerNode == nil)
        #expect(DiagramState(timeline: timeline, step: 8).partnerNode == nil)
    }

    @Test("mid-forward, unevaluated nodes have no value and the current node is highlighted")
    func forwardStep() throws {
        let writer = DiagramWriter(timeline: Fixtures.reverse(survey))
        let state = DiagramState(timeline: writer.timeline, step: 4)  // v2 = x1 · x2 just evaluated
        let picture = try svg(writer, state)
        #expect(try picture.number("value", ofNode: "n3") == "10")
        #expect(try picture.number("value", ofNode: "n4") == "–")
        #expect(try picture.number("grad", ofNode: "n3") == "–")
        let dot = writer.dot(for: state)
        let palette = Palette.of(.light)
        #expect(dot.contains("n3 [style=\"filled\"; fillcolor=\"\(palette.highlightFill)\"; color=\"\(palette.highlight)\""))
        #expect(dot.contains("n4 [style=\"filled\"; fillcolor=\"\(palette.fadedFill)\"; color=\"\(palette.faded)\""))
        #expect(writer.stepLine(for: state) == "step 4 of 16 · forward: v2 = x1 · x2 = 10")
    }

    @Test("the current contribution's edge is the one highlighted, and the step line gives its arithmetic")
    func currentContributionEdge() throws {
        let writer = DiagramWriter(timeline: Fixtures.reverse(survey))
        let state = DiagramState(timeline: writer.timeline, step: 14)
        let highlighted = writer.dot(for: state).split(separator: "\n").filter {
            $0.contains("->") && $0.contains("penwidth=3.2")
        }
        #expect(highlighted.count == 1)
        #expect(highlighted.first?.hasPrefix("  n0 -> n3 ") == true)
        #expect(writer.stepLine(for: state) == "step 14 of 16 · backward: x̄1 += v̄2 · ∂v2/∂x1 = 1 · 5 = 5 (x̄1: 0 → 5)")
    }

    @Test("forward mode shows the survey's tangents with x1' = 1")
    func forwardMode() throws {
        let writer = DiagramWriter(timeline: Timeline(graph: survey, mode: .forward(input: 0)))
        let picture = try svg(writer, DiagramState(final: writer.timeline))
        let tangents = try (2...6).map { try picture.number("∂/∂x1", ofNode: "n\($0)") }
        #expect(tangents == ["0.5", "5", "0", "5.5", "5.5"])
    }

    @Test("--no-adjoints leaves the derivative rows out")
    func noAdjoints() throws {
        var options = ExportOptions()
        options.showsDerivatives = false
        let writer = DiagramWriter(timeline: Fixtures.reverse(survey), options: options)
        let picture = try svg(writer, DiagramState(final: writer.timeline))
        #expect(try picture.number("grad", ofNode: "n0") == nil)
        #expect(try picture.number("value", ofNode: "n0") == "2")
    }

    @Test("every frame of a sequence has the same size, so slides do not jump")
    func framesKeepTheirSize() throws {
        let writer = DiagramWriter(timeline: Fixtures.reverse(survey))
        let width = writer.stepLineWidth(forSteps: Exporter.frameSteps(of: writer))
        var sizes = Set<String>()
        for step in Exporter.frameSteps(of: writer) {
            let svg = try SVGReader(try Exporter.frame(writer, step: step, format: .svg, stepLineWidth: width))
            let root = try #require(svg.document.rootElement())
            sizes.insert((root.attribute(forName: "viewBox")?.stringValue) ?? "")
        }
        #expect(sizes.count == 1)
    }

    @Test("a non-finite value is flagged in the node and named in the caption")
    func nonFinite() throws {
        var graph = Graph()
        let x = graph.appendLeaf(.input, value: -1, name: "x")
        let y = graph.append(.ln, x)
        graph.annotations.names[y] = "y"
        graph.annotations.outputs = [.init(name: "y", node: y)]
        let writer = DiagramWriter(timeline: Fixtures.reverse(graph))
        let picture = try svg(writer, DiagramState(final: writer.timeline))
        #expect(try picture.number("value", ofNode: "n1") == "⚠ NaN")
        #expect(writer.legend.contains("first non-finite value: y"))
    }

    @Test("the print theme uses black, white and one grey, at every step")
    func printThemeHasNoColour() throws {
        var options = ExportOptions()
        options.theme = .print
        let writer = DiagramWriter(timeline: Fixtures.reverse(survey), options: options)
        let colour = try Regex(#"color="([^"]*)""#)
        for step in [4, 14] {
            let dot = writer.dot(for: DiagramState(timeline: writer.timeline, step: step))
            let used = Set(dot.matches(of: colour).map { String($0.output[1].substring ?? "") })
            #expect(used.isSubset(of: ["black", "white", "#909090"]), "\(used)")
            // Mid-forward, unevaluated nodes and the edges into them are told apart by line style.
            #expect(dot.contains("dotted") == (step == 4))
        }
    }
}
