import Foundation
import GradFlow
@testable import GraphExport
import Testing
import TestSupport

/// The HTML slideshow opened in a real browser (Debian's headless Chromium), as a lecturer
/// presents it: real key events, real layout, screenshots before and after.
///
/// Set `GRADFLOW_SCREENSHOTS=DIR` to keep the screenshots for looking at.
@Suite("HTML slideshow in a browser", .serialized)
struct HTMLPlayerBrowserTests {
    /// The survey's deck as `gradflow export -o walk.html` writes it (no --step).
    private func surveyDeck() throws -> URL {
        let writer = DiagramWriter(timeline: Fixtures.reverse(Fixtures.survey()))
        let page = try Exporter.picture(writer, state: DiagramState(final: writer.timeline), format: .html)
        let url = URL(fileURLWithPath: try temporaryDirectory() + "/survey.html")
        try Data(page).write(to: url)
        return url
    }

    private func keep(_ png: Data, _ name: String) throws {
        guard let directory = ProcessInfo.processInfo.environment["GRADFLOW_SCREENSHOTS"] else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try png.write(to: URL(fileURLWithPath: directory).appendingPathComponent(name))
    }

    /// The step the header shows, the id of the frame shown, and the caption inside that frame's picture.
    private func shown(_ browser: HeadlessBrowser) throws -> (header: String, frame: String, caption: String) {
        let header = try browser.evaluate(#"document.getElementById("where").textContent"#) as? String ?? ""
        let frame = try browser.evaluate(#"document.querySelector(".frame.shown").id"#) as? String ?? ""
        // The caption's step line: the picture text that starts with "step ".
        let caption = try browser.evaluate(#"""
            Array.from(document.querySelectorAll(".frame.shown svg text")).map(t => t.textContent)
                .filter(t => t.startsWith("step ")).join("")
            """#) as? String ?? ""
        return (header, frame, caption)
    }

    private func pageDown(_ browser: HeadlessBrowser) throws { try browser.press(key: "PageDown", code: "PageDown", keyCode: 34) }
    private func pageUp(_ browser: HeadlessBrowser) throws { try browser.press(key: "PageUp", code: "PageUp", keyCode: 33) }

    @Test("opens at step 0; a clicker's PageDown/PageUp move one step; header and caption count alike")
    func opensAtStepZeroAndClickerSteps() throws {
        let deck = try surveyDeck()
        let browser = try HeadlessBrowser(width: 1280, height: 720)
        defer { browser.close() }
        try browser.open(deck)

        var now = try shown(browser)
        #expect(now.header == "step 0 of 16")
        #expect(now.frame == "step-0")
        #expect(now.caption.hasPrefix("step 0 of 16 · nothing evaluated yet"), "\(now.caption)")
        let first = try browser.screenshot()
        try keep(first, "survey-step0.png")

        try pageDown(browser)
        now = try shown(browser)
        #expect(now.header == "step 1 of 16")
        #expect(now.frame == "step-1")
        #expect(now.caption.hasPrefix("step 1 of 16 · forward: x1 = 2"), "\(now.caption)")
        #expect(try browser.evaluate("location.hash") as? String == "#step=1")
        let second = try browser.screenshot()
        try keep(second, "survey-step1.png")
        #expect(first != second, "the picture did not change after PageDown")

        try pageDown(browser)
        try pageDown(browser)
        #expect(try shown(browser).header == "step 3 of 16")
        try pageUp(browser)
        #expect(try shown(browser).header == "step 2 of 16")
        try browser.press(key: "ArrowRight", code: "ArrowRight", keyCode: 39)
        try browser.press(key: " ", code: "Space", keyCode: 32, text: " ")
        #expect(try shown(browser).header == "step 4 of 16")
        try browser.press(key: "ArrowLeft", code: "ArrowLeft", keyCode: 37)
        #expect(try shown(browser).header == "step 3 of 16")
        try browser.press(key: "End", code: "End", keyCode: 35)
        now = try shown(browser)
        #expect(now.header == "step 16 of 16" && now.caption.hasPrefix("step 16 of 16 · backward"), "\(now)")
        try keep(try browser.screenshot(), "survey-step16.png")
        try pageDown(browser)
        #expect(try shown(browser).header == "step 16 of 16")
        try browser.press(key: "Home", code: "Home", keyCode: 36)
        #expect(try shown(browser).header == "step 0 of 16")
        try pageUp(browser)
        #expect(try shown(browser).header == "step 0 of 16")
    }

    @Test("#step=K in the address opens step K")
    func opensAtTheAddressedStep() throws {
        let deck = try surveyDeck()
        let browser = try HeadlessBrowser(width: 1024, height: 768)
        defer { browser.close() }
        try browser.open(URL(string: deck.absoluteString + "#step=12")!)
        let now = try shown(browser)
        #expect(now.header == "step 12 of 16" && now.frame == "step-12", "\(now)")
        #expect(now.caption.hasPrefix("step 12 of 16 · backward: v̄2 += v̄4 · ∂v4/∂v2 = 1 · 1 = 1"), "\(now.caption)")
        try keep(try browser.screenshot(), "survey-step12.png")
    }

    /// A chain of `length` nodes laid out along `direction`: tall (TB) or wide (LR).
    private func chainDeck(length: Int, direction: RankDirection) throws -> URL {
        var graph = Graph()
        var node = graph.appendLeaf(.input, value: 0.5, name: "x")
        for index in 1...length {
            node = graph.append(index % 2 == 0 ? .sin : .tanh, node)
            graph.annotations.names[node] = "v\(index)"
        }
        graph.annotations.outputs = [.init(name: "v\(length)", node: node)]
        var options = ExportOptions()
        options.rankDirection = direction
        let writer = DiagramWriter(timeline: Fixtures.reverse(graph), options: options)
        let page = try Exporter.picture(writer, state: DiagramState(final: writer.timeline), format: .html)
        let url = URL(fileURLWithPath: try temporaryDirectory() + "/chain-\(direction.rawValue).html")
        try Data(page).write(to: url)
        return url
    }

    /// The drawing's box on the screen and the window's size, in CSS pixels.
    private func drawingAndWindow(_ browser: HeadlessBrowser) throws -> (left: Double, top: Double, right: Double, bottom: Double,
                                                                        width: Double, height: Double, scrolls: Bool) {
        let values = try browser.evaluate(#"""
            (function () {
              var box = document.querySelector(".frame.shown svg g.graph").getBoundingClientRect();
              var page = document.documentElement;
              return [box.left, box.top, box.right, box.bottom, window.innerWidth, window.innerHeight,
                      page.scrollHeight > window.innerHeight || page.scrollWidth > window.innerWidth];
            })()
            """#) as? [Any] ?? []
        let numbers = values.prefix(6).map { ($0 as? NSNumber)?.doubleValue ?? .nan }
        guard numbers.count == 6 else { return (0, 0, 0, 0, 0, 0, true) }
        return (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5], values.last as? Bool ?? true)
    }

    @Test("every frame is scaled to fit the window, a tall graph as a wide one", arguments: [
        (RankDirection.topToBottom, 1280, 720), (RankDirection.leftToRight, 800, 1000),
    ])
    func framesFitTheWindow(direction: RankDirection, width: Int, height: Int) throws {
        let deck = try chainDeck(length: 14, direction: direction)
        let browser = try HeadlessBrowser(width: width, height: height)
        defer { browser.close() }
        try browser.open(deck)
        for step in [0, 15, 30] {
            if step > 0 { for _ in 0..<15 { try pageDown(browser) } }
            #expect(try shown(browser).header == "step \(step) of 30")
            let fit = try drawingAndWindow(browser)
            try keep(try browser.screenshot(), "chain-\(direction.rawValue)-\(width)x\(height)-step\(step).png")
            #expect(!fit.scrolls, "the page scrolls")
            #expect(fit.left >= 0 && fit.top >= 0, "\(fit)")
            #expect(fit.right <= fit.width + 0.5 && fit.bottom <= fit.height + 0.5, "the drawing runs off the window: \(fit)")
            // Scaled to fit, not merely shrunk: it fills most of the window along its long side.
            let filled = direction == .topToBottom ? (fit.bottom - fit.top) / fit.height : (fit.right - fit.left) / fit.width
            #expect(filled > 0.75, "the drawing fills \(filled) of the window: \(fit)")
        }
    }

    @Test("f switches to full screen and back")
    func fullScreenKey() throws {
        let deck = try surveyDeck()
        let browser = try HeadlessBrowser(width: 1280, height: 720)
        defer { browser.close() }
        try browser.open(deck)
        #expect(try browser.evaluate("document.fullscreenElement === null") as? Bool == true)
        try browser.press(key: "f", code: "KeyF", keyCode: 70, text: "f")
        #expect(try waitForFullScreen(browser, true), "f did not enter full screen")
        #expect(try shown(browser).header == "step 0 of 16", "f must not move the walk")
        try browser.press(key: "f", code: "KeyF", keyCode: 70, text: "f")
        #expect(try waitForFullScreen(browser, false), "a second f did not leave full screen")
    }

    /// Whether the page reached the full-screen state `wanted` (it changes asynchronously; polled for up to a second).
    private func waitForFullScreen(_ browser: HeadlessBrowser, _ wanted: Bool) throws -> Bool {
        for _ in 0..<40 {
            let full = try browser.evaluate("document.fullscreenElement === document.documentElement") as? Bool ?? false
            if full == wanted { return true }
            usleep(25_000)
        }
        return false
    }
}
