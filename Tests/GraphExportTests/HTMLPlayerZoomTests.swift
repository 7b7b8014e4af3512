import Foundation
import GradFlow
@testable import GraphExport
import SceneLanguage
import Testing
import TestSupport

/// `z` in the slideshow: a picture too large to read whole on a slide (the causal-attention
/// scene is 2299×4218 px, a 16:9 slide shows it at a quarter of that) zooms to the current step.
@Suite("HTML slideshow zoom", .serialized)
struct HTMLPlayerZoomTests {
    private func viewBox(_ browser: HeadlessBrowser) throws -> [Double] {
        let text = try browser.evaluate(#"document.querySelector(".frame.shown svg").getAttribute("viewBox")"#) as? String ?? ""
        return text.split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Double($0) }
    }

    @Test("z shows the step's nodes at a readable size, and z again the whole picture")
    func zoomsToTheStep() throws {
        let graph = try Scene.load(path: "Scenes/tensors/causal-attention.scene").graph
        var options = ExportOptions()
        options.rankDirection = .topToBottom  // as `gradflow export` draws a tensor scene
        let writer = DiagramWriter(timeline: Fixtures.reverse(graph), options: options)
        // Step 12 evaluates t4 = t3 + M (the mask added to the scores): t4, t3 and M are its focus.
        let state = DiagramState(timeline: writer.timeline, step: 12)
        let focus = writer.focusIDs(for: state)
        #expect(focus.count == 3, "\(focus)")
        let page = try Exporter.player(writer, opening: 12)
        let url = URL(fileURLWithPath: try temporaryDirectory() + "/attention.html")
        try Data(page.utf8).write(to: url)
        let browser = try HeadlessBrowser(width: 1600, height: 900)
        defer { browser.close() }
        try browser.open(url)
        let full = try viewBox(browser)
        #expect(full.count == 4 && full[3] > 1_500, "the whole tall picture (points): \(full)")
        try browser.press(key: "z", code: "KeyZ", keyCode: 90, text: "z")
        let zoomed = try viewBox(browser)
        #expect(zoomed.count == 4 && zoomed[3] < full[3] / 3, "zoomed in: \(zoomed) of \(full)")
        #expect((try browser.evaluate(#"document.getElementById("where").textContent"#) as? String ?? "").hasPrefix("step 12 of"))
        // Each focused node lies inside the zoomed view (in the SVG's user space).
        for id in focus {
            let inside = try browser.evaluate("""
                (function () {
                  var svg = document.querySelector(".frame.shown svg");
                  var node = Array.from(svg.querySelectorAll("g.node")).find(g => g.querySelector("title").textContent === "\(id)");
                  var b = node.getBBox(), m = svg.getScreenCTM().inverse().multiply(node.getScreenCTM());
                  var p = new DOMPoint(b.x, b.y).matrixTransform(m), q = new DOMPoint(b.x + b.width, b.y + b.height).matrixTransform(m);
                  var v = svg.getAttribute("viewBox").split(" ").map(Number);
                  return p.x >= v[0] - 1 && p.y >= v[1] - 1 && q.x <= v[0] + v[2] + 1 && q.y <= v[1] + v[3] + 1;
                })()
                """) as? Bool
            #expect(inside == true, "\(id) is outside the zoomed view")
        }
        // The next step keeps the zoom, on its own nodes; z again shows everything.
        try browser.press(key: "PageDown", code: "PageDown", keyCode: 34)
        #expect(try viewBox(browser)[3] < full[3] / 3)
        try browser.press(key: "z", code: "KeyZ", keyCode: 90, text: "z")
        #expect(try viewBox(browser) == full)
    }
}
